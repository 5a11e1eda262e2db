"""`python -m bot`, pointed at the loopback emulator, for tests of the real process:

    python tests/e2e/kindred_process.py http://127.0.0.1:PORT/api/v10 ws://127.0.0.1:PORT/gateway/ [ARGS]

discord.py has no setting for Discord's two addresses (the REST base and the gateway URL); this sets
them, then runs the `bot` package as `python -m bot ARGS` does (runpy), so signal handling,
logging, exit status and everything else are the production process's. Nothing in `bot/` knows it.
"""
import runpy
import sys

import discord
import yarl

rest, gateway, *args = sys.argv[1:]
discord.http.Route.BASE = rest
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
sys.argv = ["python -m bot", *args]
runpy.run_module("bot", run_name="__main__", alter_sys=True)
