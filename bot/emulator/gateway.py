"""The gateway websocket: HELLO, IDENTIFY/READY, RESUME/RESUMED, heartbeats, member chunks, dispatches.

One session per shard: an unsharded bot has one; a bot that IDENTIFYs with `shard: [id, count]`
(discord.py's AutoShardedBot, or several processes each running some shards) gets one per shard,
and each dispatch goes to the session of its guild's shard, `(guild_id >> 22) % count`, as Discord
routes them (DMs and other events of no guild to shard 0). Dispatches get sequence numbers and are
kept, so a client that resumes after a dropped connection receives what it missed. Messages are zlib-stream
compressed when the client asks for it (discord.py does), otherwise sent as text frames.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads
from .state import Intents

if TYPE_CHECKING:
    from .state import World

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 8, 9, 10, 11
GATEWAY_PATH = "/gateway/"
RESUME_PATH = "/gateway/resume/"
UNKNOWN_OPCODE = 4001
DISALLOWED_INTENTS = 4014


@dataclass
class Session:
    id: str
    intents: int
    shard: int = 0
    shard_count: int = 1
    seq: int = 0
    sent: list[tuple[int, str]] = field(default_factory=list)
    """Every dispatch of the session as (sequence, frame), for replay on RESUME."""
    connection: Connection | None = None


@dataclass
class ConnectionRecord:
    """How the bot connected: the URL path it used and whether it identified or resumed."""

    path: str
    how: str = "pending"


class Connection:
    """One websocket; frames go through a queue so they leave in dispatch order."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, compress: bool) -> None:
        self.ws = ws
        self.request = request
        self._compressor = zlib.compressobj() if compress else None
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write())

    def send(self, frame: dict[str, Any] | str) -> None:
        self.queue.put_nowait(frame if isinstance(frame, str) else json.dumps(frame))

    async def _write(self) -> None:
        while (frame := await self.queue.get()) is not None:
            if self.ws.closed:
                return
            if self._compressor is None:
                await self.ws.send_str(frame)
            else:
                data = self._compressor.compress(frame.encode()) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)

    async def close(self) -> None:
        self.queue.put_nowait(None)
        await self.writer


