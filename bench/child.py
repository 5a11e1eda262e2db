"""Start-up measurements in a fresh interpreter: `python -m bench.child MODE DB [ADD_ONE]` prints one
JSON line. The parent passes its time.perf_counter() (CLOCK_MONOTONIC, the same clock in every
process) in BENCH_SPAWNED_AT, so the time from spawning the process to "armed" is exact.

Modes:
  kindred      the bot's own start-up, as setup_hook does it without logging in: Database.open
               (with migrations), KindredBot, questions.sync_bank, every extension, AlarmClock.start
  kindred-jobs only the follow-up store: Database.open, JobQueue, Sweeper, AlarmClock.start
  apscheduler  APScheduler 3 with every follow-up as a job in SQLAlchemyJobStore: scheduler started
               and its first wake-up (due jobs looked up, timer set) done
With ADD_ONE > 0 the child then adds that many follow-ups one by one (JobQueue.schedule, or
scheduler.add_job) and reports the median time of one.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

_STARTED = time.perf_counter()


def send_followup(followup_id: int) -> None:
    """What an APScheduler job per follow-up would call (never called here)."""


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mb() -> float:
    """Resident memory now."""
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    """Peak resident memory of this process image (VmHWM; ru_maxrss would carry the forking parent's peak
    across exec on Linux)."""
    return _status_mb("VmHWM")


async def _kindred(path: str, add_one: int, full: bool) -> dict:
    marks: dict[str, float] = {}
    from bot import questions  # noqa: F401 - the imports are part of the start-up
    from bot.app import EXTENSIONS, HOUSEKEEPING_SECONDS, KindredBot
    from bot.clock import Clock
    from bot.config import Config
    from bot.storage import Database
    from bot.scheduling import AlarmClock, JobQueue, Sweeper

    import apscheduler.schedulers.asyncio  # noqa: F401 - imported by AlarmClock; counted with the bot in both designs
    marks["imported"] = time.perf_counter()
    rss_imported = _rss_mb()
    db = await Database.open(path)
    marks["database_open"] = time.perf_counter()
    if full:
        from pathlib import Path

        bot = KindredBot(Config("bench-token", Path(path)), db)
        await bot.__aenter__()
        marks["bot_created"] = time.perf_counter()
        await questions.sync_bank(bot.db, bot.clock, questions.load_bank())
        marks["bank_synced"] = time.perf_counter()
        from bot.i18n import catalogs
        catalogs.load_all()  # as setup_hook does: every language's catalog compiled before the first reply
        marks["catalogs_compiled"] = time.perf_counter()
        for name in EXTENSIONS:
            await bot.load_extension(name)
        marks["extensions_loaded"] = time.perf_counter()
        bot.alarm.start()
        bot.alarm.every(HOUSEKEEPING_SECONDS, bot.housekeeping, "housekeeping")
        queue, alarm = bot.queue, bot.alarm
    else:
        queue = JobQueue(db, Clock())
        alarm = AlarmClock(Sweeper(queue, {}))
        alarm.start()
        bot = None
    marks["armed"] = time.perf_counter()
    result = {"marks": marks, "rss_mb": _rss_mb(), "rss_imported_mb": rss_imported, "peak_mb": _peak_mb()}
    if add_one:
        times = []
        due = datetime.now(timezone.utc) + timedelta(days=3)
        for n in range(add_one):
            start = time.perf_counter()
            await queue.schedule("followup", f"followup:{90_000_000 + n}:0", due + timedelta(seconds=n), 1,
                                 {"followup_id": 90_000_000 + n})
            times.append(time.perf_counter() - start)
        result["add_one_s"] = statistics.median(times)
    if bot is not None:
        await bot.close()
    else:
        await alarm.stop()
        await db.close()
    return result


async def _apscheduler(path: str, add_one: int) -> dict:
    marks: dict[str, float] = {}
    import bot.app  # noqa: F401 - the same bot around it: its imports weigh the same in both designs
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    marks["imported"] = time.perf_counter()
    rss_imported = _rss_mb()
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # SQLAlchemy: what this design adds

    store = SQLAlchemyJobStore(url=f"sqlite:///{path}")
    scheduler = AsyncIOScheduler(jobstores={"default": store}, timezone="UTC")
    first_wakeup = asyncio.get_running_loop().create_future()
    process_jobs = scheduler._process_jobs

    def process_and_tell():
        wait = process_jobs()
        if not first_wakeup.done():
            first_wakeup.set_result(time.perf_counter())
        return wait

    scheduler._process_jobs = process_and_tell  # to see when the first wake-up is over
    scheduler.start()
    marks["started"] = time.perf_counter()
    marks["armed"] = await first_wakeup
    result = {"marks": marks, "rss_mb": _rss_mb(), "rss_imported_mb": rss_imported, "peak_mb": _peak_mb()}
    if add_one:
        times = []
        due = datetime.now(timezone.utc) + timedelta(days=3)
        for n in range(add_one):
            start = time.perf_counter()
            scheduler.add_job(send_followup, "date", run_date=due + timedelta(seconds=n), args=[90_000_000 + n],
                              id=f"followup:{90_000_000 + n}:0", misfire_grace_time=None)
            times.append(time.perf_counter() - start)
            await asyncio.sleep(0)  # the wake-up each add triggers runs before the next add
        result["add_one_s"] = statistics.median(times)
    scheduler.shutdown(wait=False)
    return result


def main(argv: list[str]) -> int:
    mode, path = argv[0], argv[1]
    add_one = int(argv[2]) if len(argv) > 2 else 0
    from bench.runner import configure_logging

    configure_logging()
    if mode == "apscheduler":
        result = asyncio.run(_apscheduler(path, add_one))
    else:
        result = asyncio.run(_kindred(path, add_one, full=mode == "kindred"))
    spawned = float(os.environ.get("BENCH_SPAWNED_AT", _STARTED))
    result["interpreter_s"] = _STARTED - spawned
    result["phases_s"] = {k: v - spawned for k, v in result.pop("marks").items()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
