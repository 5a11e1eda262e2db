"""A `/share` through the real discord.py command tree and database, without a network: time from
the INTERACTION_CREATE payload reaching the client (ConnectionState.parse_interaction_create) to the
interaction callback carrying the reply. p50 and p99 per run; the median, min and max over runs.

Two servers take the shares: a couple (partner mode) and a group whose members opted in to
check-ins, one with a circle. The texts are the realistic mix (80% small talk), a few private or
asking for a check-in, so some shares plan follow-ups (a row, a job, a wake-up) and most don't.
It runs twice: with an empty memory, and with a large one (the same two servers holding years of
shares and follow-ups, inside a database of thousands of other servers), to show whether the
cost grows with what Kindred remembers."""
from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot import members, reading as moments
from bot.clock import FakeClock
from bot.storage import to_db

from . import corpus, data
from .discord_fakes import command_payload, install_adapter, open_bot, share_options
from .runner import Report, percentile

NAME = "share_path"
TITLE = "/share through the command tree and database: interaction to reply"

PARTNER_USERS, GROUP_USERS = 2, 6  # members per server of each kind


def _servers(count: int) -> list[tuple[int, str, list[int]]]:
    """(server id, mode, member ids): half couples, half groups."""
    out = []
    for n in range(count):
        mode = "partner" if n % 2 == 0 else "group"
        size = PARTNER_USERS if mode == "partner" else GROUP_USERS
        out.append((data.guild_id(n), mode, [data.user_id(n * 10 + k) for k in range(size)]))
    return out


