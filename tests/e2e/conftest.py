"""Kindred end to end: the real bot (setup_hook, cogs, scheduler, database) against the Discord API
emulator on loopback, with a fake clock the test moves. `kindred` gives a ready server with an
admin (alice), a member (bob) and a channel (us); see kindred_world.py."""
from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.emulator import Emulator
from kindred_world import MONDAY_MORNING, Kindred


@pytest.fixture
async def emu():
    emulator = Emulator(bot_name="Kindred")
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def kindred(emu, db_target):
    """On each backend (see tests/conftest.py); tests marked sqlite_only check what only SQLite does."""
    world = Kindred(emu, db_target, FakeClock(MONDAY_MORNING))
    await world.start()
    yield world
    await world.stop()
    emu.assert_no_unhandled()
