"""Just enough Discord to run Kindred in-process: a real KindredBot (not logged in) over a real
SQLite file with its extensions loaded, INTERACTION_CREATE payloads shaped like the gateway's, and
an interaction-callback adapter that records the reply instead of sending it.

discord.py sends an interaction's first response through the webhook adapter held in
`discord.webhook.async_.async_context` (POST /interactions/{id}/{token}/callback), not through
`state.http`; the recording adapter replaces it for the running task and the tasks it starts."""
from __future__ import annotations

import asyncio
import itertools
import random
import time
from pathlib import Path
from typing import Any

from discord.user import ClientUser
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot import questions
from bot.app import EXTENSIONS, KindredBot
from bot.clock import FakeClock
from bot.config import Config
from bot.storage import Database

APPLICATION_ID = 1_100_000_000_000_000_001
COMMAND_ID = 1_100_000_000_000_000_002
ADMIN_PERMISSIONS = str((1 << 50) - 1)


class RecordingAdapter(AsyncWebhookAdapter):
    """Answers interaction callbacks locally; `expect(id)` gives a future resolved with
    (perf_counter at the callback, the callback payload)."""

    def __init__(self) -> None:
        super().__init__()
        self._waiters: dict[int, asyncio.Future] = {}
        self._message_ids = itertools.count(APPLICATION_ID + 1_000_000)
        self.replies = 0

    def expect(self, interaction_id: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiters[interaction_id] = future
        return future

    async def create_interaction_response(self, interaction_id, token, *, session, proxy=None, proxy_auth=None,
                                          params) -> dict[str, Any]:
        at = time.perf_counter()
        self.replies += 1
        payload = params.payload or {}
        waiter = self._waiters.pop(int(interaction_id), None)
        if waiter is not None and not waiter.done():
            waiter.set_result((at, payload))
        flags = (payload.get("data") or {}).get("flags") or 0
        return {"interaction": {"id": str(interaction_id), "type": 2, "response_message_id": str(next(self._message_ids)),
                                "response_message_loading": False, "response_message_ephemeral": bool(flags & 64)}}


def install_adapter() -> RecordingAdapter:
    """Make interaction callbacks in this task (and tasks created from it from now on) local."""
    adapter = RecordingAdapter()
    async_context.set(adapter)
    return adapter


async def open_bot(path: Path, clock: FakeClock, seed: int = 5) -> KindredBot:
    """The real bot over the database at `path`, set up as setup_hook does it minus logging in,
    syncing commands and running the sweep. Close it when done."""
    db = await Database.open(path)
    bot = KindredBot(Config("bench-token", path), db, clock, rng=random.Random(seed), start_schedule=False,
                     dm_pace=0)
    await bot.__aenter__()  # what `async with bot` does first: bind the running loop
    log_in_offline(bot)
    await questions.sync_bank(bot.db, bot.clock, questions.load_bank())
    for name in EXTENSIONS:
        await bot.load_extension(name)
    # The alarm clock runs, as after setup_hook, so planning a follow-up wakes it (AlarmClock.wake_at);
    # paused, so nothing it holds fires during a benchmark.
    bot.alarm.scheduler.start(paused=True)
    return bot


def log_in_offline(bot: KindredBot) -> None:
    """What READY would tell the client: who it is (no gateway, no token check)."""
    state = bot._connection
    state.user = ClientUser(state=state, data={"id": str(APPLICATION_ID), "username": "Kindred", "discriminator": "0",
                                               "global_name": None, "avatar": None, "bot": True, "verified": True,
                                               "mfa_enabled": False, "flags": 0, "public_flags": 0})
    state.application_id = APPLICATION_ID


_interaction_ids = itertools.count(APPLICATION_ID + 10_000_000)


def command_payload(name: str, options: list[dict[str, Any]], *, guild_id: int, channel_id: int, user_id: int,
                    user_name: str, permissions: str = "2248473465835073") -> tuple[int, dict[str, Any]]:
    """(interaction id, an INTERACTION_CREATE payload for a guild slash command) as Discord sends it."""
    interaction_id = next(_interaction_ids)
    return interaction_id, {
        "id": str(interaction_id),
        "application_id": str(APPLICATION_ID),
        "type": 2,
        "token": f"bench-token-{interaction_id}",
        "version": 1,
        "guild_id": str(guild_id),
        "channel_id": str(channel_id),
        "channel": {"id": str(channel_id), "type": 0, "guild_id": str(guild_id), "name": "kindred", "position": 0,
                    "permission_overwrites": [], "nsfw": False, "parent_id": None, "flags": 0, "topic": None,
                    "last_message_id": None, "rate_limit_per_user": 0},
        "member": {"user": {"id": str(user_id), "username": user_name.lower(), "discriminator": "0",
                            "global_name": user_name, "avatar": None, "public_flags": 0},
                   "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": False, "mute": False,
                   "flags": 0, "pending": False, "permissions": permissions, "nick": None, "avatar": None,
                   "premium_since": None},
        "app_permissions": "2248473465835073",
        "locale": "en-GB",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)},
        "context": 0,
        "attachment_size_limit": 10_485_760,
        "data": {"id": str(COMMAND_ID), "name": name, "type": 1, "options": options},
    }


def share_options(text: str, private: bool | None = None, check_in: bool = False) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = [{"type": 3, "name": "text", "value": text}]
    if private is not None:
        options.append({"type": 5, "name": "private", "value": private})
    if check_in:
        options.append({"type": 5, "name": "check_in", "value": True})
    return options
