"""The :class:`Emulator`: a loopback Discord (REST + gateway) that an unmodified discord.py bot talks to."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

import discord
import yarl
from aiohttp import web

from . import permissions as perms
from .commands import CommandStore
from .errors import EmulatorError
from .faults import Fault, Faults
from .gateway import GATEWAY_PATH, RESUME_PATH, ConnectionRecord, Gateway
from .interactions import Interactions
from .people import DEFAULT_TIMEOUT, Person
from .rest import API_PREFIX, RecordedRequest, RestApi
from .state import Channel, Guild, Message, User, World
from .waiting import wait_until

DISCORD_HEARTBEAT_INTERVAL_MS = 41_250


class Emulator:
    """A Discord API emulator on 127.0.0.1.

    ``await emu.start()`` serves REST under ``/api/v10`` and the gateway websocket on a free port, and
    points discord.py at them (``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``; the gateway's
    ``resume_gateway_url`` points back here too); ``await emu.stop()`` restores both.
    Usable as ``async with Emulator() as emu:``.

    Two discord.py delays a test bot may want to shorten: it waits ``guild_ready_timeout`` (2 s by
    default) after the last GUILD_CREATE before ``on_ready``, and sleeps 5 s in
    ``Client.before_identify_hook`` before every IDENTIFY but the first.
    """

    def __init__(
        self,
        *,
        bot_name: str = "Bot",
        bot_permissions: Iterable[str] = perms.BOT_DEFAULT,
        response_deadline: float = 3.0,
        heartbeat_interval_ms: int = DISCORD_HEARTBEAT_INTERVAL_MS,
    ) -> None:
        self.world = World(bot_name=bot_name, bot_permissions=bot_permissions, make_person=self._person)
        self.commands = CommandStore(self.world)
        self.interactions = Interactions(self.world, deadline=response_deadline)
        self.gateway = Gateway(self.world, heartbeat_interval_ms=heartbeat_interval_ms)
        self.faults = Faults()
        self.rest = RestApi(self.world, self.commands, self.interactions, self.faults, self.gateway)
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._saved: tuple[str, yarl.URL] | None = None

    def _person(self, user: User, guild: Guild | None) -> Person:
        return Person(self, user, guild)

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    # -- lifecycle --------------------------------------------------------------------------------------

    async def start(self, port: int = 0) -> None:
        """Serve on ``port`` (0: a free one, the usual choice)."""
        app = web.Application(middlewares=[self.rest.middleware], client_max_size=64 * 1024 * 1024)
        app.add_routes(self.rest.routes())
        app.add_routes([web.get(GATEWAY_PATH, self.gateway.handle), web.get(RESUME_PATH, self.gateway.handle)])
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self.world.base_url = self.url
        self.gateway.base_ws_url = f"ws://127.0.0.1:{port}"
        self._saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.url + API_PREFIX
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway.url)

    async def stop(self) -> None:
        """Close the gateway, stop serving, and point discord.py back at Discord (close the bot first)."""
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._saved is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    # -- the world ----------------------------------------------------------------------------------------

    @property
    def bot_user(self) -> User:
        """The bot's own user (its id is also the application id)."""
        return self.world.bot

    @property
    def application_id(self) -> int:
        return self.world.bot.id

    @property
    def owner(self) -> User:
        """The application's owner (``AppInfo.owner``); owns every guild without being a member of it
        unless added with ``guild.add_member(emu.owner)``."""
        return self.world.owner

    def add_guild(self, name: str) -> Guild:
        """A guild with the bot in it (GUILD_CREATE if the bot is connected)."""
        return self.world.add_guild(name)

    def add_user(self, name: str) -> Person:
        """Someone in no guild (yet); ``guild.add_member(person)`` puts them in one."""
        return self._person(self.world.new_user(name), None)

    def remove_bot_from_guild(self, guild: Guild) -> None:
        """The bot is kicked from ``guild`` (GUILD_DELETE); its channels then answer 403 Missing Access."""
        self.world.set_bot_presence(guild, False)

    def add_bot_to_guild(self, guild: Guild) -> None:
        """The bot (re)joins ``guild`` (GUILD_CREATE)."""
        self.world.set_bot_presence(guild, True)

    def close_dms(self, person: Person | User) -> None:
        """The person stops accepting DMs: the bot's DMs to them answer 403 (50007)."""
        self.world.resolve_user(person).dms_closed = True

    def open_dms(self, person: Person | User) -> None:
        self.world.resolve_user(person).dms_closed = False

    def messages_in(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """Messages in a channel, thread or DM, oldest first (deleted ones excluded)."""
        if include_ephemeral:
            return [m for m in channel.log if not m.deleted]
        return channel.messages

    def thread_of(self, message: Message) -> Channel | None:
        """The thread started from ``message``, if any."""
        return self.world.thread_of(message)

    def registered_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """Application commands as the bot registered them: global, or for ``guild``."""
        return self.commands.list(guild.id if guild else None)

    # -- gateway ------------------------------------------------------------------------------------------

    @property
    def identify_count(self) -> int:
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        return self.gateway.resume_count

    @property
    def connections(self) -> list[ConnectionRecord]:
        """Every gateway connection: the path used and whether it identified or resumed."""
        return self.gateway.connections

    @property
    def presence(self) -> dict[str, Any] | None:
        """The last PRESENCE_UPDATE the bot sent."""
        return self.gateway.presence

    async def wait_ready(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the bot has a live session (READY and GUILD_CREATEs, or RESUMED, sent)."""
        await wait_until(self.gateway.live.is_set, timeout, "the bot to connect to the gateway")

    async def wait_identified(self, count: int = 1, timeout: float = DEFAULT_TIMEOUT) -> None:
        await wait_until(lambda: self.identify_count >= count and self.gateway.live.is_set(), timeout, f"IDENTIFY #{count}")

    async def wait_resumed(self, count: int = 1, timeout: float = DEFAULT_TIMEOUT) -> None:
        await wait_until(lambda: self.resume_count >= count and self.gateway.live.is_set(), timeout, f"RESUME #{count}")

    async def drop_connection(self, code: int | None = 4000, *, resumable: bool = True) -> None:
        """Close the bot's websocket as Discord might: close code ``code`` (``None`` cuts TCP, 1006).

        discord.py then reconnects and RESUMEs; with ``resumable=False`` the session is forgotten, so the
        resume gets INVALID_SESSION and the bot IDENTIFYs again (a new READY, ``on_ready`` again).
        """
        if self.gateway.session is None or self.gateway.session.connection is None:
            raise EmulatorError("the bot is not connected")
        await self.gateway.drop(code, resumable=resumable)

    # -- REST bookkeeping and faults ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.rest.requests

    @property
    def unhandled(self) -> list[str]:
        """``"METHOD /path"`` of requests to routes the emulator does not implement."""
        return self.rest.unhandled

    @property
    def response_deadline(self) -> float:
        """Seconds the bot has for an interaction's first callback (Discord: 3)."""
        return self.interactions.deadline

    @response_deadline.setter
    def response_deadline(self, seconds: float) -> None:
        self.interactions.deadline = seconds

    @property
    def failures(self) -> list[str]:
        """Interactions answered late or never."""
        return self.interactions.failures

    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests with this method whose path matches ``path_regex`` (``re.search``)."""
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method.upper() and pattern.search(r.path)]

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        code: int | None = None,
        *,
        times: int = 1,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> Fault:
        """Make the next ``times`` requests matching ``method`` (or ``"*"``) and ``path_regex`` fail.

        The body is Discord's ``{"message", "code"}``; a 429 adds ``retry_after`` and rate-limit headers,
        so discord.py sleeps and retries. Note discord.py also retries 500/502/504 by itself (after 1 s, 3 s…).
        """
        return self.faults.add(method, path_regex, status, code=code, times=times, retry_after=retry_after, message=message)

    def forget_nonces(self) -> None:
        """Forget the nonces of earlier messages, as Discord does after a few minutes."""
        self.rest._nonces.clear()

    def assert_no_unhandled(self) -> None:
        """Raise if the bot called an unimplemented route or an interaction went unanswered or late."""
        problems = [f"unhandled route: {route}" for route in self.unhandled]
        problems += [f"interaction failure: {failure}" for failure in self.failures]
        if problems:
            raise AssertionError("Discord emulator found problems:\n  " + "\n  ".join(problems))

    # -- waiting ----------------------------------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], object], timeout: float = DEFAULT_TIMEOUT, *, what: str = "") -> None:
        """Poll until ``predicate()`` is truthy, e.g. ``await emu.wait_for(lambda: len(emu.messages_in(ch)) == 1)``."""
        await wait_until(predicate, timeout, what or "the condition")
