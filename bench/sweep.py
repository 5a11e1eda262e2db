"""The follow-up sweep: JobQueue.claim of 500 due follow-ups out of N pending rows in the jobs
table, as N grows (10k, 100k, 1M, and 10M when the disk allows and it builds in under 5 minutes).

One database grows stage by stage (rows appended in due order, with the bot's indexes in place).
500 x (runs + 1) rows are due; each run claims the oldest 500 still pending (pending -> sending,
lease set), so the WAL grows and checkpoints as it would in the bot (the max shows a claim that
paid for a checkpoint). The first claim after opening is a warm-up. Between stages the claimed
rows go back to pending, untimed."""
from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.storage import Database, to_db
from bot.scheduling import JobQueue

from . import data
from .runner import Report

NAME = "sweep"
TITLE = "claim 500 due follow-ups out of N pending jobs (JobQueue.claim)"

BATCH = 500
STEP = timedelta(seconds=0.5)  # pending rows fall due every half second from a minute from now
BUILD_LIMIT_SECONDS = 300
CHUNK = 1_000_000


_INSERT_SERIES = f"""
WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last)
INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, expires_at, payload, created_at, updated_at)
SELECT 'followup', 'followup:' || (10000000 + i) || ':0', :guild_base + (i * 7919 % :guilds),
       strftime('%Y-%m-%dT%H:%M:%SZ', CASE WHEN i < :due_now THEN :now - 59 + i * 59.0 / :due_now
                                             ELSE :now + 60 + {STEP.total_seconds()} * (i - :due_now) END, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%SZ', CASE WHEN i < :due_now THEN :now - 59 + i * 59.0 / :due_now
                                             ELSE :now + 60 + {STEP.total_seconds()} * (i - :due_now) END + 86400,
                'unixepoch'),
       '{{"followup_id": ' || (10000000 + i) || '}}', :stamp, :stamp
FROM n"""


def _append(path: Path, first: int, count: int, due_now: int, deadline: float | None) -> bool:
    """Append pending follow-up jobs [first, first + count) in due order (ids, keys and due times ascend
    together; keys have eight digits so their text order is their numeric order); generated inside
    SQLite. Large appends drop the secondary indexes and create them again after (the same SQL as
    the migrations). False if the deadline passed (the file is then useless)."""
    params = {"guild_base": data.guild_id(0), "guilds": 10_000, "due_now": due_now, "now": data.NOW.timestamp(),
              "stamp": to_db(data.NOW - timedelta(days=1))}
    with data.bulk(path) as conn:
        indexes = []
        if count >= 500_000:
            indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' "
                                   "AND sql IS NOT NULL").fetchall()
            for name, _sql in indexes:
                conn.execute(f"DROP INDEX {name}")
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            conn.execute(_INSERT_SERIES, {**params, "first": first + done, "last": first + done + size - 1})
            done += size
            if deadline is not None and time.perf_counter() > deadline:
                return False
        for _name, sql in indexes:
            conn.execute(sql)
    return True


async def _claims(path: Path, runs: int) -> list[float]:
    db = await Database.open(path)
    try:
        queue = JobQueue(db, FakeClock(data.NOW))
        times = []
        for n in range(runs + 1):
            start = time.perf_counter()
            jobs = await queue.claim(BATCH)
            elapsed = time.perf_counter() - start
            if len(jobs) != BATCH or any(j.kind != "followup" for j in jobs):
                raise RuntimeError(f"claimed {len(jobs)} jobs, expected {BATCH} due follow-ups")
            if n:
                times.append(elapsed)
        await db.execute("UPDATE jobs SET status = 'pending', lease_until = NULL, attempts = 0 WHERE status = 'sending'")
        return times
    finally:
        await db.close()


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    runs = 5 if quick else 9
    stages = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000, 10_000_000]
    due_now = BATCH * (runs + 1)
    report.params = {"claim": BATCH, "due": due_now, "runs": runs, "stages": stages}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        path = Path(tmp) / "jobs.db"
        data.create_schema(path)
        have, rate = 0, None
        for size in stages:
            rows = size - have
            note = ""
            if size >= 10_000_000:
                per_row = path.stat().st_size / max(have, 1)
                free = shutil.disk_usage(tmp).free
                estimate = rows / rate * 1.5 if rate else float("inf")
                if per_row * rows * 1.3 + 5e9 > free:
                    report.note(f"{size:,} rows skipped: needs about {per_row * rows / 1e9:.1f} GB, {free / 1e9:.1f} GB free")
                    break
                if estimate > BUILD_LIMIT_SECONDS:
                    report.note(f"{size:,} rows skipped: building would take about {estimate:.0f} s "
                                f"(limit {BUILD_LIMIT_SECONDS} s)")
                    break
            began = time.perf_counter()
            ok = _append(path, have, rows, due_now, began + BUILD_LIMIT_SECONDS if size >= 10_000_000 else None)
            built = time.perf_counter() - began
            if not ok:
                report.note(f"{size:,} rows skipped: the build passed {BUILD_LIMIT_SECONDS} s")
                break
            rate = rows / built
            have = size
            report.params[f"build_seconds_{size}"] = round(built, 1)
            report.params[f"db_mb_{size}"] = round(path.stat().st_size / 1e6)
            times = asyncio.run(_claims(path, runs))
            label = f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"
            report.add(f"claim 500 of {label} pending", [t * 1000 for t in times], "ms", ("<=", 10.0), note)
        first = report.figures[0].median
        last = report.figures[-1]
        report.add(f"growth {report.figures[0].name.split()[-2]} -> {last.name.split()[-2]}",
                   [s / first for s in last.samples], "x")
    return report
