"""`python -m bot backup PATH`: a consistent copy of the database, safe while the bot runs.

SQLite's online backup API copies every page in one step, inside one read transaction: in WAL mode
the bot's writes go on meanwhile (readers never block the writer), and the copy is the database as
it was at one moment. (Copying in several steps would restart from the beginning whenever the bot
wrote in between, which a busy bot always does.) The copy is written beside PATH, checked, and
renamed into place when complete.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path

BUSY_TIMEOUT_SECONDS = 10


class BackupError(Exception):
    """The backup can't be made; the message says why."""


def backup(source: str | Path, target: str | Path) -> Path:
    """Copy `source` to `target` (a file, or a folder to put `kindred-backup.db` in); returns the file written."""
    folder = str(target).endswith(("/", os.sep))  # "backups/": a folder, even before it exists
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupError(f"there is no database at {source} (check KINDRED_DATABASE)")
    if folder or target.is_dir():
        target = target / f"{source.stem}-backup.db"
    if target.resolve() == source.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # pages=-1: everything in one step
                dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise BackupError(f"the copy failed its integrity check: {check}")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except BaseException as exc:  # whatever stopped it, no half-written copy is left behind
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise BackupError(f"SQLite could not copy {source} to {target}: {exc}") from exc
        if isinstance(exc, OSError):
            raise BackupError(f"can't write {target}: {exc.strerror or exc}") from exc
        raise
    return target
