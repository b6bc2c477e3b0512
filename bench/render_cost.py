"""What one render costs, step by step: CPU seconds of Chromium and of this process per page.

    .venv/bin/python bench/render_cost.py [--portals 5] [--pages-per-portal 3] [--latency-ms 0]
                                          [--real-pages DIR]
                                          [--chromium-arg=--some-flag ...] [--skip-without]

Not a test: it prints figures. It serves a small test world (`python -m losi.world serve`, in
its own process, not counted), then opens key pages of each portal in Debian's Chromium through
Playwright and does what `crawler/render.py` does for a render, one step at a time: open the page
(take the tab and load the page, until `load`), read the DOM, the desktop screenshot, axe-core
(the project's WCAG 2.1 A/AA options and result reduction), the mobile screenshot (the
product's own screenshot function), and close the tab (a render gets a tab of its own, as
scrapy-playwright opens one for every render request). For each step it prints the mean CPU seconds
(Chromium's whole process tree, including processes that ended during the step, such as the
renderer of a closed tab, plus this process: the Playwright client decodes screenshots and
results) and wall seconds a page, then the sum: the CPU floor of one render. CPU time is what
bounds a crawl on a small machine, and unlike wall time it hardly moves with other work on the
machine.

Each portal gets a host name of its own (`cityNNN.test`, mapped to 127.0.0.1 in Chromium), so
that, as between real portals, going from one portal to the next is a cross-site navigation (a
new renderer process); pages are taken portal after portal (home pages first, then the next
section of each), as renders of many portals come in a crawl.

The same steps are also timed with axe-core's most expensive rule, color-contrast (WCAG 1.4.3),
left out, to show what it costs (the product never leaves it out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from procstat import TICK, descendants, stat_fields  # noqa: E402

from crawler.render import (  # noqa: E402
    _AXE_RUN_JS,
    AXE_HTML_CHARS,
    AXE_OPTIONS,
    CHROMIUM_ARGS,
    DESKTOP_VIEWPORT,
    MOBILE_VIEWPORT,
    _screenshot,
    axe_source,
    chromium_path,
)

STEPS = ("open", "dom", "desktop screenshot", "axe-core", "mobile screenshot", "close")
HOSTS_RULE = "--host-resolver-rules=MAP *.test 127.0.0.1"


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process tree so far, including its descendants that ended and were
    reaped (their time is in their parent's cutime/cstime): a closed tab's renderer counts."""
    total = 0.0
    for p in descendants(pid):
        fields = stat_fields(p)
        if fields is not None:
            total += sum(int(v) for v in fields[11:15]) / TICK
    return total


async def measure(urls: list[str], axe_options: dict[str, Any],
                  extra_args: tuple[str, ...] = ()) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    source = axe_source()
    cpu: dict[str, list[float]] = {step: [] for step in STEPS}
    wall: dict[str, list[float]] = {step: [] for step in STEPS}
    me = os.getpid()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                           args=[*CHROMIUM_ARGS, *extra_args, HOSTS_RULE])
        context = await browser.new_context(
            viewport={"width": DESKTOP_VIEWPORT[0], "height": DESKTOP_VIEWPORT[1]})
        await (await context.new_page()).close()  # the first renderer's start is not a render's

        for url in urls:
            page: Any = None

            async def step(name: str, work: Any) -> None:
                c, w = tree_cpu(me), time.perf_counter()
                await work
                cpu[name].append(tree_cpu(me) - c)
                wall[name].append(time.perf_counter() - w)

            async def open_page(address: str) -> None:
                nonlocal page
                page = await context.new_page()
                await page.goto(address, wait_until="load")

            await step("open", open_page(url))
            await step("dom", page.content())
            await step("desktop screenshot", _screenshot(page, DESKTOP_VIEWPORT))

            async def axe() -> None:
                await page.evaluate(source)
                json.loads(await page.evaluate(_AXE_RUN_JS, [axe_options, 2 * AXE_HTML_CHARS]))

            await step("axe-core", axe())
            await step("mobile screenshot", _screenshot(page, MOBILE_VIEWPORT))
            await step("close", page.close())
        await browser.close()
    return {"cpu": [statistics.mean(cpu[s]) for s in STEPS],
            "wall": [statistics.mean(wall[s]) for s in STEPS]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=5)
    parser.add_argument("--pages-per-portal", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--real-pages", metavar="DIR",
                        help="build the pages from the real pages in DIR (../shared/world)")
    parser.add_argument("--chromium-arg", action="append", default=[],
                        help="one more Chromium flag, to try it (repeat for several)")
    parser.add_argument("--skip-without", action="store_true",
                        help="skip the second pass without color-contrast")
    args = parser.parse_args()
    if not Path(chromium_path()).exists():
        print(f"skipped: no Chromium at {chromium_path()}")
        return 0
    with tempfile.TemporaryDirectory(prefix="losi-render-bench-") as folder:
        urls_file = Path(folder) / "world.json"
        server = subprocess.Popen(
            [sys.executable, "-m", "losi.world", "serve", "--portals", str(args.portals),
             "--pages", "30", "--latency-ms", str(args.latency_ms), "--urls-file",
             str(urls_file), "--warm",
             *(["--real-pages", args.real_pages] if args.real_pages else [])],
            stdout=subprocess.DEVNULL, cwd=ROOT)
        try:
            deadline = time.monotonic() + 120
            while not urls_file.exists():
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the world server did not start")
                time.sleep(0.2)
            portals = [url.replace("//127.0.0.1:", f"//city{i:03d}.test:", 1) for i, url in
                       enumerate(json.loads(urls_file.read_text())["urls"].values())]
            sections = ["", "news/", "services/", "events/", "council/"]
            urls = [portal + section for section in sections[: args.pages_per_portal]
                    for portal in portals]
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
                  f"{platform.python_version()}; Chromium {chromium_path()}")
            kind = (f"portals built from the real pages in {args.real_pages}" if args.real_pages
                    else "synthetic portals (about 100 KB of HTML and hundreds of links each, "
                         "like real portal pages)")
            print(f"pages: {len(urls)} key pages of {len(portals)} {kind}")
            print(f"load average (1, 5, 15 min) at the start: "
                  f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
            without = {**AXE_OPTIONS, "rules": {"color-contrast": {"enabled": False}}}
            if args.chromium_arg:
                print(f"Chromium flags added: {' '.join(args.chromium_arg)}")
            passes = [("as losi renders", AXE_OPTIONS), ("without color-contrast", without)]
            for name, options in passes[: 1 if args.skip_without else 2]:
                figures = asyncio.run(measure(urls, options, tuple(args.chromium_arg)))
                steps = ", ".join(f"{s} {c:.2f}" for s, c in zip(STEPS, figures["cpu"]))
                print(f"{name}: CPU s a page: {steps}; total {sum(figures['cpu']):.2f} CPU s "
                      f"({sum(figures['wall']):.2f} s wall, one page at a time)")
        finally:
            server.terminate()
            server.wait()
    print(f"load average (1, 5, 15 min) at the end: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
