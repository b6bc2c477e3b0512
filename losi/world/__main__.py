"""`python -m losi.world serve --portals N --pages P --latency-ms L [--hostile] [--real-pages DIR]`
`python -m losi.world agree [--portals N --pages P --seed S --languages L --no-hostile]`
(docs/world.md describes the world, its features and how agreement is counted)

Prints one line per portal (slug, URL, language, features, hostile case) and serves until Ctrl-C
or SIGTERM. With `--urls-file F` it also writes F as JSON once every port listens (written to a
temporary name and renamed, so a reader never sees half a file; removed again on exit): a
benchmark starts the server in its own process, waits for F, and reads the URLs from it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from losi.world.agreement import DEFAULT_SPEC
from losi.world.generate import HOSTILE_CASES, WorldSpec, generate
from losi.world.lang import LANGUAGES
from losi.world.server import serve_world


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m losi.world",
                                     description="Serve a synthetic world of municipal portals.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve a world on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--portals", type=int, default=8)
    serve.add_argument("--pages", type=int, default=40, help="HTML pages per portal")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="added to every response")
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--languages", default=",".join(LANGUAGES),
                       help="comma-separated, cycled over portals")
    serve.add_argument("--hostile", action="store_true",
                       help=f"one portal per hostile case (needs --portals >= {len(HOSTILE_CASES)})")
    serve.add_argument("--real-pages", type=Path, default=None, metavar="DIR",
                       help="build page bodies from the real pages in DIR (../shared/world)")
    serve.add_argument("--slow-ms", type=float, default=60_000.0)
    serve.add_argument("--huge-mb", type=float, default=20.0)
    serve.add_argument("--cache-mb", type=int, default=512, help="rendered-page cache budget")
    serve.add_argument("--warm", action="store_true", help="render every page before serving")
    serve.add_argument("--urls-file", type=Path, default=None,
                       help="write the URLs (and the CA path) as JSON here when ready")
    serve.add_argument("--host-names", action="store_true",
                       help="serve each portal under its host name (www.CITY.gov.test ...) "
                            "through the world's proxy, not as 127.0.0.1:PORT")
    agree = sub.add_parser("agree", help="crawl and detect a world; print how far each detector "
                                         "agrees with the ground truth, per language")
    agree.add_argument("--portals", type=int, default=DEFAULT_SPEC.portals)
    agree.add_argument("--pages", type=int, default=DEFAULT_SPEC.pages, help="HTML pages per portal")
    agree.add_argument("--seed", type=int, default=DEFAULT_SPEC.seed)
    agree.add_argument("--languages", default=",".join(DEFAULT_SPEC.languages),
                       help="comma-separated, cycled over portals")
    agree.add_argument("--no-hostile", action="store_true", help="leave the hostile cases out")
    agree.add_argument("--keep", type=Path, default=None, metavar="DIR",
                       help="keep the database and WARCs in DIR (default: a temporary folder)")
    return parser


def _agree(args: argparse.Namespace) -> int:
    from losi.world.agreement import TARGET, format_report, measure_spec, table

    try:
        spec = WorldSpec(portals=args.portals, pages=args.pages, seed=args.seed,
                         languages=tuple(args.languages.split(",")), hostile=not args.no_hostile,
                         slow_ms=DEFAULT_SPEC.slow_ms, huge_bytes=DEFAULT_SPEC.huge_bytes,
                         host_names=DEFAULT_SPEC.host_names)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    verdicts = measure_spec(spec, args.keep)
    print(format_report(verdicts))
    return 0 if all(r.share >= TARGET for r in table(verdicts)) else 1


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "agree":
        return _agree(args)
    try:
        spec = WorldSpec(portals=args.portals, pages=args.pages, latency_ms=args.latency_ms,
                         seed=args.seed, languages=tuple(args.languages.split(",")),
                         hostile=args.hostile, real_pages_dir=args.real_pages,
                         slow_ms=args.slow_ms, huge_bytes=int(args.huge_mb * 1024 * 1024),
                         host_names=args.host_names)
        world = generate(spec, cache_bytes=args.cache_mb * 1024 * 1024)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.warm:
        world.warm()
    signal.signal(signal.SIGTERM, _stop)
    try:
        with serve_world(world) as served:
            for portal in world.portals:
                features = ",".join(k for k, v in portal.features.items() if v) or "-"
                print(f"{portal.slug}\t{served[portal.slug]}\t{portal.language}\t{features}"
                      f"\t{portal.hostile or ''}", flush=True)
            if served.ca_pem:
                print(f"# CA of the self-signed portal: {served.ca_pem}", flush=True)
            if served.proxy:
                print(f"# other sites ({len(world.elsewhere)}: national portals, open-data "
                      f"catalogues) through the proxy {served.proxy}", file=sys.stderr, flush=True)
                if spec.host_names:
                    print("# portals by host name through the proxy too: "
                          + " ".join(f"{k}={v}" for k, v in served.proxy_environment().items()),
                          file=sys.stderr, flush=True)
            if args.urls_file:
                tmp = args.urls_file.with_name(args.urls_file.name + ".tmp")
                tmp.write_text(json.dumps(served.describe(), indent=1, ensure_ascii=False))
                os.replace(tmp, args.urls_file)
            print(f"# serving {len(world.portals)} portals; Ctrl-C to stop", file=sys.stderr,
                  flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if args.urls_file:
            args.urls_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
