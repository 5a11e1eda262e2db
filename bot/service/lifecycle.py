"""Start and stop: keep trying while Discord is unreachable, and shut down cleanly on a signal.

`docker stop` and `systemctl stop` send SIGTERM (Ctrl-C sends SIGINT); both stop the bot the same
way: the sweep stops claiming and finishes (or gives back) what it holds, the scheduler stops, the
gateway closes, and closing the database checkpoints the WAL away. Then one line, exit status 0.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Awaitable, Callable

import aiohttp
import discord

log = logging.getLogger("bot.service")

FIRST_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 300.0
SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# What "Discord can't be reached" looks like from aiohttp and discord.py; a rejected token is not one.
UNREACHABLE = (OSError, aiohttp.ClientError, asyncio.TimeoutError, discord.GatewayNotFound, discord.DiscordServerError)


def describe(exc: BaseException) -> str:
    """One line for a connection error (aiohttp's own text names the host and the reason)."""
    try:
        text = str(exc).strip()
    except Exception:  # noqa: BLE001 - an exception whose own __str__ fails still gets a line
        text = ""
    return (text or type(exc).__name__).splitlines()[0][:200]


async def until_reachable(attempt: Callable[[], Awaitable[None]], reset: Callable[[], Awaitable[None]],
                          sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Run `attempt` until Discord answers: after each failure, one warning line, `reset`, and a
    wait of 5 s, 10 s, 20 s ... capped at 5 minutes. Other errors (a rejected token) go up."""
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            await attempt()
            return
        except UNREACHABLE as exc:
            log.warning("can't reach Discord (%s); trying again in %.0f s", describe(exc), delay)
            await reset()
            await sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)


async def serve(client: discord.Client, token: str) -> str | None:
    """Run `client` until it stops by itself or a shutdown signal arrives; returns the signal's name.

    A second signal while shutting down is logged and otherwise ignored: the shutdown is bounded
    (see `KindredBot.close`), so it never needs forcing."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    received: list[str] = []

    def on_signal(sig: signal.Signals) -> None:
        if received:
            log.warning("%s again: already shutting down", sig.name)
            return
        received.append(sig.name)
        stop.set()

    for sig in SHUTDOWN_SIGNALS:
        loop.add_signal_handler(sig, on_signal, sig)
    running = asyncio.create_task(client.start(token), name="kindred")
    stopping = asyncio.create_task(stop.wait(), name="kindred-signals")
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():  # it stopped by itself (e.g. a rejected token): close, then raise what stopped it
            await client.close()
            running.result()
            return None
        began = time.monotonic()
        await client.close()
        if not running.done():  # e.g. still waiting to retry the login
            running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        log.info("Kindred stopped after %s in %.1f s: sends finished, database closed", received[0], time.monotonic() - began)
        return received[0]
    finally:
        stopping.cancel()
        for sig in SHUTDOWN_SIGNALS:
            loop.remove_signal_handler(sig)
