"""`python -m bench [--quick] [--only NAME ...] [--output PATH]`: run the benchmarks, print a table
of figures (median of several runs, with min and max) and write them, with a description of the
machine, as JSON (default bench/results.json; with --quick, bench/results-quick.json, so a quick
run never replaces the committed figures of a full one)."""
from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

from .runner import Report, configure_logging, print_table, reference_ms, write_json

# In the order they run; each is a module of this package with NAME, TITLE and run(quick).
BENCHMARKS = ("moments", "share_path", "daily_fanout", "sending", "sweep", "startup", "storage",
              "apscheduler_jobstore", "stats_chart", "postgresql")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"
QUICK_OUTPUT = DEFAULT_OUTPUT.with_name("results-quick.json")  # git-ignored


def _module_for(name: str):
    return importlib.import_module(f"bench.{name.replace('-', '_')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs (well under a minute)")
    parser.add_argument("--only", action="append", metavar="NAME", choices=[*BENCHMARKS, *(b.replace("_", "-") for b in BENCHMARKS)],
                        help="run only this benchmark (repeatable): " + ", ".join(BENCHMARKS))
    parser.add_argument("--output", type=Path, help=f"JSON file to write (default {DEFAULT_OUTPUT}; "
                                                    f"with --quick, {QUICK_OUTPUT})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = QUICK_OUTPUT if args.quick else DEFAULT_OUTPUT
    elif args.quick and args.output.resolve() == DEFAULT_OUTPUT:
        parser.error(f"--quick figures don't go in {DEFAULT_OUTPUT.name}, which keeps the latest full run; "
                     "leave out --output or choose another file")
    if args.list:
        for name in BENCHMARKS:
            print(f"{name:<22} {_module_for(name).TITLE}")
        return 0

    configure_logging()
    selected = [n.replace("-", "_") for n in args.only] if args.only else list(BENCHMARKS)
    reports: list[Report] = []
    errors: dict[str, str] = {}
    started = time.perf_counter()
    reference = {"before": reference_ms()}
    print(f"machine speed: a fixed reference workload takes {reference['before']:.0f} ms of CPU", flush=True)
    for name in BENCHMARKS:
        if name not in selected:
            continue
        module = _module_for(name)
        print(f"\n== {name}: {module.TITLE}{' (quick)' if args.quick else ''}", flush=True)
        began = time.perf_counter()
        try:
            report = module.run(args.quick)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            errors[name] = traceback.format_exc()
            print(errors[name], file=sys.stderr, flush=True)
            continue
        report.seconds = time.perf_counter() - began
        print(f"  ({report.seconds:.1f} s)", flush=True)
        reports.append(report)
    total = time.perf_counter() - started
    reference["after"] = reference_ms()

    print(f"\n== figures ({'quick' if args.quick else 'full'} run, {total:.0f} s; the reference workload "
          f"took {reference['before']:.0f} ms of CPU before and {reference['after']:.0f} ms after)")
    print_table(reports)
    write_json(args.output, reports, errors, args.quick, total, reference)
    print(f"\nwritten to {args.output}")
    if errors:
        print(f"failed: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
