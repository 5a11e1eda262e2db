"""Settings from the environment (and `.env`), validated with clear errors.

Settings are loaded in `main()` and passed in; nothing reads the environment at import time.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from . import shards as sharding
from .shards import Shards
from .storage import is_url
from .storage.postgres import redact

TOKEN_HELP = """\
DISCORD_TOKEN is not set, so Kindred cannot log in to Discord.

How to get a token:
  1. Open https://discord.com/developers/applications and create an application.
  2. Under "Bot", press "Reset Token" and copy it.
  3. Put it in a file named .env next to pyproject.toml:   DISCORD_TOKEN=your-token-here
     (see .env.example for every setting; KINDRED_ENV_FILE names another file), or set
     DISCORD_TOKEN in the environment.
  4. Invite the bot with OAuth2 > URL Generator: scopes "bot applications.commands",
     permissions: View Channels, Send Messages, Send Messages in Threads, Embed Links,
     Read Message History, Create Public Threads.
"""


PROJECT_ENV_FILE = Path(__file__).resolve().parents[1] / ".env"  # next to pyproject.toml in a checkout
LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """A setting is missing or invalid; the message says what to do."""


@dataclass(frozen=True)
class Config:
    token: str
    database: Path | str  # an SQLite file, or a postgresql:// URL
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    message_content: bool = False
    members_intent: bool = False
    log_payloads: bool = False
    log_format: str = "text"
    requests_per_second: float = 50.0  # Discord's global limit for a bot (it raises it for some large bots)
    dms_per_second: float = 5.0  # nudge DMs, together: steady, so many DMs don't look like spam
    shards: Shards | None = None  # None: one unsharded bot

    def __repr__(self) -> str:  # never show the token in logs or tracebacks
        return (
            f"Config(token=<hidden>, database={redact(str(self.database))!r}, dev_guild_id={self.dev_guild_id!r}, "
            f"log_level={self.log_level!r}, message_content={self.message_content!r}, "
            f"members_intent={self.members_intent!r}, log_payloads={self.log_payloads!r}, "
            f"log_format={self.log_format!r}, shards={self.shards!r})"
        )


def env_file(environ: dict[str, str]) -> Path | None:
    """The one .env file read: `KINDRED_ENV_FILE` if set (it must exist), else `.env` in the project
    folder (next to pyproject.toml) when running from a checkout, else `.env` in the current folder."""
    named = environ.get("KINDRED_ENV_FILE", "").strip()
    if named:
        path = Path(named)
        if not path.is_file():
            raise ConfigError(f"KINDRED_ENV_FILE={named} is not a file. Point it at your .env file, or unset it.")
        return path
    for candidate in (PROJECT_ENV_FILE, Path(".env")):
        if candidate.is_file():
            return candidate
    return None


def load_config(env: dict[str, str] | None = None, *, require_token: bool = True) -> Config:
    """Build a Config from `env` (default: the environment, plus the .env file `env_file` finds; a
    variable set in the environment wins over the same one in the file)."""
    if env is None:
        env = dict(os.environ)
        path = env_file(env)
        if path is not None:
            from dotenv import dotenv_values

            env = {**{k: v for k, v in dotenv_values(path).items() if v is not None}, **env}

    token = env.get("DISCORD_TOKEN", "").strip()
    if not token and require_token:
        raise ConfigError(TOKEN_HELP)

    raw_database = env.get("KINDRED_DATABASE", "").strip() or "data/kindred.db"
    database = raw_database if is_url(raw_database) else Path(raw_database)
    try:
        shards = sharding.parse(env.get("KINDRED_SHARD_COUNT", ""), env.get("KINDRED_SHARD_IDS", ""))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc

    dev_guild_raw = env.get("KINDRED_DEV_GUILD_ID", "").strip()
    dev_guild_id = None
    if dev_guild_raw:
        if not dev_guild_raw.isdigit():
            raise ConfigError(
                f"KINDRED_DEV_GUILD_ID={dev_guild_raw!r} is not a server id. Enable Developer Mode in Discord, "
                "right-click your server and choose 'Copy Server ID', or leave it empty."
            )
        dev_guild_id = int(dev_guild_raw)

    log_level = (env.get("KINDRED_LOG_LEVEL", "").strip() or "INFO").upper()
    if not isinstance(logging.getLevelName(log_level), int):
        raise ConfigError(f"KINDRED_LOG_LEVEL={log_level!r} is not a log level: use DEBUG, INFO, WARNING or ERROR.")
    log_format = env.get("KINDRED_LOG_FORMAT", "").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"KINDRED_LOG_FORMAT={log_format!r} must be text or json.")
    rates = {}
    for name, default in (("KINDRED_REQUESTS_PER_SECOND", 50.0), ("KINDRED_DMS_PER_SECOND", 5.0)):
        value = env.get(name, "").strip()
        try:
            rates[name] = float(value) if value else default
        except ValueError:
            rates[name] = -1.0
        if not 0 < rates[name] <= 10_000:
            raise ConfigError(f"{name}={value!r} must be a number of requests per second above 0 (default {default:g}).")
    return Config(token, database, dev_guild_id, log_level, _flag(env, "KINDRED_MESSAGE_CONTENT"),
                  _flag(env, "KINDRED_MEMBERS_INTENT"), _flag(env, "KINDRED_LOG_PAYLOADS"), log_format,
                  rates["KINDRED_REQUESTS_PER_SECOND"], rates["KINDRED_DMS_PER_SECOND"], shards)


def _flag(env: dict[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw not in ("", "true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"{name}={raw!r} must be true or false.")
    return raw in ("true", "1", "yes")
