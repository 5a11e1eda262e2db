"""The health file: the running bot rewrites it every half minute; `python -m bot health` reads it.

It sits next to the database (`kindred.db.health`), or, for a PostgreSQL database, in the temporary
folder, one per set of shards (`kindred-shards-0-1.health`: processes on one machine don't share
it). It holds the time and whether the gateway was connected, and lets a container or supervisor ask "is it alive and talking to Discord?" without a
network port or a second database connection.
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..storage import is_url

STALE_AFTER = timedelta(minutes=2)


def path_for(database: str | Path, shards=None) -> Path:
    if is_url(database):
        which = f"-shards-{'-'.join(map(str, shards.ids))}" if shards else ""
        return Path(tempfile.gettempdir()) / f"kindred{which}.health"
    return Path(f"{database}.health")


def write(path: Path, now: datetime, connected: bool) -> None:
    """Replace the file atomically, so a reader never sees half of it."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"at": now.isoformat(), "connected": connected}), encoding="utf-8")
    os.replace(temporary, path)


def check(path: Path, now: datetime | None = None) -> tuple[bool, str]:
    """(healthy, one line saying why)."""
    now = now or datetime.now(timezone.utc)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        at = datetime.fromisoformat(state["at"])
    except FileNotFoundError:
        return False, f"no health file at {path}: Kindred isn't running (or hasn't finished starting)"
    except (ValueError, KeyError, TypeError):
        return False, f"the health file {path} is unreadable"
    age = now - at
    if age > STALE_AFTER:
        return False, f"Kindred last wrote {path.name} {int(age.total_seconds())} s ago: it is stuck or stopped"
    if not state.get("connected"):
        return False, "Kindred is running but not connected to Discord (it keeps retrying)"
    return True, "Kindred is running and connected to Discord"
