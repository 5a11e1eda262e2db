"""The REST API under ``/api/v10``: the routes a discord.py bot calls, answered as Discord does.

Every request is recorded. A route that is not implemented answers ``404 {"message": "404: Not Found",
"code": 0}`` and is listed in ``unhandled``. JSON answers carry ``Content-Type: application/json``
exactly: discord.py parses nothing else as JSON.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from aiohttp import web

from . import bodies, payloads
from .bodies import Upload
from .errors import ApiError, FormErrors, missing_access, missing_permissions, unknown
from .state import ChannelType, emoji_key, utcnow

if TYPE_CHECKING:
    from .commands import CommandStore
    from .faults import Faults
    from .gateway import Gateway
    from .interactions import Interactions
    from .state import Channel, Message, World

API_PREFIX = "/api/v10"
NONCE_WINDOW = timedelta(minutes=5)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BODY = web.RequestKey("body", dict)
UPLOADS = web.RequestKey("uploads", list)


def json_response(data: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})


def no_content() -> web.Response:
    return web.Response(status=204)


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


@dataclass
class RecordedRequest:
    method: str
    path: str
    """Path below ``/api/v10``, percent-decoded, e.g. ``/channels/123/messages``."""
    query: dict[str, str]
    json: Any
    """The JSON body, or the ``payload_json`` part of a multipart body."""
    files: list[Upload] = field(default_factory=list)
    time: float = 0.0
    """``time.monotonic()`` when the request arrived."""


async def read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """JSON body, or multipart ``payload_json`` plus ``files[n]`` parts as discord.py sends uploads."""
    if request.content_type.startswith("multipart/"):
        body: Any = None
        uploads: list[Upload] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if part.name == "payload_json":
                body = json.loads(await part.text())
            elif part.name and part.name.startswith("files["):
                uploads.append(Upload(int(part.name[6:-1]), part.filename or "file", bytes(await part.read())))
        return body, uploads
    raw = await request.read() if request.body_exists else b""
    return (json.loads(raw) if raw else None), []


def snowflake(value: str, kind: str, code: int) -> int:
    if not value.isdigit():
        raise unknown(kind, code)
    return int(value)


class RestApi:
    def __init__(
        self, world: World, commands: CommandStore, interactions: Interactions, faults: Faults, gateway: Gateway
    ) -> None:
        self.world = world
        self.commands = commands
        self.interactions = interactions
        self.faults = faults
        self.gateway = gateway
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[str] = []
        self._nonces: dict[tuple[int, int, str], Message] = {}

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)
        path = request.path[len(API_PREFIX):]
        body, uploads = await read_body(request)
        self.requests.append(RecordedRequest(request.method, path, dict(request.query), body, uploads, time.monotonic()))
        fault = self.faults.take(request.method, path)
        if fault is not None:
            return fault.response()
        if request.match_info.http_exception is not None:
            self.unhandled.append(f"{request.method} {path}")
            return json_response({"message": "404: Not Found", "code": 0}, status=404)
        request[BODY] = body if body is not None else {}
        request[UPLOADS] = uploads
        try:
            return await handler(request)
        except ApiError as error:
            return json_response(error.body(), status=error.status)

    def routes(self) -> list[web.RouteDef]:
        p = API_PREFIX
        return [
            web.get(p + "/users/@me", self.get_me),
            web.post(p + "/users/@me/channels", self.open_dm),
            web.get(p + "/users/{user_id}", self.get_user),
            web.get(p + "/oauth2/applications/@me", self.get_application),
            web.get(p + "/applications/@me", self.get_application),
            web.get(p + "/gateway", self.get_gateway),
            web.get(p + "/gateway/bot", self.get_gateway_bot),
            web.get(p + "/applications/{app_id}/commands", self.list_commands),
            web.put(p + "/applications/{app_id}/commands", self.overwrite_commands),
            web.post(p + "/applications/{app_id}/commands", self.upsert_command),
            web.delete(p + "/applications/{app_id}/commands/{command_id}", self.delete_command),
            web.get(p + "/applications/{app_id}/guilds/{guild_id}/commands", self.list_commands),
            web.put(p + "/applications/{app_id}/guilds/{guild_id}/commands", self.overwrite_commands),
            web.post(p + "/applications/{app_id}/guilds/{guild_id}/commands", self.upsert_command),
            web.delete(p + "/applications/{app_id}/guilds/{guild_id}/commands/{command_id}", self.delete_command),
            web.get(p + "/guilds/{guild_id}", self.get_guild),
            web.get(p + "/guilds/{guild_id}/members/{user_id}", self.get_member),
            web.get(p + "/channels/{channel_id}", self.get_channel),
            web.post(p + "/channels/{channel_id}/typing", self.typing),
            web.get(p + "/channels/{channel_id}/messages", self.list_messages),
            web.post(p + "/channels/{channel_id}/messages", self.create_message),
            web.get(p + "/channels/{channel_id}/messages/{message_id}", self.get_message),
            web.patch(p + "/channels/{channel_id}/messages/{message_id}", self.edit_message),
            web.delete(p + "/channels/{channel_id}/messages/{message_id}", self.delete_message),
            web.put(p + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", self.add_reaction),
            web.delete(p + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", self.remove_own_reaction),
            web.delete(p + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}", self.remove_reaction),
            web.post(p + "/channels/{channel_id}/messages/{message_id}/threads", self.thread_from_message),
            web.post(p + "/channels/{channel_id}/threads", self.thread_without_message),
            web.post(p + "/interactions/{interaction_id}/{token}/callback", self.interaction_callback),
            web.post(p + "/webhooks/{app_id}/{token}", self.followup),
            web.get(p + "/webhooks/{app_id}/{token}/messages/{message_id}", self.get_webhook_message),
            web.patch(p + "/webhooks/{app_id}/{token}/messages/{message_id}", self.edit_webhook_message),
            web.delete(p + "/webhooks/{app_id}/{token}/messages/{message_id}", self.delete_webhook_message),
            web.get("/attachments/{channel_id}/{attachment_id}/{filename}", self.download_attachment),
        ]

    # -- lookups shared by handlers -----------------------------------------------------------------

    def _channel(self, request: web.Request) -> Channel:
        channel = self.world.channels.get(snowflake(request.match_info["channel_id"], "Channel", 10003))
        if channel is None:
            raise unknown("Channel", 10003)
        if channel.guild is not None and not self.world.bot_can(channel, "view_channel"):
            raise missing_access()
        return channel

    def _message(self, request: web.Request, channel: Channel) -> Message:
        message = self.world.find_message(channel, snowflake(request.match_info["message_id"], "Message", 10008))
        if message is None:
            raise unknown("Message", 10008)
        return message

    def _app_scope(self, request: web.Request) -> int | None:
        if request.match_info["app_id"] != str(self.world.bot.id):
            raise missing_access()
        if "guild_id" not in request.match_info:
            return None
        guild = self.world.guilds.get(snowflake(request.match_info["guild_id"], "Guild", 10004))
        if guild is None or not guild.bot_present:
            raise missing_access()
        return guild.id

    def _message_json(self, message: Message) -> web.Response:
        return json_response(payloads.message(message, self.world))

    # -- users, application, gateway ------------------------------------------------------------------

    async def get_me(self, request: web.Request) -> web.Response:
        return json_response(payloads.current_user(self.world.bot))

    async def get_user(self, request: web.Request) -> web.Response:
        user = self.world.users.get(snowflake(request.match_info["user_id"], "User", 10013))
        if user is None:
            raise unknown("User", 10013)
        return json_response(payloads.user(user))

    async def get_application(self, request: web.Request) -> web.Response:
        return json_response(payloads.application(self.world))

    async def get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway.url})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return json_response({"url": self.gateway.url, "shards": 1, "session_start_limit": limit})

    async def open_dm(self, request: web.Request) -> web.Response:
        user = self.world.users.get(int(request[BODY].get("recipient_id") or 0))
        if user is None or user.bot:
            raise ApiError(400, 50033, "Invalid Recipient(s)")
        return json_response(payloads.channel(self.world.dm_channel(user)))

    # -- application commands ---------------------------------------------------------------------------

    async def list_commands(self, request: web.Request) -> web.Response:
        return json_response(self.commands.list(self._app_scope(request)))

    async def overwrite_commands(self, request: web.Request) -> web.Response:
        scope = self._app_scope(request)
        return json_response(self.commands.overwrite(scope, list(request[BODY] or [])))

    async def upsert_command(self, request: web.Request) -> web.Response:
        scope = self._app_scope(request)
        existed = any(c["name"] == request[BODY].get("name") for c in self.commands.list(scope))
        return json_response(self.commands.upsert(scope, request[BODY]), status=200 if existed else 201)

    async def delete_command(self, request: web.Request) -> web.Response:
        scope = self._app_scope(request)
        if not self.commands.delete(scope, snowflake(request.match_info["command_id"], "application command", 10063)):
            raise unknown("application command", 10063)
        return no_content()

    # -- guilds and channels ------------------------------------------------------------------------

    async def get_guild(self, request: web.Request) -> web.Response:
        guild = self.world.guilds.get(snowflake(request.match_info["guild_id"], "Guild", 10004))
        if guild is None or not guild.bot_present:
            raise unknown("Guild", 10004)
        return json_response(payloads.guild(guild))

    async def get_member(self, request: web.Request) -> web.Response:
        guild = self.world.guilds.get(snowflake(request.match_info["guild_id"], "Guild", 10004))
        if guild is None or not guild.bot_present:
            raise unknown("Guild", 10004)
        member = guild.members.get(snowflake(request.match_info["user_id"], "Member", 10007))
        if member is None:
            raise unknown("Member", 10007)
        return json_response(payloads.member(member))

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(payloads.channel(self._channel(request), self.world))

    async def typing(self, request: web.Request) -> web.Response:
        self._channel(request)
        return no_content()

    # -- messages ---------------------------------------------------------------------------------------

    async def list_messages(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if channel.guild is not None and not self.world.bot_can(channel, "read_message_history"):
            return json_response([])
        messages = list(reversed(channel.messages))
        if "before" in request.query:
            messages = [m for m in messages if m.id < int(request.query["before"])]
        if "after" in request.query:
            messages = [m for m in messages if m.id > int(request.query["after"])]
        limit = min(max(int(request.query.get("limit", 50)), 1), 100)
        return json_response([payloads.message(m, self.world) for m in messages[:limit]])

    async def create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        body, uploads = request[BODY], request[UPLOADS]
        self._check_can_send(channel, bool(uploads))
        nonce_key = (channel.id, self.world.bot.id, str(body.get("nonce")))
        if body.get("nonce") is not None and body.get("enforce_nonce"):
            earlier = self._nonces.get(nonce_key)
            if earlier is not None and not earlier.deleted and utcnow() - earlier.created_at < NONCE_WINDOW:
                return self._message_json(earlier)
        fields = bodies.message_fields(body, uploads, self.world, channel)
        reference = self._reference(channel, body.get("message_reference"))
        message = self.world.create_message(channel, self.world.bot, reference=reference, **fields)
        if body.get("nonce") is not None and body.get("enforce_nonce"):
            self._nonces[nonce_key] = message
        return self._message_json(message)

    def _check_can_send(self, channel: Channel, with_files: bool) -> None:
        if not channel.is_textual:
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        if channel.is_dm:
            recipient = channel.recipient
            assert recipient is not None
            if recipient.dms_closed or not self.world.shares_guild_with_bot(recipient):
                raise ApiError(403, 50007, "Cannot send messages to this user")
            return
        needed = "send_messages_in_threads" if channel.is_thread else "send_messages"
        if not self.world.bot_can(channel, needed) or (with_files and not self.world.bot_can(channel, "attach_files")):
            raise missing_permissions()

    def _reference(self, channel: Channel, reference: dict[str, Any] | None) -> Message | None:
        if not reference:
            return None
        target = self.world.messages.get(int(reference.get("message_id") or 0))
        target_channel = int(reference.get("channel_id") or channel.id)
        if target is None or target.deleted or target.ephemeral or target.channel.id != target_channel:
            if reference.get("fail_if_not_exists", True):
                errors = FormErrors()
                errors.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
                errors.raise_if_any()
            return None
        return target

    async def get_message(self, request: web.Request) -> web.Response:
        return self._message_json(self._message(request, self._channel(request)))

    async def edit_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.author.id != self.world.bot.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        fields = bodies.message_fields(request[BODY], request[UPLOADS], self.world, channel, existing=message)
        return self._message_json(self.world.edit_message(message, **fields))

    async def delete_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.author.id != self.world.bot.id and not self.world.bot_can(channel, "manage_messages"):
            raise missing_permissions()
        self.world.delete_message(message)
        return no_content()

    # -- reactions -------------------------------------------------------------------------------------

    def _emoji(self, request: web.Request) -> str:
        key = emoji_key(request.match_info["emoji"])
        name, _, emoji_id = key.partition(":")
        if (emoji_id and not (name and emoji_id.isdigit())) or (not emoji_id and key.isascii()):
            raise ApiError(400, 10014, "Unknown Emoji")
        return key

    async def add_reaction(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        key = self._emoji(request)
        allowed = self.world.bot_can(channel, "read_message_history") and (
            key in message.reactions or self.world.bot_can(channel, "add_reactions")
        )
        if not allowed:
            raise missing_permissions()
        self.world.add_reaction(message, self.world.bot, key)
        return no_content()

    async def remove_own_reaction(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        self.world.remove_reaction(self._message(request, channel), self.world.bot, self._emoji(request))
        return no_content()

    async def remove_reaction(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if not self.world.bot_can(channel, "manage_messages"):
            raise missing_permissions()
        user = self.world.users.get(snowflake(request.match_info["user_id"], "User", 10013))
        if user is None:
            raise unknown("User", 10013)
        self.world.remove_reaction(message, user, self._emoji(request))
        return no_content()

    # -- threads -----------------------------------------------------------------------------------------

    def _thread_parent(self, channel: Channel, permission: str) -> None:
        if channel.type != ChannelType.TEXT:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if not self.world.bot_can(channel, permission):
            raise missing_permissions()

    @staticmethod
    def _thread_name(body: dict[str, Any]) -> str:
        name = body.get("name") or ""
        if not 1 <= len(name) <= 100:
            errors = FormErrors()
            errors.add(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
            errors.raise_if_any()
        return name

    async def thread_from_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        self._thread_parent(channel, "create_public_threads")
        if self.world.thread_of(message) is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        body = request[BODY]
        thread = self.world.create_thread(
            channel,
            self._thread_name(body),
            owner=self.world.bot,
            starter=message,
            auto_archive_duration=body.get("auto_archive_duration") or 1440,
        )
        return json_response(payloads.channel(thread, self.world), status=201)

    async def thread_without_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        body = request[BODY]
        kind = int(body.get("type") or ChannelType.PRIVATE_THREAD)
        private = kind == ChannelType.PRIVATE_THREAD
        self._thread_parent(channel, "create_private_threads" if private else "create_public_threads")
        thread = self.world.create_thread(
            channel,
            self._thread_name(body),
            owner=self.world.bot,
            type=kind,
            auto_archive_duration=body.get("auto_archive_duration") or 1440,
        )
        return json_response(payloads.channel(thread, self.world), status=201)

    # -- interactions ------------------------------------------------------------------------------------

    async def interaction_callback(self, request: web.Request) -> web.Response:
        interaction_id = snowflake(request.match_info["interaction_id"], "interaction", 10062)
        record = self.interactions.callback(interaction_id, request.match_info["token"], request[BODY], request[UPLOADS])
        if truthy(request.query.get("with_response")):
            return json_response(self.interactions.callback_response(record))
        return no_content()

    def _webhook_args(self, request: web.Request) -> tuple[int, str]:
        return snowflake(request.match_info["app_id"], "Webhook", 10015), request.match_info["token"]

    async def followup(self, request: web.Request) -> web.Response:
        message = self.interactions.followup(*self._webhook_args(request), request[BODY], request[UPLOADS])
        return self._message_json(message) if truthy(request.query.get("wait")) else no_content()

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        return self._message_json(
            self.interactions.webhook_message(*self._webhook_args(request), request.match_info["message_id"])
        )

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        message = self.interactions.edit(
            *self._webhook_args(request), request.match_info["message_id"], request[BODY], request[UPLOADS]
        )
        return self._message_json(message)

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        message = self.interactions.webhook_message(*self._webhook_args(request), request.match_info["message_id"])
        self.world.delete_message(message)
        return no_content()

    # -- attachments (the CDN) --------------------------------------------------------------------------

    async def download_attachment(self, request: web.Request) -> web.Response:
        attachment_id = int(request.match_info["attachment_id"])
        for message in self.world.messages.values():
            for attachment in message.attachments:
                if attachment.id == attachment_id:
                    return web.Response(body=attachment.data, content_type=attachment.content_type or "application/octet-stream")
        raise web.HTTPNotFound()
