"""What one render costs, step by step: CPU seconds of Chromium and of this process per page.

    .venv/bin/python bench/render_cost.py [--portals 5] [--pages-per-portal 3] [--latency-ms 0]

Not a test: it prints figures. It serves a small test world (`python -m losi.world serve`, in
its own process, not counted), then opens key pages of each portal in Debian's Chromium through
Playwright and does what `crawler/render.py` does for a render, one step at a time: open the page
(until `load`), read the DOM, the desktop screenshot, axe-core (the project's WCAG 2.1 A/AA
options), the mobile screenshot. For each step it prints the mean CPU seconds (Chromium's whole
process tree plus this process: the Playwright client decodes screenshots and results) and wall
seconds a page, then the sum: the CPU floor of one render. CPU time is what bounds a crawl on a
small machine, and unlike wall time it hardly moves with other work on the machine.

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

from procstat import tree_cpu  # noqa: E402

from crawler.render import (  # noqa: E402
    AXE_OPTIONS,
    CHROMIUM_ARGS,
    DESKTOP_VIEWPORT,
    MAX_MOBILE_SCREENSHOT_HEIGHT,
    MAX_SCREENSHOT_HEIGHT,
    MOBILE_VIEWPORT,
    _PAGE_SIZE_JS,
    axe_source,
    chromium_path,
)

STEPS = ("open", "dom", "desktop screenshot", "axe-core", "mobile screenshot")


async def _screenshot(page: Any, viewport: tuple[int, int], cap: int) -> None:
    await page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    size = await page.evaluate(_PAGE_SIZE_JS)
    height = min(max(int(size["height"]), 1), cap)
    await page.screenshot(type="png", full_page=True, animations="disabled", caret="hide",
                          clip={"x": 0, "y": 0, "width": viewport[0], "height": height})


async def measure(urls: list[str], axe_options: dict[str, Any]) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    source = axe_source()
    cpu: dict[str, list[float]] = {step: [] for step in STEPS}
    wall: dict[str, list[float]] = {step: [] for step in STEPS}
    me = os.getpid()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                           args=list(CHROMIUM_ARGS))
        context = await browser.new_context(
            viewport={"width": DESKTOP_VIEWPORT[0], "height": DESKTOP_VIEWPORT[1]})
        await (await context.new_page()).close()  # the first renderer's start is not a render's

        for url in urls:
            page = await context.new_page()

            async def step(name: str, work: Any) -> None:
                c, w = tree_cpu(me), time.perf_counter()
                await work
                cpu[name].append(tree_cpu(me) - c)
                wall[name].append(time.perf_counter() - w)

            await step("open", page.goto(url, wait_until="load"))
            await step("dom", page.content())
            await step("desktop screenshot",
                       _screenshot(page, DESKTOP_VIEWPORT, MAX_SCREENSHOT_HEIGHT))

            async def axe() -> None:
                await page.evaluate(source)
                await page.evaluate("(o) => window.axe.run(document, o)", axe_options)

            await step("axe-core", axe())
            await step("mobile screenshot",
                       _screenshot(page, MOBILE_VIEWPORT, MAX_MOBILE_SCREENSHOT_HEIGHT))
            await page.close()
        await browser.close()
    return {"cpu": [statistics.mean(cpu[s]) for s in STEPS],
            "wall": [statistics.mean(wall[s]) for s in STEPS]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=5)
    parser.add_argument("--pages-per-portal", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=0)
    args = parser.parse_args()
    if not Path(chromium_path()).exists():
        print(f"skipped: no Chromium at {chromium_path()}")
        return 0
    with tempfile.TemporaryDirectory(prefix="losi-render-bench-") as folder:
        urls_file = Path(folder) / "world.json"
        server = subprocess.Popen(
            [sys.executable, "-m", "losi.world", "serve", "--portals", str(args.portals),
             "--pages", "30", "--latency-ms", str(args.latency_ms), "--urls-file",
             str(urls_file), "--warm"], stdout=subprocess.DEVNULL, cwd=ROOT)
        try:
            deadline = time.monotonic() + 120
            while not urls_file.exists():
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the world server did not start")
                time.sleep(0.2)
            portals = list(json.loads(urls_file.read_text())["urls"].values())
            sections = ["", "news/", "services/", "events/", "council/"]
            urls = [portal + section for portal in portals
                    for section in sections[: args.pages_per_portal]]
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
                  f"{platform.python_version()}; Chromium {chromium_path()}")
            print(f"pages: {len(urls)} key pages of {len(portals)} synthetic portals (about "
                  f"100 KB of HTML and hundreds of links each, like real portal pages)")
            print(f"load average (1, 5, 15 min) at the start: "
                  f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
            without = {**AXE_OPTIONS, "rules": {"color-contrast": {"enabled": False}}}
            for name, options in (("as losi renders", AXE_OPTIONS),
                                  ("without color-contrast", without)):
                figures = asyncio.run(measure(urls, options))
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
