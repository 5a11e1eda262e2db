"""The interface every backend implements, and what both share: timestamps as stored, migrations.

Data modules write one SQL text, in SQLite's spelling with `?` placeholders; a backend runs it
through its `Dialect` (bot/storage/dialect.py), the one place that knows how PostgreSQL differs.
"""
from __future__ import annotations

import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import asyncpg

from .dialect import Dialect

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
URL_SCHEMES = ("postgresql://", "postgres://")
_BACKGROUND: ContextVar[bool] = ContextVar("kindred_background", default=False)


class DatabaseError(Exception):
    """The database can't be opened or used; the message says what to do."""


# What the drivers raise when the database refused a statement (as opposed to a bug in Kindred) ...
DRIVER_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError)
# ... and, among them, "not now": locked, busy, unreachable, read-only, out of resources.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError, asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.LockNotAvailableError, asyncpg.exceptions.ReadOnlySQLTransactionError,
    asyncpg.exceptions.DeadlockDetectedError, asyncpg.exceptions.SerializationError)


def to_db(when: datetime) -> str:
    """A UTC timestamp as stored: fixed-width ISO text, so text order is time order."""
    if when.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")[:19] + "Z"  # twice strftime's speed


def from_db(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value)  # Python 3.11+ reads the trailing Z as UTC; much faster than strptime


def is_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def migrations(dialect: str = "sqlite") -> list[tuple[int, str, str]]:
    """(version, name, sql) for every numbered file in bot/storage/migrations/<dialect>, in order."""
    found = []
    for entry in (resources.files("bot.storage") / "migrations" / dialect).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise DatabaseError(f"migrations must be numbered 0001, 0002, ... without gaps; found {versions}")
    return found


class Row(Protocol):
    """A result row: by column name, by position, `dict(row)` and `tuple(row)` (sqlite3.Row and
    asyncpg.Record both are)."""

    def __getitem__(self, key: str | int) -> Any: ...


class Result(Protocol):
    """What `Connection.execute` returns: the rows (for a SELECT or `RETURNING`) and the count of
    rows changed. There is no `lastrowid`: write `INSERT ... RETURNING id`."""

    rowcount: int

    async def fetchone(self) -> Row | None: ...

    async def fetchall(self) -> list[Row]: ...


class Connection(Protocol):
    """The connection inside `Database.transaction()`."""

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> Result: ...

    async def execute_fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None: ...


class Database(ABC):
    """One backend: SQLite (a file, the embedded default) or PostgreSQL (a URL).

    `Database.open(target)` picks the backend from `target` and applies the migrations."""

    dialect: Dialect
    target: str  # the path or the URL, as given (a URL without its password in messages)
    background_tasks = 0  # tasks inside `background()` now

    @contextmanager
    def background(self) -> Iterator[None]:
        """The running task's statements are background work (a sweeper's job, which no member waits
        on): a backend may hold them a moment so they share a trip and a commit with other jobs'."""
        token = _BACKGROUND.set(True)
        self.background_tasks += 1
        try:
            yield
        finally:
            self.background_tasks -= 1
            _BACKGROUND.reset(token)

    @staticmethod
    def in_background() -> bool:
        return _BACKGROUND.get()

    @staticmethod
    async def open(target: str | Path) -> "Database":
        if is_url(target):
            from .postgres import PostgresDatabase

            return await PostgresDatabase.open(str(target))
        from .sqlite import SQLiteDatabase

        return await SQLiteDatabase.open(target)

    @abstractmethod
    async def migrate(self) -> int:
        """Apply every migration newer than the stored schema version; returns the version now."""

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A transaction, committed at the end of the block and rolled back on any error. Within one
        process transactions run one at a time, as SQLite's `BEGIN IMMEDIATE` makes them."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    @abstractmethod
    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None: ...

    @abstractmethod
    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one writing statement, atomically (its own transaction); returns the rows changed."""

    @abstractmethod
    async def tables(self) -> list[str]:
        """Kindred's tables (not the backend's own bookkeeping), by name."""

    @abstractmethod
    async def columns(self, table: str) -> list[str]:
        """A table's columns, in their order."""

    @abstractmethod
    async def references(self, table: str) -> set[str]:
        """The tables `table`'s foreign keys point to."""

    @abstractmethod
    def rows(self, table: str, batch: int) -> AsyncIterator[list[Row]]:
        """Every row of `table` (all columns, in `columns` order), `batch` at a time, without holding
        the table in memory."""

    async def insert_rows(self, table: str, columns: list[str], rows: list[Sequence[Any]]) -> None:
        """Add rows as they are (ids included), in one transaction: for copying a database."""
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    @abstractmethod
    async def checkpoint(self) -> None:
        """Periodic upkeep of the files on disk (SQLite's WAL checkpoint)."""

    @abstractmethod
    async def erase_checkpoint(self) -> bool:
        """After an erasure: make the deleted rows leave the disk, as far as the backend can."""

    @abstractmethod
    async def close(self) -> None:
        """Close once; a second call does nothing."""
