"""Kindred over shards: two bots (each an AutoShardedBot with its own two of four shards, its own
connection pool, sweeping at the same moments) against one PostgreSQL database and one emulator,
which routes each server's events to its shard's session as Discord does. They run in this test
process, sharing the fake clock, so that time can be moved for both at once; they share nothing
else. Every server gets exactly one post a day, every nudge exactly one DM, and a bot that dies
after claiming leaves its jobs to its replacement once their leases end."""
from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta

import pytest

from bot.app import ShardedKindredBot
from bot.clock import FakeClock
from bot.config import Config
from bot.scheduling import LEASE
from bot.shards import Shards, of_guild
from bot.storage import Database
from kindred_world import MONDAY_MORNING, berlin

COUNT = 4
INTERVIEW = "I have a job interview on Thursday and I'm really nervous"


class ShardedTestBot(ShardedKindredBot):
    async def before_identify_hook(self, shard_id, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each IDENTIFY but the first; tests needn't."""


class Fleet:
    """Servers spread over every shard, and the bots that serve them."""

    def __init__(self, emu, url: str, clock: FakeClock) -> None:
        self.emu, self.url, self.clock = emu, url, clock
        self.servers = []  # (guild, admin, partner, channel)
        while {of_guild(g.id, COUNT) for g, *_ in self.servers} != set(range(COUNT)) or len(self.servers) < 2 * COUNT:
            guild = emu.add_guild(f"Home {len(self.servers)}")
            self.servers.append((guild, guild.add_member("alice", admin=True), guild.add_member("bob"),
                                 guild.add_text_channel("us")))
            time.sleep(0.002)  # ids carry the millisecond, and so the shard: let it move on
        self.bots: dict[tuple[int, ...], ShardedTestBot] = {}
        self._tasks: dict[tuple[int, ...], asyncio.Task] = {}

    async def start(self, ids: tuple[int, ...]) -> ShardedTestBot:
        config = Config("test-token", self.url, shards=Shards(COUNT, ids))
        bot = ShardedTestBot(config, await Database.open(self.url), self.clock, sweep_interval=3600,
                             rng=random.Random(len(self.bots)), dm_pace=0, guild_ready_timeout=0.05)
        self._tasks[ids] = asyncio.create_task(bot.start("test-token"))
        self.bots[ids] = bot
        await asyncio.wait_for(bot.wait_until_ready(), 15)
        return bot

    async def stop(self, ids: tuple[int, ...]) -> None:
        bot = self.bots.pop(ids)
        await bot.close()
        await asyncio.wait_for(self._tasks.pop(ids), 10)

    async def at(self, when) -> int:
        """Move the clock, then every bot sweeps at once."""
        self.clock.set(when)
        return sum(await asyncio.gather(*(bot.sweeper.run_once() for bot in self.bots.values())))

    def bot_of(self, guild) -> ShardedTestBot:
        return next(b for ids, b in self.bots.items() if of_guild(guild.id, COUNT) in ids)

    def prompts(self, channel):
        return [m for m in self.emu.messages_in(channel) if m.embeds and m.embeds[0].get("title") == "Question of the day"]


@pytest.fixture
async def fleet(emu, postgres):
    url = await postgres.new_database()
    world = Fleet(emu, url, FakeClock(MONDAY_MORNING))
    await world.start((0, 1))
    await world.start((2, 3))
    yield world
    for ids in list(world.bots):
        await world.stop(ids)
    await postgres.drop_database(url)
    emu.assert_no_unhandled()


async def _set_up_every_server(fleet) -> None:
    for _guild, alice, bob, channel in fleet.servers:
        res = await alice.slash("kindred setup", channel=channel, time="09:00", timezone="Europe/Berlin",
                                mode="partner", partner=bob)
        assert "All set" in res.message.content, res.message.content


async def test_each_server_is_served_by_its_shards_bot_once_a_day_and_each_nudge_is_one_dm(fleet):
    assert fleet.emu.identify_count == COUNT, "one IDENTIFY per shard, two per bot"
    for guild, *_ in fleet.servers:
        assert fleet.bot_of(guild).get_guild(guild.id) is not None
        assert all(b.get_guild(guild.id) is None for b in fleet.bots.values() if b is not fleet.bot_of(guild))
    await _set_up_every_server(fleet)

    for day in (7, 8):
        await fleet.at(berlin(day, 9))
        await fleet.at(berlin(day, 9, 1))  # both sweep again: nothing is due twice
    for _guild, _alice, _bob, channel in fleet.servers:
        assert len(fleet.prompts(channel)) == 2, "one post a day in every server"
    some_bot = next(iter(fleet.bots.values()))
    daily = await some_bot.db.fetchall("SELECT status, attempts, COUNT(*) FROM jobs WHERE kind = 'daily' "
                                       "AND status <> 'pending' GROUP BY status, attempts")
    assert [tuple(r) for r in daily] == [("sent", 1, 2 * len(fleet.servers))], "every post claimed once, by one bot"

    await fleet.at(berlin(9, 10))  # Wednesday
    for _guild, alice, _bob, _channel in fleet.servers:
        await alice.slash("share", text=INTERVIEW)
    await _eventually(some_bot, "SELECT COUNT(*) FROM followups WHERE status = 'planned'", len(fleet.servers))
    await fleet.at(berlin(11, 18))  # Friday evening, the day after the interview
    await fleet.at(berlin(11, 18, 1))
    for guild, _alice, bob, _channel in fleet.servers:
        dms = await bob.dm_messages()
        assert len(dms) == 1 and "job interview" in dms[0].content, (guild.name, [m.content for m in dms])


async def test_a_dm_share_reaches_shard_0s_bot_and_is_filed_in_a_server_of_another_shard(fleet):
    await _set_up_every_server(fleet)
    guild, alice, _bob, _channel = next(s for s in fleet.servers if of_guild(s[0].id, COUNT) in (2, 3))
    await alice.slash("share", text="hello")  # alice used Kindred there (the other bot served it)
    await alice.send_dm("my exam is tomorrow and I'm nervous")
    [reply] = await alice.wait_dms(1)
    assert "Saved to" in reply.content, reply.content  # "that server": its name is in the other bot's cache
    some_bot = next(iter(fleet.bots.values()))
    await _eventually(some_bot, f"SELECT COUNT(*) FROM shares WHERE guild_id = {guild.id} AND source = 'dm'", 1)
    await _eventually(some_bot, f"SELECT COUNT(*) FROM followups WHERE guild_id = {guild.id}", 1)  # for her partner


async def test_a_bot_that_dies_after_claiming_leaves_its_jobs_to_its_replacement(fleet):
    await _set_up_every_server(fleet)
    fleet.clock.set(berlin(7, 9))
    dying = fleet.bots[(2, 3)]
    claimed = await dying.queue.claim(100)  # claimed, then the process dies before sending
    mine = [g for g, *_ in fleet.servers if of_guild(g.id, COUNT) in (2, 3)]
    assert sorted(j.guild_id for j in claimed) == sorted(g.id for g in mine)
    await fleet.stop((2, 3))
    await fleet.at(berlin(7, 9, 1))
    for guild, _alice, _bob, channel in fleet.servers:
        assert len(fleet.prompts(channel)) == (0 if guild in mine else 1), "the survivor never takes others' jobs"

    await fleet.start((2, 3))  # the replacement
    await fleet.at(berlin(7, 9) + LEASE - timedelta(seconds=1))
    assert all(len(fleet.prompts(c)) == 0 for g, *_, c in fleet.servers if g in mine), "the lease still holds"
    await fleet.at(berlin(7, 9) + LEASE)
    for _guild, _alice, _bob, channel in fleet.servers:
        assert len(fleet.prompts(channel)) == 1


async def _eventually(bot, sql: str, expected: int, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (got := (await bot.db.fetchone(sql))[0]) != expected:
        if loop.time() > deadline:
            raise AssertionError(f"{sql} gave {got}, expected {expected}")
        await asyncio.sleep(0.02)
