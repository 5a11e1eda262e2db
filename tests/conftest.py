"""Shared fixtures: a real temporary database on each backend (SQLite, and PostgreSQL on a throwaway
server the session starts), a fake clock and a Discord port that records.

`KINDRED_TEST_BACKENDS=sqlite` runs only SQLite (a quick local run); the default, and CI, run both."""
from __future__ import annotations

import os
import random
from datetime import datetime, timezone

import pytest

from bot import questions
from bot.clock import FakeClock
from bot.daily import DailyService
from bot.storage import Database
from bot.scheduling import JobQueue, Sweeper
from fakes import BANK, FakePort
from bench.postgres_server import PostgresServer

START = datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


BACKENDS = [b.strip() for b in os.environ.get("KINDRED_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param != "sqlite" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip(request.node.get_closest_marker("sqlite_only").args[0])
    return request.param


@pytest.fixture
async def db_target(backend, tmp_path, request):
    """Where a test's database lives: an SQLite file, or a fresh PostgreSQL database's URL."""
    if backend == "sqlite":
        yield tmp_path / "kindred.db"
        return
    server = request.getfixturevalue("postgres")
    url = await server.new_database()
    yield url
    await server.drop_database(url)


@pytest.fixture
async def db(db_target):
    database = await Database.open(db_target)
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
