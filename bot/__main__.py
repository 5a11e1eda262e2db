"""`python -m bot` (or `kindred`): run the bot, or one of its admin subcommands.

Exit status: 0 after a clean stop (SIGTERM, SIGINT) or a finished subcommand; 2 when something
must be fixed by a person first (a missing or rejected token, a bad setting, an unusable database,
a bad command line), so a supervisor should not restart it; 1 for a crash (a traceback), worth a
restart. While Discord can't be reached Kindred doesn't exit: it logs one line per attempt and
tries again with capped backoff (5 s doubling to 5 minutes).
"""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from . import __version__
from .config import ConfigError, load_config
from .storage import Database, DatabaseError

USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Kindred, a Discord bot that keeps people connected.",
        epilog="Settings come from the environment and a .env file; see the README's Settings table.")
    parser.add_argument("--version", action="version", version=f"Kindred {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="start the bot (the default)", description=(
        "Start the bot and run until stopped. SIGTERM or SIGINT (Ctrl-C) shut it down cleanly within 10 s "
        "with exit status 0. While Discord can't be reached it keeps trying (5 s doubling to 5 minutes)."))
    sub.add_parser("sync", help="push the slash commands to Discord globally, then exit",
                   description="Push the slash commands to Discord globally, then exit.")
    backup = sub.add_parser("backup", help="copy the database to PATH, safely while the bot runs", description=(
        "Copy the database (KINDRED_DATABASE) to PATH through SQLite's online backup API. Safe while the bot "
        "runs; the copy is one consistent moment and is checked before it replaces PATH."))
    backup.add_argument("path", metavar="PATH", help="file to write (or a folder: kindred-backup.db inside it)")
    sub.add_parser("health", help="exit 0 if the running bot is alive and connected to Discord", description=(
        "Read the health file the running bot rewrites every 30 s next to its database; exit 0 if it is fresh "
        "and the bot is connected to Discord, else 1, with one line saying why. For container health checks."))
    sub.add_parser("explain", help="show how Kindred reads a share: python -m bot explain --help", add_help=False)
    sub.add_parser("train", help="rebuild the reading model from data/corpus: python -m bot train --help",
                   add_help=False)
    sub.add_parser("demo", help="a simulated week against a local Discord, no token needed: python -m bot demo --help",
                   add_help=False)
    sub.add_parser("migrate", help="copy the SQLite database into an empty PostgreSQL one: python -m bot migrate --help",
                   add_help=False)
    return parser


def privileged_intents_help(config) -> str:
    """What to do when Discord refuses the privileged intents the settings ask for."""
    asked = [(setting, portal) for flag, setting, portal in (
        (config.message_content, "KINDRED_MESSAGE_CONTENT", "Message Content Intent"),
        (config.members_intent, "KINDRED_MEMBERS_INTENT", "Server Members Intent")) if flag]
    toggles = " and ".join(portal for _, portal in asked)
    settings = " and ".join(f"{setting}=false" for setting, _ in asked)
    return (f"Discord refused the privileged intents Kindred asked for: enable {toggles} in the developer portal "
            f"(Bot > Privileged Gateway Intents), or set {settings} in .env.")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "explain":  # explain, demo and train have their own flags and help
        from .explain import main as explain

        return explain(args[1:])
    if args and args[0] == "demo":
        from .demo import main as demo

        return demo(args[1:])
    if args and args[0] == "train":
        from .reading.training import main as train

        return train(args[1:])
    if args and args[0] == "migrate":
        from .storage.copy import main as migrate

        return migrate(args[1:])
    parser = _parser()
    try:
        chosen = parser.parse_args(args)
    except SystemExit as exit_:  # --help, --version, or a usage error argparse has already explained
        return int(exit_.code or 0)
    command = chosen.command or "run"
    try:
        config = load_config(require_token=command in ("run", "sync"))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return USAGE_ERROR
    if command == "backup":
        return _backup(config, chosen.path)
    if command == "health":
        return _health(config)
    from .service import logs

    logs.configure(config.log_level, config.log_format, payloads=config.log_payloads)
    # Until the bot installs its own handlers (once the database is open), SIGTERM acts as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return asyncio.run(_run(config, sync_only=command == "sync"))
    except DatabaseError as exc:
        print(f"Kindred can't start: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:  # a Ctrl-C before the signal handlers were installed
        return 0
    except Exception as exc:
        import discord

        if isinstance(exc, discord.LoginFailure):
            print("Discord rejected DISCORD_TOKEN. Copy a fresh token from the developer portal (Bot > Reset Token) "
                  "into .env.", file=sys.stderr)
            return USAGE_ERROR
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            print(privileged_intents_help(config), file=sys.stderr)
            return USAGE_ERROR
        raise


async def _run(config, sync_only: bool) -> int:
    from .app import bot_class
    from .service.lifecycle import serve

    db = await Database.open(config.database)
    bot = bot_class(config)(config, db, start_schedule=not sync_only)
    if sync_only:
        async with bot:
            await bot.login(config.token)  # runs setup_hook, which loads the commands
            print(await bot.sync_commands(force=True))
        return 0
    await serve(bot, config.token)
    return 0


def _backup(config, path: str) -> int:
    from .service.backup import BackupError, backup
    from .storage import is_url

    if is_url(config.database):
        print("KINDRED_DATABASE is a PostgreSQL database: back it up with PostgreSQL's own tools, e.g. "
              "pg_dump --format=custom --file=kindred.dump DATABASE_URL.", file=sys.stderr)
        return USAGE_ERROR
    try:
        written = backup(config.database, path)
    except BackupError as exc:
        print(f"No backup made: {exc}.", file=sys.stderr)
        return 1
    print(f"Backed up {config.database} to {written} ({written.stat().st_size:,} bytes).")
    return 0


def _health(config) -> int:
    from .service import health

    healthy, why = health.check(health.path_for(config.database, config.shards))
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
