"""`python -m bot` (or `kindred`): run the bot. Subcommands: `sync` (commands, globally), `explain`, `demo`."""
from __future__ import annotations

import asyncio
import logging
import sys

from .config import ConfigError, load_config
from .db import Database, DatabaseError
from .log_privacy import hold_payload_loggers

USAGE = """usage: python -m bot [run | sync | explain ... | demo ...]
  run      start the bot (the default)
  sync     push the slash commands to Discord globally, then exit
  explain  show how Kindred reads a share: python -m bot explain --help
  demo     a simulated week against a local Discord, no token needed: python -m bot demo --help"""


async def _run(config, sync_only: bool) -> int:
    from .app import KindredBot

    db = await Database.open(config.database)
    bot = KindredBot(config, db, start_schedule=not sync_only)
    async with bot:
        if sync_only:
            await bot.login(config.token)  # runs setup_hook, which loads the commands
            print(await bot.sync_commands(force=True))
            return 0
        await bot.start(config.token)
    return 0


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
    command = args[0] if args else "run"
    if command in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if command == "explain":
        from .explain import main as explain

        return explain(args[1:])
    if command == "demo":
        from .demo import main as demo

        return demo(args[1:])
    if command not in ("run", "sync"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        config = load_config()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    hold_payload_loggers(config.log_payloads)
    try:
        return asyncio.run(_run(config, command == "sync"))
    except DatabaseError as exc:
        print(f"Kindred can't start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        import discord

        if isinstance(exc, discord.LoginFailure):
            print("Discord rejected DISCORD_TOKEN. Copy a fresh token from the developer portal (Bot > Reset Token) into .env.",
                  file=sys.stderr)
            return 2
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            print(privileged_intents_help(config), file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
