"""The demo's stage: the Discord emulator on loopback, the real KindredBot on a temporary database,
and a fake clock that jumps from one due job to the next, as the alarm clock would over a week."""
from __future__ import annotations

import asyncio
import random
from datetime import datetime
from pathlib import Path

from ..app import KindredBot
from ..clock import FakeClock
from ..config import Config
from ..storage import Database
from ..emulator import Emulator

# Tasks discord.py starts for one gateway event, command, button or form: while any runs, the bot is busy.
_HANDLER_TASKS = ("discord.py: ", "CommandTree-invoker", "discord-ui-")


class DemoBot(KindredBot):
    async def before_identify_hook(self, shard_id, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each IDENTIFY but the first; the emulator needn't."""


class Stage:
    """Emulator, clock and bot. `async with Stage(db_path, start) as stage:` starts and stops them."""

    def __init__(self, db_path: Path, start: datetime, bank: list[dict] | None = None) -> None:
        self.db_path = db_path
        self.bank = bank  # the questions the bot asks (None: the whole bank)
        self.clock = FakeClock(start)
        self.emu = Emulator(bot_name="Kindred")
        self.bot: DemoBot | None = None
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> Stage:
        await self.emu.start()
        db = await Database.open(self.db_path)
        # The sweep interval is real seconds: an hour means it never fires; the demo sweeps as time moves.
        self.bot = DemoBot(Config("demo-token", self.db_path), db, self.clock, sweep_interval=3600,
                           rng=random.Random(7), dm_pace=0, bank=self.bank, guild_ready_timeout=0.05)
        self._task = asyncio.create_task(self.bot.start("demo-token"))
        await self.emu.wait_identified(1, timeout=30)
        await asyncio.wait_for(self.bot.wait_until_ready(), 30)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.bot is not None:
            await self.bot.close()
            await asyncio.wait_for(self._task, 10)
        await self.emu.stop()

    async def next_due(self) -> datetime | None:
        return await self.bot.queue.next_due()

    async def sweep_at(self, when: datetime) -> None:
        """Move the clock to `when` (never back) and run what is due, as the alarm clock would."""
        self.clock.set(max(when, self.clock.now()))
        await self.bot.sweeper.run_once()
        await self.settle()

    async def settle(self, timeout: float = 5.0) -> None:
        """Wait until the bot has handled what members just did: events cross the gateway, then
        discord.py runs a task per event, command, button or form."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.sleep(0.02)
        while any(not t.done() and t.get_name().startswith(_HANDLER_TASKS) for t in asyncio.all_tasks()):
            if loop.time() > deadline:
                return
            await asyncio.sleep(0.01)