def _build_history(path: Path, servers: list[tuple[int, str, list[int]]], *, other_guilds: int, shares_total: int,
                   shares_per_server: int, followups_per_member: int, pending_followups: int) -> dict[str, int]:
    """The target servers already hold `shares_per_server` shares each (three years of them) and
    each member got `followups_per_member` nudges; around them, `other_guilds` servers hold the rest
    of `shares_total` shares and `pending_followups` planned follow-ups with their jobs."""
    data.create_schema(path)
    rng = random.Random(9)
    texts = corpus.texts(5_000, seed=31)
    with data.bulk(path) as conn:
        others = data.insert_guilds(conn, other_guilds, first=len(servers))
        data.insert_daily_jobs(conn, others, data.NOW.replace(hour=9, minute=0, second=0) + timedelta(days=1))
        rows, history = [], []
        for gid, _mode, users in servers:
            for i in range(shares_per_server):
                author = users[i % len(users)]
                when = to_db(data.NOW - timedelta(seconds=rng.randrange(3 * 365 * 86_400)))
                rows.append((gid, author, "share", texts[rng.randrange(len(texts))], "group", f"member {author % 1000}",
                             when, when))
            for recipient in users:
                for _ in range(followups_per_member):
                    when = to_db(data.NOW - timedelta(seconds=rng.randrange(3 * 365 * 86_400)))
                    history.append((gid, recipient, rng.choice(users), None, "upcoming exam", "exam", None, None, when,
                                    rng.choice(("done", "sent", "skipped")), when, when))
        conn.executemany(data.SHARE_INSERT, rows)
        conn.executemany(data.SHARE_INSERT, data.share_rows(shares_total - len(rows), texts, others, authors_per_guild=6))
        conn.executemany("INSERT INTO followups (guild_id, recipient_id, subject_id, share_id, reason, topic, event_date, "
                         "event_time, due_at, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         history)
        jobs = list(data.followup_job_rows(pending_followups, first_id=10_000_000, guild_count=other_guilds + len(servers)))
        conn.executemany(data.FOLLOWUP_INSERT, data.followup_rows(jobs))
        conn.executemany(data.JOB_INSERT, jobs)
    return {"other_guilds": other_guilds, "shares": shares_total, "shares_per_target_guild": shares_per_server,
            "past_followups_per_member": followups_per_member, "pending_followups": pending_followups}


async def _prepare(bot, servers: list[tuple[int, str, list[int]]]) -> None:
    """Set the servers up as an admin would; in groups, half the members opt in to check-ins and
    the first one names a circle."""
    zones = ("Europe/Berlin", "America/New_York", "Europe/London", "Asia/Kolkata")
    for n, (gid, mode, users) in enumerate(servers):
        await bot.daily.setup(gid, gid + 7, "09:00", zones[n % len(zones)], mode)
        if mode == "group":
            for uid in users[1:4]:
                await members.update(bot.db, bot.clock, gid, uid, receive_checkins=True)
            await bot.followups.circle_add(gid, users[0], users[1])


async def _measure(path: Path, servers: list[tuple[int, str, list[int]]], count: int, warmup: int,
                   runs: int) -> tuple[list[float], list[float], float]:
    """Returns (latencies in seconds, CPU seconds per share for each run, follow-ups planned per share)."""
    clock = FakeClock(data.NOW)
    adapter = install_adapter()
    bot = await open_bot(path, clock)
    try:
        await _prepare(bot, servers)
        for text, now, tz in corpus.dated(50, seed=43):  # load the libraries moments loads lazily, as a running bot has
            moments.read_share(text, now, tz)
        state = bot._connection  # the ConnectionState the gateway feeds
        rng = random.Random(17)
        plans = []
        for text, _, _ in corpus.mixed(count + warmup, seed=41):
            gid, _mode, users = rng.choice(servers)
            roll = rng.random()
            options = share_options(text, private=True if roll < 0.1 else None, check_in=0.1 <= roll < 0.15)
            plans.append((gid, rng.choice(users), options))
        before = (await bot.db.fetchone("SELECT COUNT(*) FROM followups"))[0]
        latencies: list[float] = []
        cpu: list[float] = []
        failures: list[str] = []
        per_run = max(1, count // runs)
        cpu_start = time.process_time()
        for n, (gid, user, options) in enumerate(plans):
            if n == warmup:
                cpu_start = time.process_time()
            interaction_id, payload = command_payload("share", options, guild_id=gid, channel_id=gid + 7,
                                                      user_id=user, user_name=f"Member{user % 100}")
            reply = adapter.expect(interaction_id)
            start = time.perf_counter()
            state.parse_interaction_create(payload)
            at, body = await reply
            content = (body.get("data") or {}).get("content") or ""
            if not content.startswith("💛 Saved."):
                failures.append(content)
            if n >= warmup:
                latencies.append(at - start)
                if (n - warmup + 1) % per_run == 0:
                    cpu.append((time.process_time() - cpu_start) / per_run)
                    cpu_start = time.process_time()
            clock.advance(seconds=37)
            await asyncio.sleep(0)  # let the command task finish before the next interaction arrives
        planned = (await bot.db.fetchone("SELECT COUNT(*) FROM followups"))[0] - before
        if failures:
            raise RuntimeError(f"{len(failures)} /share replies were not the saved message, e.g. {failures[0]!r}")
        return latencies, cpu, planned / len(plans)
    finally:
        await bot.close()


def run(quick: bool) -> Report:
    report = Report(NAME, TITLE)
    runs = 3 if quick else 5
    count = 150 if quick else 2_000
    warmup = 30 if quick else 100
    servers = _servers(20 if quick else 200)
    sizes = ({"other_guilds": 300, "shares_total": 20_000, "shares_per_server": 200, "followups_per_member": 10,
              "pending_followups": 5_000} if quick else
             {"other_guilds": 10_000, "shares_total": 1_000_000, "shares_per_server": 2_500, "followups_per_member": 50,
              "pending_followups": 200_000})
    report.params = {"interactions_per_phase": count, "warmup": warmup, "runs": runs, "servers": len(servers),
                     "fake_seconds_between_shares": 37}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        for phase in ("empty memory", "large memory"):
            path = Path(tmp) / f"{phase.split()[0]}.db"
            if phase == "large memory":
                began = time.perf_counter()
                report.params["large_memory"] = _build_history(path, servers, **sizes)
                report.params["large_memory"]["build_seconds"] = round(time.perf_counter() - began, 1)
            latencies, cpu, planned = asyncio.run(_measure(path, servers, count, warmup, runs))
            size = len(latencies) // runs
            chunks = [latencies[i * size:(i + 1) * size] for i in range(runs)]
            report.add(f"{phase}: p50", [percentile(c, 50) * 1000 for c in chunks], "ms")
            report.add(f"{phase}: p99", [percentile(c, 99) * 1000 for c in chunks], "ms", ("<=", 5.0))
            report.add(f"{phase}: max", [max(c) * 1000 for c in chunks], "ms")
            report.add(f"{phase}: CPU per share", [c * 1000 for c in cpu], "ms")
            report.add(f"{phase}: follow-ups per share", planned, "")
    return report