class Gateway:
    """Serves the websocket and routes :meth:`World.emit` dispatches to the current session."""

    def __init__(self, world: World, *, heartbeat_interval_ms: int) -> None:
        self.world = world
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.base_ws_url = ""
        self.sessions: dict[int, Session] = {}  # by shard id (0 for an unsharded bot)
        self.connections: list[ConnectionRecord] = []
        self.identify_count = 0
        self.resume_count = 0
        self.presence: dict[str, Any] | None = None
        self.live = asyncio.Event()
        world.sink = self.dispatch

    @property
    def url(self) -> str:
        return self.base_ws_url + GATEWAY_PATH

    @property
    def session(self) -> Session | None:
        """The unsharded bot's session (or shard 0's)."""
        return self.sessions.get(0)

    def shard_of(self, guild_id: int | None) -> int:
        count = next(iter(self.sessions.values())).shard_count if self.sessions else 1
        return 0 if guild_id is None else (guild_id >> 22) % count

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Route a dispatch to the session of its guild's shard."""
        guild_id = data.get("guild_id") or (data.get("id") if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")
                                            else None)
        session = self.sessions.get(self.shard_of(int(guild_id) if guild_id else None))
        if session is not None:
            self._send(session, event, data)

    def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        """Sequence a dispatch for the session; sent now if connected, else kept for RESUME."""
        session.seq += 1
        frame = json.dumps({"op": DISPATCH, "t": event, "s": session.seq, "d": data})
        session.sent.append((session.seq, frame))
        if session.connection is not None:
            session.connection.send(frame)

    async def drop(self, code: int | None, *, resumable: bool) -> None:
        """Close the bot's websocket: with a close code, or (``code=None``) by cutting TCP (1006)."""
        session = self.session
        connection = session.connection if session else None
        if session is None or connection is None:
            return
        self._detach(session)
        if not resumable:
            self._end_session(session.shard)
        await connection.close()
        if code is None:
            assert connection.request.transport is not None
            connection.request.transport.abort()
        else:
            await connection.ws.close(code=code, message=b"emulated disconnect")

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoclose=True, max_msg_size=0)
        await ws.prepare(request)
        record = ConnectionRecord(request.path)
        self.connections.append(record)
        connection = Connection(ws, request, request.query.get("compress") == "zlib-stream")
        connection.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["emulator"]}})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                frame = json.loads(msg.data)
                if not await self._receive(connection, record, frame.get("op"), frame.get("d")):
                    break
        finally:
            for session in list(self.sessions.values()):
                if session.connection is connection:
                    self._detach(session)
            await connection.close()
        return ws

    async def _receive(self, connection: Connection, record: ConnectionRecord, op: Any, data: Any) -> bool:
        if op == HEARTBEAT:
            connection.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            asked = int((data or {}).get("intents", 0))
            if asked & Intents.PRIVILEGED & ~self.world.privileged_allowed:
                await connection.ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
                return False
            self._identify(connection, data)
            record.how = "identify"
        elif op == RESUME:
            record.how = "resume" if self._resume(connection, data) else "invalid session"
        elif op == REQUEST_GUILD_MEMBERS:
            self._member_chunk(data)
        elif op == PRESENCE_UPDATE:
            self.presence = data
        elif op != VOICE_STATE_UPDATE:
            await connection.ws.close(code=UNKNOWN_OPCODE, message=b"Unknown opcode.")
            return False
        return True

    def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        shard, count = data.get("shard") or (0, 1)
        self._end_session(shard)
        world = self.world
        session = Session(secrets.token_hex(16), int(data.get("intents", 0)), shard, count)
        self.sessions[shard] = session
        world.intents = session.intents
        guilds = [g for g in world.guilds.values() if g.bot_present and self.shard_of(g.id) == shard]
        ready = {
            "v": 10,
            "user": payloads.current_user(world.bot),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.base_ws_url + RESUME_PATH,
            "application": {"id": str(world.bot.id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
            "_trace": ["emulator"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        session.connection = connection
        self._send(session, "READY", ready)
        for guild in guilds:
            world.emit("GUILD_CREATE", payloads.guild_create(guild, world), intent=Intents.GUILDS, guild=guild)
        self.identify_count += 1
        self.live.set()

    def _resume(self, connection: Connection, data: dict[str, Any]) -> bool:
        session = next((s for s in self.sessions.values() if s.id == data.get("session_id")), None)
        seq = data.get("seq") or 0
        if session is None or data.get("session_id") != session.id or seq > session.seq:
            connection.send({"op": INVALID_SESSION, "d": False})
            return False
        for number, frame in session.sent:
            if number > seq:
                connection.send(frame)
        session.connection = connection
        self._send(session, "RESUMED", {"_trace": ["emulator"]})
        self.resume_count += 1
        self.live.set()
        return True

    def _member_chunk(self, data: dict[str, Any]) -> None:
        guild = self.world.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        members = list(guild.members.values())
        query = (data.get("query") or "").lower()
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        elif query:
            members = [m for m in members if m.user.name.lower().startswith(query)]
        if data.get("limit"):
            members = members[: data["limit"]]
        chunk = {
            "guild_id": str(guild.id),
            "members": [payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def _detach(self, session: Session) -> None:
        session.connection = None
        self.live.clear()

    def _end_session(self, shard: int = 0) -> None:
        self.sessions.pop(shard, None)
        if not self.sessions:
            self.world.intents = None
        self.live.clear()

    async def close(self) -> None:
        """Close the open websockets (if any) with 1000, ending the sessions."""
        for shard, session in list(self.sessions.items()):
            connection = session.connection
            self._end_session(shard)
            if connection is not None:
                await connection.close()
                await connection.ws.close(code=1000)
