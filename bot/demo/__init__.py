"""`python -m bot demo`: a simulated week of Kindred in about a minute, with no token.

The real bot (cogs, scheduler, database) runs against the Discord emulator on loopback with a fast
fake clock, on a temporary database; scripted members in two servers use it as they would in
Discord. Offers `main(argv)` (the subcommand) and `run_week(days, pace)` (the transcript)."""
from __future__ import annotations

from .run import main, run_week

__all__ = ["main", "run_week"]
