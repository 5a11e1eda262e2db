"""Sending at Discord's speed: N servers due at 09:00, posted by Kindred's real sweep, adapter and
discord.py's HTTP client against a model of Discord (80 ms per request, 50 requests/s globally,
5 messages per 5 s per channel), on a time-warping loop; the one-job-at-a-time sweep side by side.

Figures: time from due to the last post (loop time), requests per post, CPU per post (process time,
both threads; and Kindred's, without the model's own CPU, measured by replaying the run's requests to a
fresh model), the ratio to Discord's bound (elapsed ÷ (requests ÷ 50/s)), and late leases (jobs
claimed twice or marked after their lease ended); the same for servers a year into using Kindred.
The warp is checked once against real time: the time to the last post, and Kindred's CPU per post,
which is higher in real time (the loop sleeps in the kernel between wake-ups; the warp skips that)."""
from __future__ import annotations

import asyncio
import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.app import KindredBot
from bot.clock import Clock
from bot.config import Config
from bot.storage import CHECKPOINT_SECONDS, Database, to_db

from bot.rate import Rate

from . import daily_fanout, data
from .discord_model import ModelSession, WarpLoop, attach, count_database_calls, own_cpu
from .runner import Report

NAME = "sending"
TITLE = "N servers due at once, through discord.py against a model of Discord's latency and limits"
GLOBAL_LIMIT = 50
DM_PACE = Config("bench-token", Path("x")).dms_per_second


class LoopClock(Clock):
    """Kindred's clock following the (warped) event loop from the due time on."""

    def __init__(self, start) -> None:
        self.start, self.origin = start, asyncio.get_running_loop().time()

    def now(self):
        return self.start + timedelta(seconds=asyncio.get_running_loop().time() - self.origin)


