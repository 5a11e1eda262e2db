"""Shared fixtures: a real temporary SQLite database, a fake clock and a Discord port that records."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from bot import questions
from bot.clock import FakeClock
from bot.daily import DailyService
from bot.storage import Database
from bot.scheduling import JobQueue, Sweeper
from fakes import BANK, FakePort

START = datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "kindred.db")
    yield database
    await database.close()


@pytest.fixture
async def bank_db(db, clock):
    await questions.sync_bank(db, clock, BANK)
    return db


@pytest.fixture
def port() -> FakePort:
    return FakePort()


@pytest.fixture
def queue(bank_db, clock) -> JobQueue:
    return JobQueue(bank_db, clock)


@pytest.fixture
def daily(bank_db, clock, queue, port) -> DailyService:
    return DailyService(bank_db, clock, queue, port, random.Random(7))


@pytest.fixture
def sweeper(queue, daily) -> Sweeper:
    return Sweeper(queue, {"daily": daily.deliver}, expiries={"daily": daily.expire})
