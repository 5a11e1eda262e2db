"""A model of Discord's REST API behind discord.py's own HTTP client, and an event loop that warps
time, so that hours of sending at Discord's pace take seconds.

`ModelSession` stands in for the aiohttp session inside `discord.http.HTTPClient`: every request
takes `latency` seconds, counts against a global limit (per second, answered with a global 429
past it) and against its route's bucket (e.g. 5 messages per 5 s per channel), with the headers
discord.py reads (X-RateLimit-*, Retry-After, Via). `WarpLoop` runs real code at real speed but
skips idle waits: when nothing is ready, the clock jumps to the next timer."""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import selectors
import time
from collections import defaultdict, deque

SNOWFLAKES = itertools.count(1_500_000_000_000_000_000)
BOT_ID = 1_400_000_000_000_000_001

# (method, path pattern, requests, per seconds): the buckets Kindred's sending meets, per channel/guild.
BUCKETS = (
    ("POST", re.compile(r"/channels/(\d+)/messages$"), 5, 5.0),
    ("GET", re.compile(r"/channels/(\d+)/messages$"), 5, 1.0),
    ("POST", re.compile(r"/channels/(\d+)/messages/\d+/threads$"), 10, 10.0),
    ("GET", re.compile(r"/guilds/(\d+)/members/\d+$"), 10, 1.0),
)


class _WarpSelector(selectors.DefaultSelector):
    def __init__(self, loop_holder: list) -> None:
        super().__init__()
        self._holder = loop_holder

    def select(self, timeout=None):
        loop = self._holder[0]
        if timeout is None or timeout <= 0 or loop.threads_busy:
            return super().select(timeout)  # a database call in flight: wait for it in real time
        events = super().select(0)
        if not events:
            loop.warp(timeout)  # only timers are left: jump to the next one
        return events


class WarpLoop(asyncio.SelectorEventLoop):
    """`time()` is real time plus every idle wait skipped so far."""

    def __init__(self) -> None:
        holder: list = []
        super().__init__(_WarpSelector(holder))
        holder.append(self)
        self.skipped = 0.0
        self.threads_busy = 0  # aiosqlite calls awaiting their thread (counted by `count_database_calls`)

    def warp(self, seconds: float) -> None:
        if seconds > 0:
            self.skipped += seconds

    def time(self) -> float:
        return time.monotonic() + self.skipped


def count_database_calls() -> None:
    """Make aiosqlite tell the WarpLoop while a call is with its thread, so the clock never jumps
    over work that is really being done."""
    import aiosqlite.core

    if getattr(aiosqlite.core.Connection._execute, "counted", False):
        return
    real = aiosqlite.core.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        loop = asyncio.get_running_loop()
        busy = isinstance(loop, WarpLoop)
        if busy:
            loop.threads_busy += 1
        try:
            return await real(self, fn, *args, **kwargs)
        finally:
            if busy:
                loop.threads_busy -= 1

    counted.counted = True
    aiosqlite.core.Connection._execute = counted


class _Response:
    def __init__(self, status: int, body: object, headers: dict[str, str]) -> None:
        self.status, self.reason = status, "OK" if status < 400 else "Error"
        self._body = json.dumps(body)
        self.headers = {"content-type": "application/json", **headers}

    async def text(self, encoding: str = "utf-8") -> str:
        return self._body


class _Pending:
    """`async with session.request(...) as response`, as aiohttp offers it."""

    def __init__(self, answer) -> None:
        self._answer = answer

    async def __aenter__(self) -> "_Response":
        return await self._answer

    async def __aexit__(self, *exc) -> None:
        return None


