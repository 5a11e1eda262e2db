"""Settings, the entry point's exit codes and messages, and opening the database."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.storage import Database, DatabaseError, migrations
from bot.storage.sqlite import SQLiteDatabase

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
    (tmp_path / "empty.env").write_text("")
    env.update({"KINDRED_ENV_FILE": str(tmp_path / "empty.env"), **env_extra})
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


def _sqlite_threads(settle: float = 1.0) -> int:
    """aiosqlite's connection threads still alive (a closed one ends just after close() returns)."""
    import threading
    import time

    deadline = time.monotonic() + settle
    while True:
        alive = [t for t in threading.enumerate() if "(_connection_worker_thread)" in t.name]
        if not alive or time.monotonic() > deadline:
            return len(alive)
        for thread in alive:
            thread.join(0.05)


async def test_newer_database_is_refused_and_its_connection_closed(tmp_path):
    conn = sqlite3.connect(tmp_path / "k.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = _sqlite_threads()
    with pytest.raises(DatabaseError, match="newer than this Kindred") as refused:
        await Database.open(tmp_path / "k.db")
    # Checked while the error (and so its traceback's frames) is still held: a connection left open
    # would otherwise only be stopped by the garbage collector, with a ResourceWarning.
    assert _sqlite_threads() == before, "the refused database's connection thread ended"
    del refused


async def test_a_failed_open_closes_its_connection_whatever_the_error(tmp_path, monkeypatch):
    async def broken(self):
        raise RuntimeError("a bug in a migration")

    monkeypatch.setattr(SQLiteDatabase, "migrate", broken)
    before = _sqlite_threads()
    with pytest.raises(RuntimeError) as failed:
        await Database.open(tmp_path / "k.db")
    assert _sqlite_threads() == before
    del failed


async def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT * FROM meta") is None


async def test_locked_database_is_an_error_not_a_hang(tmp_path, monkeypatch):
    import bot.storage.sqlite as dbmod

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


def test_run_help_unknown_subcommand_and_version(tmp_path):
    helped = _run_bot(tmp_path, {}, "run", "--help")
    assert helped.returncode == 0 and "SIGTERM" in helped.stdout and "usage: python -m bot run" in helped.stdout
    unknown = _run_bot(tmp_path, {}, "frobnicate")
    assert unknown.returncode == 2 and "invalid choice: 'frobnicate'" in unknown.stderr and "run" in unknown.stderr
    assert _run_bot(tmp_path, {}, "--version").stdout.startswith("Kindred ")


def test_env_file_precedence(tmp_path, monkeypatch):
    from bot import config

    project, here, named = tmp_path / "project.env", tmp_path / ".env", tmp_path / "named.env"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "PROJECT_ENV_FILE", project)
    assert config.env_file({}) is None
    here.write_text("DISCORD_TOKEN=from-cwd\n")
    assert config.env_file({}) == Path(".env")
    project.write_text("DISCORD_TOKEN=from-project\nKINDRED_LOG_LEVEL=debug\n")
    assert config.env_file({}) == project, "the project's .env (next to pyproject.toml) comes first"
    named.write_text("DISCORD_TOKEN=from-named\n")
    assert config.env_file({"KINDRED_ENV_FILE": str(named)}) == named
    with pytest.raises(ConfigError, match="KINDRED_ENV_FILE"):
        config.env_file({"KINDRED_ENV_FILE": str(tmp_path / "missing.env")})

    for key in ("DISCORD_TOKEN", "KINDRED_LOG_LEVEL", "KINDRED_ENV_FILE"):
        monkeypatch.delenv(key, raising=False)
    assert (load_config().token, load_config().log_level) == ("from-project", "DEBUG")
    monkeypatch.setenv("DISCORD_TOKEN", "from-environment")
    assert load_config().token == "from-environment", "the environment wins over the file"
    monkeypatch.setenv("KINDRED_ENV_FILE", str(named))
    assert (load_config().token, load_config().log_level) == ("from-environment", "INFO")


def test_log_format_is_text_or_json():
    assert load_config({"DISCORD_TOKEN": "t"}).log_format == "text"
    assert load_config({"DISCORD_TOKEN": "t", "KINDRED_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match="KINDRED_LOG_FORMAT"):
        load_config({"DISCORD_TOKEN": "t", "KINDRED_LOG_FORMAT": "xml"})


def test_the_env_file_is_found_next_to_the_project_from_another_folder(tmp_path):
    """The token help says `.env` next to pyproject.toml: it is read wherever Kindred is started from."""
    from bot.config import PROJECT_ENV_FILE

    assert PROJECT_ENV_FILE == ROOT / ".env"
