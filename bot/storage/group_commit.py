"""Group commit for the SQLite backend: the statements that tasks issue while the connection is busy
are run together, in one trip to aiosqlite's thread, and the writing ones in one transaction.

With many jobs in flight (32 daily posts at once), each statement was a trip of its own and each
writing statement a transaction of its own: a commit (locks, a WAL append) for every `UPDATE`. A
batch keeps each caller's statement atomic and its result its own, and reports success only once the
batch's transaction is committed, so callers see what they saw before, sooner and for less CPU.

Which statements share the transaction: INSERT, UPDATE, DELETE and REPLACE (also behind a WITH).
Everything else (SELECT, PRAGMA) runs on its own outside it, after the writes, as before: a read
never takes the write lock, so it still answers while another process holds that lock. Calls that
were queued at the same moment are concurrent, so any order among them is one they could have had.
"""
from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .dialect import changes_rows

MAX_BATCH = 64  # statements per trip: bounds how long one trip keeps a late caller waiting


@dataclass(slots=True)
class Call:
    sql: str
    params: tuple
    rows: bool                # the caller wants the rows (else the number of rows changed)
    queued: float             # time.monotonic() when it was queued
    future: asyncio.Future

    @property
    def writes(self) -> bool:
        return writes(self.sql)


writes = lru_cache(maxsize=4096)(changes_rows)  # the same few statement texts, asked about at every call


def run(conn: sqlite3.Connection, calls: list[Call]) -> list[tuple[bool, Any]]:
    """In the connection's thread: the writes in one BEGIN IMMEDIATE ... COMMIT (a lone write is its
    own transaction, as any statement outside one), then the reads. Returns (ok, rows, row count or
    the exception) per call, in order."""
    out: list[tuple[bool, Any]] = [(False, None)] * len(calls)
    written = [i for i, call in enumerate(calls) if call.writes]
    if len(written) == 1:
        out[written[0]] = _one(conn, calls[written[0]])
    elif written:
        _together(conn, calls, written, out)
    for i, call in enumerate(calls):
        if not call.writes:
            out[i] = _one(conn, call)
    return out


def _one(conn: sqlite3.Connection, call: Call) -> tuple[bool, Any]:
    try:
        cursor = conn.execute(call.sql, call.params)
        rows = cursor.fetchall()  # a RETURNING statement has done all its work only once read to the end
        return True, (rows if call.rows else cursor.rowcount)
    except Exception as exc:  # sqlite3's errors, and a parameter it can't bind (an int past 64 bits): the caller's alone
        return False, exc


def _together(conn: sqlite3.Connection, calls: list[Call], written: list[int], out: list) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:  # another process holds the write lock past the busy timeout
        for i in written:
            out[i] = (False, exc)
        return
    for n, i in enumerate(written):
        out[i] = _one(conn, calls[i])
        # A failed statement undoes only itself (a constraint, a bad parameter), unless the error ended
        # the whole transaction (disk full, I/O): then every write of the batch failed with it.
        if not out[i][0] and not conn.in_transaction:
            for j in written:
                out[j] = (False, out[i][1])
            return
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        for i in written:
            out[i] = (False, exc)