async def _checkpoint_every(db: Database, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        await db.checkpoint()


def _watch_leases(queue) -> list[int]:
    """Jobs marked (sent, retried...) after their lease had run out: the ones another process could
    have claimed and sent again. The queue's own check also catches a lease already taken over."""
    late: list[int] = []
    owned = queue._owned

    async def marking(job, changes, params):
        if job.lease_until is not None and to_db(queue.clock.now()) > job.lease_until:
            late.append(job.id)
        return await owned(job, changes, params)

    queue._owned = marking
    return late


NUDGE_DUE = daily_fanout.DUE.replace(hour=18)


# What Kindred knows when a wave of nudge DMs falls due: (label, the recipient's DM channel is known
# from an earlier DM, the members intent is on so the gateway's member cache holds both members).
# Without the intent each member is looked up at every delivery: nothing else says who left.
DM_CASES = (("first DM", False, False),
            ("DMed before", True, False),
            ("members intent, first DM", False, True),
            ("members intent, DMed before", True, True))


def build_nudges(path: Path, count: int, dm_known: bool) -> None:
    """`count` nudges due at 18:00 UTC, each in its own partner-mode server (Europe/London), about a
    group-visible share, to its own recipient; both members used Kindred a week before. `dm_known`:
    the recipient's DM channel is stored (an earlier nudge)."""
    data.create_schema(path)
    week_ago = to_db(NUDGE_DUE - timedelta(days=7))
    with data.bulk(path) as conn:
        for n in range(count):
            gid, subject, recipient = data.guild_id(n), data.user_id(2 * n), data.user_id(2 * n + 1)
            conn.execute("INSERT INTO guilds (guild_id, channel_id, post_time, timezone, mode, partner_id, setup_by, "
                         "created_at, updated_at) VALUES (?, ?, '09:00', 'Europe/London', 'partner', ?, ?, ?, ?)",
                         (gid, gid + 7, recipient, subject, week_ago, week_ago))
            for user in (subject, recipient):
                conn.execute("INSERT INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at) "
                             "VALUES (?, ?, 'command', 'command', ?, ?)", (gid, user, week_ago, week_ago))
            share = conn.execute(
                "INSERT INTO shares (guild_id, author_id, source, text, visibility, about_name, created_at, updated_at) "
                "VALUES (?, ?, 'share', 'job interview on Thursday, so nervous', 'group', 'Sam', ?, ?)",
                (gid, subject, week_ago, week_ago)).lastrowid
            fid = conn.execute(
                "INSERT INTO followups (guild_id, recipient_id, subject_id, share_id, reason, topic, due_at, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'upcoming interview; worry', 'interview', ?, ?, ?)",
                (gid, recipient, subject, share, to_db(NUDGE_DUE), week_ago, week_ago)).lastrowid
            conn.execute("INSERT INTO jobs (kind, dedupe_key, guild_id, due_at, expires_at, payload, created_at, "
                         "updated_at) VALUES ('followup', ?, ?, ?, ?, ?, ?, ?)",
                         (f"followup:{fid}:0", gid, to_db(NUDGE_DUE), to_db(NUDGE_DUE + timedelta(days=1)),
                          f'{{"followup_id": {fid}}}', week_ago, week_ago))
            if dm_known:
                conn.execute("INSERT INTO dm_channels (user_id, channel_id, introduced_at) VALUES (?, ?, ?)",
                             (recipient, data.SNOWFLAKE + 700_000_000 + n, week_ago))


def _fill_member_cache(bot: KindredBot, count: int) -> None:
    """What the members intent gives a bot on connecting: each server with its members in discord.py's
    cache (the nudge servers of `build_nudges`), so that asking whether someone is there costs nothing."""
    for n in range(count):
        members = [{"user": {"id": str(data.user_id(u)), "username": f"member{u}", "discriminator": "0", "avatar": None},
                    "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}
                   for u in (2 * n, 2 * n + 1)]
        bot._connection._add_guild_from_data({"id": str(data.guild_id(n)), "name": f"server {n}", "members": members})


async def _sweep(path: Path, servers: int, lanes: dict[str, int] | None, due=daily_fanout.DUE,
                 kind: str = "daily", members_intent: bool = False) -> dict[str, float]:
    db = await Database.open(path)
    clock = LoopClock(due + timedelta(seconds=5))
    bot = KindredBot(Config("bench-token", path, members_intent=members_intent), db, clock, rng=random.Random(3),
                     start_schedule=False, dm_pace=0)
    if members_intent:
        _fill_member_cache(bot, servers)
    if kind == "followup":  # the bot's own DM pace, shared by every DM in flight
        bot.deliveries.dm_rate = Rate(bot.config.dms_per_second)
    session = ModelSession(latency=0.08, global_per_second=GLOBAL_LIMIT)
    attach(bot, session)
    if lanes:
        bot.sweeper.lanes.update(lanes)
    late = _watch_leases(bot.queue)
    checkpoints = asyncio.create_task(_checkpoint_every(db, CHECKPOINT_SECONDS))  # as the bot's alarm clock does
    try:
        loop = asyncio.get_running_loop()
        began, cpu = loop.time(), time.process_time()
        handled = await bot.sweeper.run_once()
        elapsed, cpu = loop.time() - began, time.process_time() - cpu
        posts = [t for t, method, p, status in session.requests
                 if method == "POST" and p.endswith("/messages") and status == 200]
        posted = (await db.fetchone("SELECT COUNT(*) FROM prompts WHERE message_id IS NOT NULL AND created_at >= ?",
                                    (to_db(due),)) if kind == "daily" else
                  await db.fetchone("SELECT COUNT(*) FROM followups WHERE status = 'sent'"))[0]
        if posted != servers or len(posts) != servers:
            errors = await db.fetchall("SELECT last_error, COUNT(*) FROM jobs WHERE last_error IS NOT NULL GROUP BY 1")
            raise RuntimeError(f"expected {servers} posts, recorded {posted}, Discord saw {len(posts)}; "
                               f"errors: {[tuple(e) for e in errors]}")
        missed = (await db.fetchone("SELECT COUNT(*) FROM jobs WHERE status = 'missed'"))[0]
        requests = len(session.requests)
        needed = sum(1 for r in session.requests if r[3] == 200)
        model_cpu = await own_cpu(session.sent)
        return {"elapsed": max(posts) - began, "retried_jobs": handled - servers, "requests_per_post": requests / servers,
                "cpu_ms": cpu / servers * 1000, "kindred_cpu_ms": (cpu - model_cpu) / servers * 1000,
                "ratio": (max(posts) - began) / (needed / GLOBAL_LIMIT), "late_leases": len(late), "missed": missed,
                "rejected": session.rejected, "wall": elapsed}
    finally:
        checkpoints.cancel()
        await asyncio.gather(checkpoints, return_exceptions=True)
        await db.close()


def _run(loop_factory, path: Path, servers: int, lanes=None, **kwargs) -> dict[str, float]:
    count_database_calls()
    loop = loop_factory()
    try:
        return loop.run_until_complete(_sweep(path, servers, lanes, **kwargs))
    finally:
        loop.close()


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    sizes = (200,) if quick else (1_000, 10_000)
    report.params = {"servers": list(sizes), "latency_ms": 80, "global_per_second": GLOBAL_LIMIT,
                     "post_bucket": "5 per 5 s per channel", "dm_pace_per_second": DM_PACE, "runs": 1}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        for servers in sizes:
            template = Path(tmp) / f"template{servers}.db"
            daily_fanout.build(template, servers)
            for label, lanes in (("concurrent", None), ("sequential", {"daily": 1})):
                if label == "sequential" and servers > 1_000 and not quick:
                    lanes = {"daily": 1}
                path = Path(tmp) / f"{label}{servers}.db"
                shutil.copyfile(template, path)
                r = _run(WarpLoop, path, servers, lanes)
                path.unlink()
                prefix = f"{servers:,} {label}"
                bound = ("<=", 1.1) if label == "concurrent" else None
                report.add(f"{prefix}: due to last post", [r["elapsed"]], "s")
                report.add(f"{prefix}: requests per post", [r["requests_per_post"]], "req",
                           ("<=", 2.0) if label == "concurrent" else None)
                report.add(f"{prefix}: CPU per post, whole process", [r["cpu_ms"]], "ms")
                report.add(f"{prefix}: CPU per post, Kindred's (the model's own taken out)", [r["kindred_cpu_ms"]], "ms",
                           ("<=", 1.0) if label == "concurrent" else None)
                report.add(f"{prefix}: ratio to Discord's bound", [r["ratio"]], "x", bound)
                report.add(f"{prefix}: late leases", [r["late_leases"]], "jobs", ("<=", 0) if label == "concurrent" else None)
                report.add(f"{prefix}: 429s the model answered", [r["rejected"]], "req")
        # Servers a year in: choosing the question reads how often each was asked (a server's
        # history grows by a post a day); concurrent, at the first size.
        template = Path(tmp) / "year.db"
        daily_fanout.build(template, sizes[0], history_days=365)
        r = _run(WarpLoop, template, sizes[0])
        template.unlink()
        prefix = f"{sizes[0]:,} concurrent, a year in"
        report.add(f"{prefix}: CPU per post, Kindred's", [r["kindred_cpu_ms"]], "ms", ("<=", 1.0))
        report.add(f"{prefix}: ratio to Discord's bound", [r["ratio"]], "x", ("<=", 1.1))
        for count in sizes:
            for label, dm_known, intent in DM_CASES:
                if count != sizes[0] and label not in (DM_CASES[0][0], DM_CASES[-1][0]):
                    continue  # what a DM costs doesn't depend on how many: the middle cases at the first size only
                path = Path(tmp) / f"nudges{count}.db"
                build_nudges(path, count, dm_known)
                r = _run(WarpLoop, path, count, due=NUDGE_DUE, kind="followup", members_intent=intent)
                path.unlink()
                prefix = f"{count:,} DMs, {label}"
                report.add(f"{prefix}: due to last DM", [r["elapsed"]], "s")
                report.add(f"{prefix}: requests per DM", [r["requests_per_post"]], "req", ("<=", 1.5))
                report.add(f"{prefix}: CPU per DM, Kindred's", [r["kindred_cpu_ms"]], "ms")
                report.add(f"{prefix}: ratio to the DM pace", [r["elapsed"] / (count / DM_PACE)], "x")
                report.add(f"{prefix}: late leases", [r["late_leases"]], "jobs", ("<=", 0))
        # The warp, checked once against real time on a small run.
        check = 100 if quick else 400
        template = Path(tmp) / "check.db"
        daily_fanout.build(template, check)
        for label, factory in (("warped", WarpLoop), ("real", asyncio.new_event_loop)):
            path = Path(tmp) / f"check-{label}.db"
            shutil.copyfile(template, path)
            r = _run(factory, path, check)
            report.add(f"warp check, {check} servers: {label}", [r["elapsed"]], "s")
            # In real time the loop sleeps in the kernel between wake-ups, which costs CPU the warp skips.
            report.add(f"warp check, {check} servers: Kindred's CPU per post, {label}", [r["kindred_cpu_ms"]], "ms")
    return report
