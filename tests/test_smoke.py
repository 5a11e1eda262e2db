"""Every extension loads; command names and options are what README and other tools rely on."""
from __future__ import annotations

import asyncio

import discord

from bot.app import EXTENSIONS, KindredBot, intents
from bot.config import Config
from bot.scheduling import AlarmClock, JobQueue, Sweeper


async def test_every_extension_loads_and_names_are_kept(db, clock, tmp_path):
    bot = KindredBot(Config("t", tmp_path / "k.db"), db, clock)
    for name in EXTENSIONS:
        await bot.load_extension(name)
    commands = {c.name: c for c in bot.tree.get_commands()}
    assert set(commands) == {"kindred", "question", "share", "remember", "memories", "privacy", "export", "forget",
                             "circle", "checkins"}
    assert {c.name for c in commands["kindred"].commands} == {"setup", "settings", "pause", "resume", "skip", "status",
                                                             "stats"}
    assert {c.name for c in commands["circle"].commands} == {"add", "remove", "list"}
    assert {c.name for c in commands["question"].commands} == {"now", "add", "list", "remove", "suggest"}
    setup = commands["kindred"].get_command("setup")
    assert [p.name for p in setup.parameters] == ["channel", "time", "timezone", "mode", "partner"]
    assert commands["kindred"].default_permissions.manage_guild
    assert all(c.guild_only for c in commands.values())
    assert not intents(bot.config).message_content and not intents(bot.config).members
    assert len(bot._connection._view_store._dynamic_items) == 8  # buttons that survive restarts
    for name in EXTENSIONS:
        await bot.unload_extension(name)


async def test_alarm_clock_sweeps_in_the_background_and_stops_cleanly(db, clock):
    ran = asyncio.Event()

    async def handler(job):
        ran.set()

    queue = JobQueue(db, clock)
    await queue.schedule("test", "test:1", clock.now())
    alarm = AlarmClock(Sweeper(queue, {"test": handler}), interval=0.05)
    alarm.start()
    alarm.start()  # a second start (a reconnect) adds nothing
    assert len(alarm.scheduler.get_jobs()) == 1
    await asyncio.wait_for(ran.wait(), 5)
    await alarm.stop()
    assert (await db.fetchone("SELECT status FROM jobs"))["status"] == "sent"


async def test_two_sweepers_never_claim_the_same_job(db, clock):
    queue = JobQueue(db, clock)
    for i in range(50):
        await queue.schedule("test", f"test:{i}", clock.now())
    seen: list[str] = []

    async def handler(job):
        seen.append(job.dedupe_key)
        await asyncio.sleep(0)

    a, b = Sweeper(queue, {"test": handler}, batch=7), Sweeper(queue, {"test": handler}, batch=7)
    await asyncio.gather(a.run_once(), b.run_once())
    assert sorted(seen) == sorted(f"test:{i}" for i in range(50))


async def test_schedule_never_revives_a_finished_job(db, clock):
    queue = JobQueue(db, clock)
    await queue.schedule("test", "test:1", clock.now())
    [job] = await queue.claim()
    await queue.finish(job, "sent")
    await queue.schedule("test", "test:1", clock.now())
    assert (await db.fetchone("SELECT status FROM jobs"))["status"] == "sent"
    assert await queue.claim() == []


def test_discord_errors_are_classified():
    from bot.discord_adapter import classify
    from bot.scheduling import PermanentError, TransientError

    class Resp:
        def __init__(self, status):
            self.status, self.reason = status, "x"

    def err(cls, status, code):
        return cls(Resp(status), {"message": "m", "code": code})

    assert isinstance(classify(err(discord.Forbidden, 403, 50013)), PermanentError)
    assert isinstance(classify(err(discord.NotFound, 404, 10003)), PermanentError)
    assert isinstance(classify(err(discord.Forbidden, 403, 50007)), PermanentError)
    assert isinstance(classify(err(discord.DiscordServerError, 503, 0)), TransientError)
    assert isinstance(classify(asyncio.TimeoutError()), TransientError)
