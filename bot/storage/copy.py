"""`python -m bot migrate postgresql://...`: copy an SQLite database into an empty PostgreSQL one,
table by table (parents before the tables that reference them), then check that every table holds
as many rows on both sides. Written once against the Database interface, so it copies between any
two backends; stop the bot first, so nothing changes while it copies."""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .base import Database, DatabaseError, is_url

BATCH = 5000
STARTUP_TABLES = {"questions", "meta"}  # what a bot started on the new database writes before anything happens
DERIVED_TABLES = {"question_uses"}  # kept by triggers: the target's rebuild them from the rows copied


class CopyError(Exception):
    """The copy can't start or didn't match; the message says what to do."""


async def _order(db: Database) -> list[str]:
    """Tables, each after the tables its foreign keys point to."""
    tables = await db.tables()
    refs = {t: (await db.references(t)) & set(tables) - {t} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and refs[t] <= set(ordered)]
        if not ready:
            raise CopyError(f"foreign keys form a cycle among {sorted(set(tables) - set(ordered))}")
        ordered.extend(ready)
    return ordered


async def count(db: Database, table: str) -> int:
    return (await db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0]


async def copy(source: Database, target: Database, progress: Callable[[str, int, int], None] | None = None,
               batch: int = BATCH) -> dict[str, int]:
    """Copy every table of `source` into `target` (empty, at the same schema version); returns the
    rows per table, verified equal on both sides."""
    if await source.schema_version() != await target.schema_version():
        raise CopyError(f"the databases are at different schema versions ({await source.schema_version()} and "
                        f"{await target.schema_version()}): run this Kindred's version on both")
    tables = await _order(source)
    if set(tables) != set(await target.tables()):
        raise CopyError(f"the databases have different tables: {sorted(set(tables) ^ set(await target.tables()))}")
    full = {t for t in tables if await count(target, t)}
    if full - STARTUP_TABLES:
        raise CopyError(f"{target.target} already holds Kindred data (in {', '.join(sorted(full))}); "
                        "copy into an empty database")
    for table in full:  # what a bot's start-up alone wrote there: the copy brings its own
        await target.execute(f"DELETE FROM {table}")
    copied: dict[str, int] = {}
    for table in (t for t in tables if t not in DERIVED_TABLES):
        columns, total, done = await source.columns(table), await count(source, table), 0
        async for rows in source.rows(table, batch):
            await target.insert_rows(table, columns, rows)
            done += len(rows)
            if progress:
                progress(table, done, total)
        if progress and not total:
            progress(table, 0, 0)
        copied[table] = done
    for table in DERIVED_TABLES & set(tables):
        copied[table] = await count(target, table)  # checked against the source's below, like the others
    mismatched = {t: (await count(source, t), await count(target, t)) for t in tables}
    mismatched = {t: n for t, n in mismatched.items() if n[0] != n[1]}
    if mismatched:
        raise CopyError("the row counts differ after copying: " + ", ".join(
            f"{t} {a} in the source, {b} in the target" for t, (a, b) in mismatched.items()))
    return copied


def _progress_printer() -> Callable[[str, int, int], None]:
    shown: dict[str, float] = {}

    def show(table: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - shown.get(table, 0) < 0.5:
            return
        shown[table] = now
        width = 30
        filled = width if not total else width * done // total
        end = "\n" if done >= total else "\r"
        print(f"  {table:<16} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,} rows", end=end,
              file=sys.stderr, flush=True)

    return show


def _default_source() -> str:
    """KINDRED_DATABASE (from the environment or .env, as the bot reads it) when it is a path."""
    from ..config import load_config

    configured = load_config(require_token=False).database
    return "data/kindred.db" if is_url(configured) else str(configured)


async def _main(source_path: str, url: str) -> int:
    if not Path(source_path).is_file():
        print(f"There is no SQLite database at {source_path}. Name it with --from PATH.", file=sys.stderr)
        return 2
    source = await Database.open(source_path)
    try:
        target = await Database.open(url)
    except DatabaseError:
        await source.close()
        raise
    try:
        print(f"Copying {source_path} into {target.target}:", file=sys.stderr)
        copied = await copy(source, target, _progress_printer())
    except CopyError as exc:
        print(f"Nothing to rely on yet: {exc}.", file=sys.stderr)
        return 1
    finally:
        await source.close()
        await target.close()
    print(f"Done: {sum(copied.values()):,} rows in {len(copied)} tables, the same count in each table on both sides. "
          f"Set KINDRED_DATABASE={target.target} (with its password) and start Kindred.")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot migrate",
                                     description="Copy Kindred's SQLite database into an empty PostgreSQL database.")
    parser.add_argument("url", help="postgresql://user:password@host:port/database (an empty database)")
    parser.add_argument("--from", dest="source", default=None,
                        help="the SQLite file (default: KINDRED_DATABASE when it is a path, else data/kindred.db)")
    args = parser.parse_args(argv)
    if not is_url(args.url):
        parser.error(f"{args.url!r} is not a postgresql:// URL")
    try:
        return asyncio.run(_main(args.source or _default_source(), args.url))
    except DatabaseError as exc:
        print(f"Can't copy: {exc}", file=sys.stderr)
        return 2
