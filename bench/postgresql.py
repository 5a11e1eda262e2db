"""PostgreSQL beside SQLite, in the same run on the same machine: the sweep's claim of 500 due jobs
among 1,000,000 pending ones, the /share path's p99, and two processes sweeping one jobs table.

The PostgreSQL server is a throwaway one on loopback (bench/postgres_server.py) with fsync on and
commits not waiting for it: the durability SQLite's WAL with synchronous=NORMAL gives. Both backends
get the same rows (SQLite's built as bench/sweep.py builds them, PostgreSQL's with generate_series)
under the bot's own schema and indexes. The two-process figure is what sharding needs: real
processes, each with its own connection, claiming 100 at a time until the table is drained; every
job claimed is counted, and no job may be claimed twice."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.scheduling import JobQueue
from bot.storage import Database, to_db

from . import data, share_path, sweep
from .postgres_server import PostgresServer
from .runner import Report, percentile

NAME = "postgresql"
TITLE = "PostgreSQL beside SQLite: claim at 1M pending, /share p99, two processes sweeping one table"

CLAIM = 500
DRAIN_BATCH = 100

# The rows bench/sweep.py puts in SQLite, in PostgreSQL's spelling ($n: nothing to translate).
_PG_SERIES = """
INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, expires_at, payload, created_at, updated_at)
SELECT 'followup', 'followup:' || (10000000 + i) || ':0', $1::bigint + (i * 7919 % 10000),
       to_char(to_timestamp(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(to_timestamp(at + 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       '{"followup_id": ' || (10000000 + i) || '}', $4, $4
FROM generate_series($5::bigint, $6::bigint) AS i,
     LATERAL (SELECT CASE WHEN i < $2 THEN $3::float8 - 59 + i * 59.0 / $2
                          ELSE $3::float8 + 60 + 0.5 * (i - $2) END AS at) AS due"""


async def _fill_postgres(url: str, rows: int, due_now: int) -> None:
    db = await Database.open(url)
    try:
        for first in range(0, rows, 1_000_000):
            await db.execute(_PG_SERIES, (data.guild_id(0), due_now, data.NOW.timestamp(),
                                          to_db(data.NOW - timedelta(days=1)), first, min(first + 1_000_000, rows) - 1))
        await db.execute("VACUUM ANALYZE jobs")
    finally:
        await db.close()


async def _claims(target, runs: int) -> list[float]:
    db = await Database.open(target)
    try:
        queue = JobQueue(db, FakeClock(data.NOW))
        times = []
        for n in range(runs + 1):  # the first is a warm-up
            start = time.perf_counter()
            jobs = await queue.claim(CLAIM)
            elapsed = time.perf_counter() - start
            if len(jobs) != CLAIM:
                raise RuntimeError(f"claimed {len(jobs)} jobs, expected {CLAIM}")
            if n:
                times.append(elapsed * 1000)
        await db.execute("UPDATE jobs SET status = 'pending', lease_until = NULL, attempts = 0 WHERE status = 'sending'")
        return times
    finally:
        await db.close()


# One sweeping process: claims DRAIN_BATCH at a time until nothing is due, prints the ids it got.
_DRAINER = """
import asyncio, json, sys, time
from bot.clock import FakeClock
from bot.scheduling import JobQueue
from bot.storage import UNAVAILABLE, Database
from bench import data

async def main(target, batch):
    db = await Database.open(target)
    queue, got, locked = JobQueue(db, FakeClock(data.NOW)), [], 0
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    while True:
        try:
            jobs = await queue.claim(batch)
        except UNAVAILABLE:  # SQLite: the other process held the write lock past the busy timeout
            locked += 1
            continue
        if not jobs:
            break
        got.extend(j.id for j in jobs)
    print(json.dumps({"seconds": time.perf_counter() - start, "ids": got, "locked": locked}), flush=True)
    await db.close()

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _two_processes(target: str) -> tuple[float, int, int, int]:
    """(seconds until both processes found nothing due, jobs claimed, jobs claimed twice, claims that
    found the database locked and were tried again)."""
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", _DRAINER, target, str(DRAIN_BATCH)], cwd=root, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)]
    try:
        for proc in procs:
            if proc.stdout.readline().strip() != "ready":
                raise RuntimeError("a sweeping process failed to start")
        start = time.perf_counter()
        for proc in procs:  # both start claiming at once
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [json.loads(proc.stdout.readline()) for proc in procs]
        wall = time.perf_counter() - start
    finally:
        for proc in procs:
            proc.wait(timeout=120)
    ids = [i for r in results for i in r["ids"]]
    return wall, len(ids), len(ids) - len(set(ids)), sum(r["locked"] for r in results)


async def _reset(target) -> None:
    db = await Database.open(target)
    try:
        await db.execute("UPDATE jobs SET status = 'pending', lease_until = NULL, attempts = 0 WHERE status = 'sending'")
    finally:
        await db.close()


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    runs = 5 if quick else 9
    pending = 100_000 if quick else 1_000_000
    label = f"{pending // 1000}k" if pending < 1_000_000 else f"{pending // 1_000_000}M"
    drain = 5_000 if quick else 100_000
    due_now = max(CLAIM * (runs + 1), drain)
    share_count, share_warmup = (150, 30) if quick else (1_000, 100)
    report.params = {"claim": CLAIM, "pending": pending, "runs": runs, "drained_by_two_processes": drain,
                     "drain_batch": DRAIN_BATCH, "shares": share_count}
    server = PostgresServer(durable=True).start()
    try:
        with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
            lite = Path(tmp) / "jobs.db"
            data.create_schema(lite)
            began = time.perf_counter()
            sweep._append(lite, 0, pending, due_now, None)
            report.params["sqlite_build_seconds"] = round(time.perf_counter() - began, 1)
            url = asyncio.run(server.new_database())
            began = time.perf_counter()
            asyncio.run(_fill_postgres(url, pending, due_now))
            report.params["postgresql_build_seconds"] = round(time.perf_counter() - began, 1)

            for backend, target in (("SQLite", str(lite)), ("PostgreSQL", url)):
                report.add(f"{backend}: claim {CLAIM} of {label} pending", asyncio.run(_claims(target, runs)), "ms",
                           ("<=", 10.0))

            for backend, target in (("SQLite", str(lite)), ("PostgreSQL", url)):
                # The first `drain` rows are due; two processes drain them.
                walls, twice, locked = [], 0, 0
                for _ in range(3 if quick else 5):
                    wall, claimed, doubled, refused = _two_processes(target)
                    locked += refused
                    if claimed != drain:
                        raise RuntimeError(f"{backend}: two processes claimed {claimed} jobs, expected {drain}")
                    twice += doubled
                    walls.append(claimed / wall)
                    asyncio.run(_reset(target))
                report.add(f"{backend}: two processes draining {drain:,} due jobs", walls, "jobs/s")
                report.add(f"{backend}: jobs claimed twice", [twice], "", ("<=", 0))
                report.add(f"{backend}: claims refused as locked (tried again)", [locked], "")

            servers = share_path._servers(20)
            for backend, target in (("SQLite", Path(tmp) / "share.db"), ("PostgreSQL", asyncio.run(server.new_database()))):
                latencies, _cpu, _planned = asyncio.run(share_path._measure(target, servers, share_count, share_warmup,
                                                                            runs))
                size = len(latencies) // runs
                chunks = [latencies[i * size:(i + 1) * size] for i in range(runs)]
                report.add(f"{backend}: /share p50", [percentile(c, 50) * 1000 for c in chunks], "ms")
                report.add(f"{backend}: /share p99", [percentile(c, 99) * 1000 for c in chunks], "ms", ("<=", 5.0))
    finally:
        server.stop()
    return report