class ModelSession:
    """What discord.py's HTTPClient needs of an aiohttp session, answering like Discord would."""

    closed = False

    def __init__(self, latency: float = 0.08, global_per_second: int = 50) -> None:
        self.latency, self.global_per_second = latency, global_per_second
        self.requests: list[tuple[float, str, str, int]] = []  # (loop time, method, path, status)
        self.rejected = 0
        self.sent: list[tuple[str, str, dict]] = []  # every request as discord.py made it (for `own_cpu`)
        self._global: deque[float] = deque()
        self._buckets: dict[tuple[int, str], deque[float]] = defaultdict(deque)

    def request(self, method: str, url: str, **kwargs) -> "_Pending":
        self.sent.append((method, url, kwargs))
        return _Pending(self._answer(method, url.split("/api/v10", 1)[-1].split("?")[0], kwargs))

    async def _answer(self, method: str, path: str, kwargs) -> _Response:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(self.latency / 2)
        now = loop.time()
        while self._global and self._global[0] <= now - 1.0:
            self._global.popleft()
        if len(self._global) >= self.global_per_second:
            self.rejected += 1
            self.requests.append((now, method, path, 429))
            retry = self._global[0] + 1.0 - now
            await asyncio.sleep(self.latency / 2)
            return _Response(429, {"message": "You are being rate limited.", "retry_after": retry, "global": True},
                             {"Retry-After": f"{retry:.3f}", "X-RateLimit-Global": "true", "Via": "1.1 google"})
        self._global.append(now)
        headers = {}
        for index, (verb, pattern, limit, per) in enumerate(BUCKETS):
            match = pattern.search(path) if verb == method else None
            if match is None:
                continue
            window = self._buckets[(index, match.group(1) if match.groups() else "")]
            while window and window[0] <= now - per:
                window.popleft()
            if len(window) >= limit:
                self.rejected += 1
                self.requests.append((now, method, path, 429))
                retry = window[0] + per - now
                await asyncio.sleep(self.latency / 2)
                return _Response(429, {"message": "You are being rate limited.", "retry_after": retry, "global": False},
                                 {"Retry-After": f"{retry:.3f}", "X-RateLimit-Limit": str(limit),
                                  "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": f"{retry:.3f}",
                                  "X-RateLimit-Reset": f"{time.time() + retry:.3f}", "X-RateLimit-Bucket": f"b{index}",
                                  "Via": "1.1 google"})
            window.append(now)
            reset = window[0] + per - now
            headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(limit - len(window)),
                       "X-RateLimit-Reset-After": f"{reset:.3f}", "X-RateLimit-Reset": f"{time.time() + reset:.3f}",
                       "X-RateLimit-Bucket": f"b{index}"}
        self.requests.append((now, method, path, 200))
        await asyncio.sleep(self.latency / 2)
        return _Response(200, self._body(method, path, kwargs), headers)

    def _body(self, method: str, path: str, kwargs) -> object:
        channel = re.search(r"/channels/(\d+)", path)
        if method == "POST" and path.endswith("/messages"):
            return message(int(channel.group(1)), json.loads(kwargs.get("data") or "{}"))
        if path.endswith("/threads"):
            return {"id": str(next(SNOWFLAKES)), "type": 11, "name": "Answers"}
        if path == "/users/@me/channels":
            return {"id": str(next(SNOWFLAKES)), "type": 1, "recipients": []}
        if "/members/" in path:
            return {"user": {"id": path.rsplit("/", 1)[1], "username": "m", "discriminator": "0", "avatar": None},
                    "roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False, "mute": False}
        if method == "GET" and path.endswith("/messages"):
            return []
        return {}

    async def close(self) -> None:
        return None


async def own_cpu(sent: list[tuple[str, str, dict]], concurrency: int = 50) -> float:
    """The model's own CPU (seconds) for answering `sent` again: the same requests, made straight to
    a fresh model without discord.py or Kindred and without limits, so that a run's process time
    can be told apart from the model's share of it."""
    session = ModelSession(latency=0.08, global_per_second=10 ** 9)
    gate = asyncio.Semaphore(concurrency)

    async def one(method: str, url: str, kwargs: dict) -> None:
        async with gate:
            async with session.request(method, url, **kwargs) as response:
                await response.text()

    began = time.process_time()
    await asyncio.gather(*(one(*request) for request in sent))
    return time.process_time() - began


def message(channel_id: int, sent: dict) -> dict:
    return {"id": str(next(SNOWFLAKES)), "channel_id": str(channel_id), "type": 0, "content": sent.get("content") or "",
            "author": {"id": str(BOT_ID), "username": "Kindred", "discriminator": "0", "avatar": None, "bot": True},
            "timestamp": "2026-12-07T09:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": sent.get("embeds", []), "pinned": False, "flags": 0, "components": sent.get("components", []),
            "nonce": sent.get("nonce")}


def attach(bot, session: ModelSession) -> None:
    """Point the bot's discord.py HTTP client at the model, as if it had logged in."""
    bot.http._HTTPClient__session = session
    bot.http.token = "bench-token"
    bot.http._global_over = asyncio.Event()  # what static_login sets up: no global rate limit in force
    bot.http._global_over.set()
