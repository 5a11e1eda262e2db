"""discord.py's HTTP client keeps one rate-limit bucket per route it has used (a channel's messages,
a member look-up...) and, once it holds 256 of them, walks all of them each time a new one is made,
to drop those idle for five minutes. Posting to 10,000 channels in a few minutes makes 10,000 new
buckets, each walking the others: quadratic, and most of Kindred's CPU per post. `sweep_at_most_every`
keeps discord.py's rule (idle buckets are dropped) but walks the buckets at most once a period."""
from __future__ import annotations

import time
from collections.abc import Callable

import discord

SWEEP_SECONDS = 60.0  # buckets then live at most 6 idle minutes instead of 5
SWEEP_FROM = 256  # discord.py walks its buckets only once it holds this many


def sweep_at_most_every(http: discord.http.HTTPClient, seconds: float = SWEEP_SECONDS,
                        clock: Callable[[], float] = time.monotonic) -> None:
    """Make `http` drop its idle buckets at most once every `seconds` (discord.py's own sweep)."""
    sweep = http._try_clear_expired_ratelimits
    last = [float("-inf")]

    def throttled() -> None:
        if len(http._buckets) < SWEEP_FROM:
            return
        now = clock()
        if now - last[0] < seconds:
            return
        last[0] = now
        sweep()

    http._try_clear_expired_ratelimits = throttled
