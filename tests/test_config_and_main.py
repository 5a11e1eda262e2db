"""Settings, the entry point's exit codes and messages, and opening the database."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.db import Database, DatabaseError, migrations

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_and_token_is_never_shown():
    config = load_config({"DISCORD_TOKEN": "secret-token"})
    assert config.database == Path("data/kindred.db")
    assert config.dev_guild_id is None and config.log_level == "INFO"
    assert "secret-token" not in repr(config) and "secret-token" not in str(config)


def test_all_variables():
    config = load_config({"DISCORD_TOKEN": "t", "KINDRED_DATABASE": "/tmp/k.db", "KINDRED_DEV_GUILD_ID": "123",
                          "KINDRED_LOG_LEVEL": "debug", "KINDRED_MEMBERS_INTENT": "true"})
    assert (str(config.database), config.dev_guild_id, config.log_level) == ("/tmp/k.db", 123, "DEBUG")
    assert config.members_intent and not config.message_content


@pytest.mark.parametrize("env, words", [
    ({}, "DISCORD_TOKEN"),
    ({"DISCORD_TOKEN": "t", "KINDRED_DEV_GUILD_ID": "my server"}, "KINDRED_DEV_GUILD_ID"),
    ({"DISCORD_TOKEN": "t", "KINDRED_LOG_LEVEL": "LOUD"}, "KINDRED_LOG_LEVEL"),
    ({"DISCORD_TOKEN": "t", "KINDRED_MEMBERS_INTENT": "sure"}, "KINDRED_MEMBERS_INTENT"),
    ({"DISCORD_TOKEN": "t", "KINDRED_MESSAGE_CONTENT": "maybe"}, "KINDRED_MESSAGE_CONTENT"),
])
def test_bad_settings_say_what_to_do(env, words):
    with pytest.raises(ConfigError, match=words):
        load_config(env)


def _run_bot(tmp_path, env_extra, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "KINDRED_"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)


def test_without_token_exits_2_and_explains(tmp_path):
    result = _run_bot(tmp_path, {})
    assert result.returncode == 2
    for words in ("DISCORD_TOKEN", "developer", "bot applications.commands", ".env", "Send Messages"):
        assert words in result.stderr


def test_database_that_cannot_be_created_exits_2_with_a_clear_message(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    result = _run_bot(tmp_path, {"DISCORD_TOKEN": "t", "KINDRED_DATABASE": str(tmp_path / "a-file" / "k.db")})
    assert result.returncode == 2
    assert "Can't create the folder" in result.stderr and "Traceback" not in result.stderr


def test_corrupt_database_exits_2_with_a_clear_message(tmp_path):
    (tmp_path / "bad.db").write_bytes(b"this is not a database, just some text" * 100)
    result = _run_bot(tmp_path, {"DISCORD_TOKEN": "t", "KINDRED_DATABASE": str(tmp_path / "bad.db")})
    assert result.returncode == 2
    assert "can't be used" in result.stderr and "backup" in result.stderr


async def test_database_folder_path_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        await Database.open(tmp_path)


async def test_unwritable_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(DatabaseError, match="not writable"):
        await Database.open(tmp_path / "new" / "k.db")


async def test_migrations_apply_once_and_set_pragmas(tmp_path):
    db = await Database.open(tmp_path / "k.db")
    assert (await db.fetchone("PRAGMA user_version"))[0] == len(migrations())
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] >= 1000
    await db.close()
    again = await Database.open(tmp_path / "k.db")  # reopening applies nothing twice
    assert (await again.fetchone("PRAGMA user_version"))[0] == len(migrations())
    await again.close()


async def test_newer_database_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "k.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(DatabaseError, match="newer than this Kindred"):
        await Database.open(tmp_path / "k.db")


async def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT * FROM meta") is None


async def test_locked_database_is_an_error_not_a_hang(tmp_path, monkeypatch):
    import bot.db as dbmod

    db = await Database.open(tmp_path / "k.db")
    other = sqlite3.connect(tmp_path / "k.db", timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    await db._conn.execute("PRAGMA busy_timeout = 100")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await db.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
    finally:
        other.rollback()
        other.close()
    assert dbmod.BUSY_TIMEOUT_MS >= 1000
    await db.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")  # works again once released
    await db.close()


async def test_checkpoint_copies_the_wal_from_a_second_connection(tmp_path):
    db = await Database.open(tmp_path / "k.db")
    assert (await db.fetchone("PRAGMA wal_autocheckpoint"))[0] == 0, "no fsync inside our own commits"
    for i in range(200):
        await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{i}", "v" * 500))
    await db.checkpoint()
    other = sqlite3.connect(tmp_path / "k.db")
    busy, frames, copied = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    other.close()
    assert busy == 0 and frames == copied, "everything in the WAL is already in the database file"
    await db.close()
