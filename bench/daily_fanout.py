"""The daily fan-out: N servers whose question is due in the same minute. Time for the sweep to
claim every job and hand each post to a Discord port that does nothing (the post is one message),
through the bot's own Sweeper and DailyService (as KindredBot wires them, so the daily handler is
DailyService.deliver), and the CPU per post (time.process_time: the event loop's thread and the
database thread together).

As in the bot, scheduling the next day's post wakes the alarm clock (AlarmClock.wake_at on a
running APScheduler, paused here so nothing fires during the measurement)."""
from __future__ import annotations

import asyncio
import itertools
import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot import questions
from bot.app import KindredBot
from bot.clock import FakeClock
from bot.config import Config
from bot.storage import Database, to_db

from . import data
from .runner import Report

NAME = "daily_fanout"
TITLE = "servers due in the same minute: claim all, post each to a sender that does nothing"

DUE = data.NOW.replace(hour=9, minute=0, second=0)


class NullPort:
    """A DiscordPort whose posting methods do nothing but hand out ids."""

    def __init__(self) -> None:
        self._ids = itertools.count(data.SNOWFLAKE + 900_000_000)
        self.posts = 0

    async def post_prompt(self, channel_id, card, nonce) -> int:
        self.posts += 1
        return next(self._ids)

    def __getattr__(self, name):
        """A daily post uses only the method above; fail loudly if that ever changes."""
        raise AttributeError(f"the daily post called DiscordPort.{name}, which this benchmark's port doesn't model")


def build(path: Path, servers: int, history_days: int = 0) -> None:
    """`servers` set-up servers, each with its pending daily job due at 09:00 UTC, and the bank;
    with `history_days`, each server was asked a question on each of the days before (the bank's,
    in turn), as a server that has used Kindred that long."""
    data.create_schema(path)
    with data.bulk(path) as conn:
        ids = data.insert_guilds(conn, servers)
        data.insert_daily_jobs(conn, ids, DUE)

    async def bank() -> None:
        db = await Database.open(path)
        await questions.sync_bank(db, FakeClock(data.NOW), questions.load_bank())
        await db.close()

    asyncio.run(bank())
    if history_days:
        with data.bulk(path) as conn:
            bank_ids = [r[0] for r in conn.execute("SELECT id FROM questions WHERE status = 'active' ORDER BY id")]
            # from the day before yesterday back: yesterday in UTC is today in the zones west of -09:00
            days = [(DUE - timedelta(days=d)) for d in range(history_days + 1, 1, -1)]
            conn.executemany(
                "INSERT INTO prompts (guild_id, kind, local_date, question_id, channel_id, message_id, created_at, "
                "posted_at) VALUES (?, 'daily', ?, ?, ?, ?, ?, ?)",
                ((gid, day.date().isoformat(), bank_ids[(n + i) % len(bank_ids)], gid + 7, data.SNOWFLAKE + i,
                  to_db(day), to_db(day)) for n, gid in enumerate(ids) for i, day in enumerate(days)))


async def _fan_out(path: Path, servers: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, posts) for one sweep over every due server."""
    db = await Database.open(path)
    clock = FakeClock(DUE + timedelta(seconds=5))
    port = NullPort()
    bot = KindredBot(Config("bench-token", path), db, clock, rng=random.Random(3), start_schedule=False, dm_pace=0)
    bot.daily.port = port  # the daily service posts through this port only
    bot.alarm.scheduler.start(paused=True)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        handled = await bot.sweeper.run_once()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if handled != servers or port.posts != servers:
            raise RuntimeError(f"expected {servers} posts, handled {handled} jobs and posted {port.posts}")
        pending = (await db.fetchone("SELECT COUNT(*) FROM jobs WHERE kind = 'daily' AND status = 'pending'"))[0]
        if pending != servers:
            raise RuntimeError(f"expected {servers} next-day jobs, found {pending}")
        sent = (await db.fetchone("SELECT COUNT(*) FROM jobs WHERE kind = 'daily' AND status = 'sent'"))[0]
        if sent != servers:
            raise RuntimeError(f"expected {servers} jobs marked sent, found {sent}")
        return wall, cpu, port.posts
    finally:
        await bot.alarm.stop()
        await db.close()


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    servers = 500 if quick else 10_000
    runs = 2 if quick else 3
    report.params = {"servers": servers, "runs": runs}
    walls, cpus = [], []
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        template = Path(tmp) / "template.db"
        began = time.perf_counter()
        build(template, servers)
        report.params["build_seconds"] = round(time.perf_counter() - began, 1)
        for n in range(runs):
            path = Path(tmp) / f"run{n}.db"
            shutil.copyfile(template, path)
            wall, cpu, posts = asyncio.run(_fan_out(path, servers))
            walls.append(wall)
            cpus.append(cpu / posts)
            path.unlink()
    report.add(f"{servers:,} servers, all posted", walls, "s", ("<=", 2.0) if not quick else None)
    report.add("CPU per post", [c * 1000 for c in cpus], "ms", ("<=", 0.2))
    report.add("posts per second", [servers / w for w in walls], "posts/s")
    report.add("wall per post", [w / servers * 1000 for w in walls], "ms")
    return report
