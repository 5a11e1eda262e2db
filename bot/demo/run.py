"""Run the demo week: parse the options, play it, print it, and write the page if asked."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Callable

from .terminal import Printer
from .transcript import Entry, Transcript
from .week import Week, demo_bank, first_midnight, next_monday
from .world import Stage

PACE = 0.45  # seconds per transcript line: the week (about 120 lines) in about a minute


async def run_week(days: int = 7, pace: float = 0.0, monday: date | None = None,
                   listener: Callable[[Entry], None] | None = None) -> Transcript:
    """Play `days` days of the week and return the transcript; nothing is left on disk."""
    monday = monday or next_monday(date.today())
    with tempfile.TemporaryDirectory(prefix="kindred-demo-") as tmp:
        async with Stage(Path(tmp) / "kindred.db", first_midnight(monday), demo_bank()) as stage:
            week = Week(stage, monday, pace)
            if listener is not None:
                week.transcript.listeners.append(listener)
            return await week.play(days)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot demo", description=(
        "A simulated week of Kindred, with no Discord token: the real bot against a local Discord emulator, "
        "with a fast clock and scripted members in two servers."))
    parser.add_argument("--html", metavar="PATH", type=Path, help="also write the week as a chat-log page")
    parser.add_argument("--days", type=int, default=7, choices=range(1, 8), metavar="1-7", help="how many days (default 7)")
    parser.add_argument("--fast", action="store_true", help="don't pause between lines")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    if args.html is not None and not args.html.parent.is_dir():
        print(f"Can't write {args.html}: the folder {args.html.parent} doesn't exist.", file=sys.stderr)
        return 2
    printer = Printer(sys.stdout)
    try:
        transcript = asyncio.run(run_week(args.days, 0.0 if args.fast else PACE, listener=printer))
    except KeyboardInterrupt:
        return 130
    if args.html is not None:
        from .page import render

        args.html.write_text(render(transcript.entries), encoding="utf-8")
        print(f"\nWrote the week as a page: {args.html}")
    return 0
