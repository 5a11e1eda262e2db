"""Start-up with 10,000 servers and 100,000 pending follow-ups in the database: time from spawning
a fresh interpreter until the scheduler is armed (imports, Database.open with migrations, the bot,
questions.sync_bank, every extension, AlarmClock.start; no login), and its resident memory then."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot import questions
from bot.clock import FakeClock
from bot.storage import Database

from . import data
from .runner import Report

NAME = "startup"
TITLE = "fresh process until the scheduler is armed, and its memory"
ROOT = Path(__file__).resolve().parents[1]


def build(path: Path, servers: int, followups: int) -> None:
    data.create_schema(path)
    with data.bulk(path) as conn:
        ids = data.insert_guilds(conn, servers)
        data.insert_daily_jobs(conn, ids, data.NOW.replace(hour=9, minute=0, second=0) + timedelta(days=1))
        jobs = list(data.followup_job_rows(followups, first_id=10_000_000, guild_count=servers))
        conn.executemany(data.FOLLOWUP_INSERT, data.followup_rows(jobs))
        conn.executemany(data.JOB_INSERT, jobs)

    async def bank() -> None:
        db = await Database.open(path)
        await questions.sync_bank(db, FakeClock(data.NOW), questions.load_bank())
        await db.close()

    asyncio.run(bank())


def spawn(mode: str, path: Path, add_one: int = 0) -> dict:
    """Run bench.child in a fresh interpreter; its JSON result."""
    env = {**os.environ, "BENCH_SPAWNED_AT": repr(time.perf_counter())}
    done = subprocess.run([sys.executable, "-m", "bench.child", mode, str(path), str(add_one)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"bench.child {mode} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    servers, followups = (1_000, 10_000) if quick else (10_000, 100_000)
    runs = 3 if quick else 5
    report.params = {"servers": servers, "pending_followups": followups, "runs": runs}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        path = Path(tmp) / "kindred.db"
        began = time.perf_counter()
        build(path, servers, followups)
        report.params["build_seconds"] = round(time.perf_counter() - began, 1)
        report.params["db_mb"] = round(path.stat().st_size / 1e6, 1)
        spawn("kindred", path)  # the first run after building also warms the OS file cache
        results = [spawn("kindred", path) for _ in range(runs)]
    phases = [r["phases_s"] for r in results]
    report.add("armed after", [p["armed"] for p in phases], "s", ("<=", 2.0))
    report.add("resident memory (VmRSS)", [r["rss_mb"] for r in results], "MB", ("<=", 150))
    report.add("peak memory (VmHWM)", [r["peak_mb"] for r in results], "MB")
    report.add("phase: interpreter", [r["interpreter_s"] for r in results], "s")
    steps = ("imported", "database_open", "bot_created", "bank_synced", "catalogs_compiled", "extensions_loaded", "armed")
    for n, step in enumerate(steps):
        before = [r["interpreter_s"] for r in results] if n == 0 else [p[steps[n - 1]] for p in phases]
        report.add(f"phase: {step.replace('_', ' ')}", [p[step] - b for p, b in zip(phases, before)], "s")
    return report
