"""The design one would otherwise pick: one APScheduler 3 job per pending follow-up, kept in
APScheduler's SQLAlchemyJobStore (an SQLite file), next to Kindred's table-and-sweep, both with N
pending follow-ups. Each side runs in a fresh interpreter that imports the bot first (the same
baseline), then arms its scheduler:
- Kindred: Database.open, JobQueue, Sweeper, AlarmClock.start (the jobs table needs no loading);
- APScheduler: SQLAlchemyJobStore + AsyncIOScheduler started, its first wake-up done.
Then each adds follow-ups one at a time (JobQueue.schedule / scheduler.add_job): the median of one.
Ratios are APScheduler's figure over Kindred's.

The job store is filled directly with rows exactly as SQLAlchemyJobStore writes them (a job
state pickled from a real job added through the scheduler, with its id, argument and run time
changed), because adding 100,000 jobs through add_job would take minutes."""
from __future__ import annotations

import asyncio
import pickle
import shutil
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import data
from .child import send_followup
from .runner import Report
from .startup import spawn

NAME = "apscheduler_jobstore"
TITLE = "one APScheduler job per follow-up in SQLAlchemyJobStore vs Kindred's jobs table and sweep"


def build_jobstore(path: Path, count: int) -> None:
    """`count` pending date jobs calling bench.child.send_followup, due from 1 minute to 60 days
    ahead of the real clock (APScheduler reads the real time)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.date import DateTrigger

    async def template() -> dict:
        store = SQLAlchemyJobStore(url=f"sqlite:///{path}")
        scheduler = AsyncIOScheduler(jobstores={"default": store}, timezone="UTC")
        scheduler.start(paused=True)
        scheduler.add_job(send_followup, "date", run_date=datetime.now(timezone.utc) + timedelta(days=1), args=[1],
                          id="followup:1:0", misfire_grace_time=None)
        scheduler.shutdown(wait=False)
        conn = sqlite3.connect(path)
        (blob,) = conn.execute("SELECT job_state FROM apscheduler_jobs WHERE id = 'followup:1:0'").fetchone()
        conn.execute("DELETE FROM apscheduler_jobs")
        conn.commit()
        conn.close()
        return pickle.loads(blob)

    state = asyncio.run(template())
    start = datetime.now(timezone.utc) + timedelta(minutes=1)
    step = timedelta(days=60) / count

    def rows():
        for n in range(count):
            fid = 10_000_000 + n
            when = start + step * n
            state.update(id=f"followup:{fid}:0", args=(fid,), trigger=DateTrigger(when, timezone.utc), next_run_time=when)
            yield f"followup:{fid}:0", when.timestamp(), pickle.dumps(state, pickle.HIGHEST_PROTOCOL)

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES (?, ?, ?)", rows())
    conn.execute("COMMIT")
    conn.close()


def build_kindred(path: Path, count: int, servers: int) -> None:
    """The same follow-ups as rows of Kindred's followups and jobs tables, due ahead of the real clock."""
    data.create_schema(path)
    now = datetime.now(timezone.utc)
    with data.bulk(path) as conn:
        ids = data.insert_guilds(conn, servers, now=now)
        data.insert_daily_jobs(conn, ids, now + timedelta(days=1), now=now)
        jobs = list(data.followup_job_rows(count, first_id=10_000_000, guild_count=servers, now=now))
        conn.executemany(data.FOLLOWUP_INSERT, data.followup_rows(jobs, now=now))
        conn.executemany(data.JOB_INSERT, jobs)


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    count = 10_000 if quick else 100_000
    servers = 1_000 if quick else 10_000
    runs = 3 if quick else 5
    adds = 50 if quick else 200
    report.params = {"pending_followups": count, "servers": servers, "runs": runs, "adds_per_run": adds}
    kindred, aps = [], []
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        kindred_db, aps_db = Path(tmp) / "kindred.db", Path(tmp) / "apscheduler.db"
        began = time.perf_counter()
        build_kindred(kindred_db, count, servers)
        build_jobstore(aps_db, count)
        report.params["build_seconds"] = round(time.perf_counter() - began, 1)
        report.params["kindred_db_mb"] = round(kindred_db.stat().st_size / 1e6, 1)
        report.params["apscheduler_db_mb"] = round(aps_db.stat().st_size / 1e6, 1)
        spawn("kindred-jobs", kindred_db)  # warm the OS file cache for both
        spawn("apscheduler", aps_db)
        for n in range(runs):
            for source, mode, results in ((kindred_db, "kindred-jobs", kindred), (aps_db, "apscheduler", aps)):
                copy = Path(tmp) / f"run-{mode}.db"
                shutil.copyfile(source, copy)
                results.append(spawn(mode, copy, adds))
                copy.unlink()

    def part(r: dict) -> float:
        return r["phases_s"]["armed"] - r["phases_s"]["imported"]

    for label, results in (("kindred", kindred), ("apscheduler", aps)):
        report.add(f"{label}: armed after", [r["phases_s"]["armed"] for r in results], "s")
        report.add(f"{label}: scheduler part", [part(r) * 1000 for r in results], "ms")
        report.add(f"{label}: resident memory", [r["rss_mb"] for r in results], "MB")
        report.add(f"{label}: scheduler memory", [r["rss_mb"] - r["rss_imported_mb"] for r in results], "MB")
        report.add(f"{label}: add one follow-up", [r["add_one_s"] * 1000 for r in results], "ms")
    ratio = lambda key: [a / k for a, k in zip(key(aps), key(kindred))]  # noqa: E731
    report.add("ratio start-up (armed after)", ratio(lambda rs: [r["phases_s"]["armed"] for r in rs]), "x")
    report.add("ratio start-up (scheduler part)", ratio(lambda rs: [part(r) for r in rs]), "x")
    report.add("ratio memory (resident)", ratio(lambda rs: [r["rss_mb"] for r in rs]), "x")
    report.add("ratio add one", ratio(lambda rs: [r["add_one_s"] for r in rs]), "x")
    return report
