"""PostgreSQL, for more than one process: an asyncpg pool, the same SQL through PostgresDialect,
migrations tracked in a `schema_version` table (one row per file applied)."""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import asyncpg

from .base import Database, DatabaseError, migrations, to_db
from .dialect import PostgresDialect, returns_rows

log = logging.getLogger(__name__)

POOL_SIZE = 8
CONNECT_TIMEOUT = 10.0
MIGRATION_LOCK = 0x6B696E64  # pg_advisory_xact_lock key: processes starting together migrate one at a time
_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


class _Result:
    """Rows fetched at once (so nothing holds the connection), read like a cursor."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        self._rows, self._next, self.rowcount = rows, 0, rowcount

    async def fetchone(self) -> asyncpg.Record | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[asyncpg.Record]:
        rest, self._next = self._rows[self._next:], len(self._rows)
        return rest


async def _run(conn: asyncpg.Connection, dialect: PostgresDialect, sql: str, params: Iterable[Any]) -> _Result:
    query = dialect.translate(sql)
    if returns_rows(query):
        rows = await conn.fetch(query, *params)
        return _Result(rows, len(rows))
    status = await conn.execute(query, *params)  # "UPDATE 3", "INSERT 0 1", "DELETE 0"
    count = status.rsplit(" ", 1)[-1]
    return _Result([], int(count) if count.isdigit() else -1)


class _Connection:
    """One pooled connection inside a transaction, speaking SQLite's spelling."""

    def __init__(self, conn: asyncpg.Connection, dialect: PostgresDialect) -> None:
        self._conn, self._dialect = conn, dialect

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> _Result:
        return await _run(self._conn, self._dialect, sql, params)

    async def execute_fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[asyncpg.Record]:
        return await self._conn.fetch(self._dialect.translate(sql), *params)

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(self._dialect.translate(sql), [tuple(p) for p in params])


class PostgresDatabase(Database):
    """A pool of connections. Statements run concurrently; transactions one at a time per process
    (as on SQLite), which is what the data modules' check-then-write transactions assume. Across
    processes each server belongs to one shard, hence one process; the jobs table, shared by all,
    is claimed with FOR UPDATE SKIP LOCKED."""

    dialect = PostgresDialect()

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self._pool: asyncpg.Pool | None = pool
        self._transactions = asyncio.Lock()
        self.url = url
        self.target = redact(url)

    @classmethod
    async def open(cls, url: str, pool_size: int = POOL_SIZE) -> "PostgresDatabase":
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=pool_size, timeout=CONNECT_TIMEOUT)
        except (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise DatabaseError(f"Can't connect to PostgreSQL at {redact(url)}: {exc or type(exc).__name__}. "
                                "Check KINDRED_DATABASE (postgresql://user:password@host:port/database) and that "
                                "the server is running.") from exc
        db = cls(pool, url)
        try:
            await db.migrate()
        except BaseException as exc:
            await db.close()
            if isinstance(exc, asyncpg.PostgresError):
                raise DatabaseError(f"The PostgreSQL database at {redact(url)} can't be used: {exc}.") from exc
            raise
        return db

    async def schema_version(self) -> int:
        return await self._pool.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")

    async def migrate(self) -> int:
        """Apply every migration newer than the newest row of schema_version, each in its own
        transaction under an advisory lock (a second process starting at once waits, then skips)."""
        known = migrations("postgresql")
        async with self._pool.acquire() as conn:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                await conn.execute(_VERSION_TABLE)
            if await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version") == len(known):
                return len(known)
            for version, name, sql in known:
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                    current = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
                    if current > len(known):
                        raise DatabaseError(
                            f"The database is at schema version {current}, newer than this Kindred ({len(known)}). "
                            "Upgrade Kindred or use another KINDRED_DATABASE.")
                    if version <= current:
                        continue
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                                       version, name, to_db(datetime.now(timezone.utc)))
        return len(known)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Connection]:
        async with self._transactions, self._pool.acquire() as conn, conn.transaction():
            yield _Connection(conn, self.dialect)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[asyncpg.Record]:
        return await self._pool.fetch(self.dialect.translate(sql), *params)

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> asyncpg.Record | None:
        return await self._pool.fetchrow(self.dialect.translate(sql), *params)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._pool.acquire() as conn:
            return (await _run(conn, self.dialect, sql, params)).rowcount

    async def tables(self) -> list[str]:
        rows = await self._pool.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                      "AND tablename <> 'schema_version' ORDER BY tablename")
        return [r[0] for r in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self._pool.fetch("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                      "current_schema() AND table_name = $1 ORDER BY ordinal_position", table)
        return [r[0] for r in rows]

    async def references(self, table: str) -> set[str]:
        rows = await self._pool.fetch("SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
                                      "AND conrelid = $1::regclass", table)
        return {r[0] for r in rows}

    async def rows(self, table: str, batch: int) -> AsyncIterator[list[asyncpg.Record]]:
        columns = ", ".join(await self.columns(table))
        async with self._pool.acquire() as conn, conn.transaction():
            cursor = await conn.cursor(f"SELECT {columns} FROM {table}")
            while page := await cursor.fetch(batch):
                yield page

    async def insert_rows(self, table: str, columns: list[str], rows: list[Sequence[Any]]) -> None:
        """COPY (binary, the fast path), then move the table's id sequence past the ids copied."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.copy_records_to_table(table, records=[tuple(r) for r in rows], columns=columns)
            if "id" in columns and await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table):
                await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")

    async def checkpoint(self) -> None:
        """PostgreSQL checkpoints and vacuums by itself."""

    async def erase_checkpoint(self) -> bool:
        """PostgreSQL has no secure_delete: deleted rows are gone from every query at once, and their
        bytes leave the disk as autovacuum and WAL recycling overwrite them (README, "Moving to
        PostgreSQL", says what that means for erasure)."""
        return True

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), 10)
            except asyncio.TimeoutError:
                pool.terminate()
