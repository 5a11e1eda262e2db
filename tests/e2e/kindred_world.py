"""The world of a Kindred end-to-end test: emulator, people, fake clock, and the real bot."""
from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta, timezone

from bot.app import KindredBot
from bot.clock import FakeClock
from bot.config import Config
from bot.storage import Database
from bot.emulator import Emulator

MONDAY_MORNING = datetime(2026, 12, 7, 6, 0, tzinfo=timezone.utc)  # 07:00 in Berlin


class TestBot(KindredBot):
    async def before_identify_hook(self, shard_id, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each IDENTIFY but the first; tests needn't."""


class Kindred:
    """The world of one test: emulator, people, clock, and the bot (restartable)."""

    def __init__(self, emu: Emulator, db_path, clock: FakeClock) -> None:
        self.emu, self.db_path, self.clock = emu, db_path, clock
        self.guild = emu.add_guild("Home")
        self.alice = self.guild.add_member("alice", admin=True)
        self.bob = self.guild.add_member("bob")
        self.us = self.guild.add_text_channel("us")
        self.bot: TestBot | None = None
        self._task: asyncio.Task | None = None
        self.starts = 0

    async def start(self, **config) -> TestBot:
        db = await Database.open(self.db_path)
        self.bot = TestBot(Config("test-token", self.db_path, **config), db, self.clock, sweep_interval=3600,
                           rng=random.Random(self.starts), dm_pace=0, guild_ready_timeout=0.05)
        self._task = asyncio.create_task(self.bot.start("test-token"))
        self.starts += 1
        await self.emu.wait_identified(self.starts)
        await asyncio.wait_for(self.bot.wait_until_ready(), 10)
        return self.bot

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
            await asyncio.wait_for(self._task, 10)
            self.bot = None

    async def restart(self, **config) -> TestBot:
        await self.stop()
        return await self.start(**config)

    async def sweep(self) -> int:
        return await self.bot.sweeper.run_once()

    async def at(self, when: datetime) -> int:
        """Move the clock to `when` and let due work run, as the alarm clock would."""
        self.clock.set(when)
        return await self.sweep()

    async def setup(self, time: str = "09:00", timezone: str = "Europe/Berlin", mode: str = "partner", partner=None):
        """alice sets Kindred up in #us; in partner mode she names bob as her partner unless told otherwise."""
        if partner is None and mode == "partner":
            partner = self.bob
        options = {"partner": partner} if partner is not None else {}
        res = await self.alice.slash("kindred setup", channel=self.us, time=time, timezone=timezone, mode=mode, **options)
        assert "All set" in res.message.content, res.message.content
        return res

    async def query(self, sql: str, params=()) -> list[tuple]:
        return [tuple(r) for r in await self.bot.db.fetchall(sql, params)]

    async def eventually(self, sql: str, expected, params=(), timeout: float = 5.0) -> None:
        """Wait until a query returns `expected` (gateway events are handled asynchronously)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (got := await self.query(sql, params)) != expected:
            if loop.time() > deadline:
                raise AssertionError(f"{sql} gave {got!r}, expected {expected!r}")
            await asyncio.sleep(0.02)

    def thread_messages(self, post) -> list:
        """What the day's thread of `post` shows; none while it has no thread (opened with the first answer)."""
        thread = self.emu.thread_of(post)
        return self.emu.messages_in(thread) if thread is not None else []

    def prompts(self):
        """The daily-question posts in #us."""
        return [m for m in self.emu.messages_in(self.us) if m.embeds and m.embeds[0].get("title") == "Question of the day"]


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    """A December 2026 wall time in Berlin (UTC+1), as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=timezone.utc) - timedelta(hours=1)
