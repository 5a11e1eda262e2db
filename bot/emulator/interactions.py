"""Interactions: dispatching INTERACTION_CREATE, and the callback and follow-up webhooks the bot answers with.

The 3-second rule is enforced like Discord does: a first callback arriving after the deadline gets
``404 Unknown interaction`` (10062) and is recorded as a failure; a second callback gets 400 (40060).
A deferred channel message (type 5) shows a loading message that the first follow-up (or an edit of
``@original``) fills in, as on Discord.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import bodies, payloads
from . import permissions as perms
from .errors import ApiError, EmulatorError, FormErrors, unknown
from .state import MessageFlags, MessageType
from .waiting import wait_until

if TYPE_CHECKING:
    from .bodies import Upload
    from .state import Channel, Guild, Message, User, World

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 6, 7, 8, 9
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass(eq=False)
class InteractionRecord:
    """One interaction as the emulator tracks it, from dispatch through callback and follow-ups."""

    id: int
    token: str
    type: int
    user: User
    guild: Guild | None
    channel: Channel
    name: str | None = None
    source: Message | None = None
    """The message whose component was used (component interactions, and modals opened from one)."""
    dispatched_at: float = 0.0
    response_type: int | None = None
    latency: float | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    modal: Modal | None = None
    choices: list[dict[str, Any]] | None = None
    loading: bool = False
    rejected: list[str] = field(default_factory=list)
    """Callbacks Discord refused (bad body, too late, wrong type), for failure messages."""
    failed: bool = False
    answered: asyncio.Event = field(default_factory=asyncio.Event)

    def message_fields(self, application_id: int) -> dict[str, Any]:
        """What a message created by this interaction carries about it."""
        owners = {"0": str(self.guild.id) if self.guild else "0"}
        return {
            "webhook_id": str(application_id),
            "application_id": str(application_id),
            "interaction_metadata": {
                "id": str(self.id),
                "type": self.type,
                "user": payloads.user(self.user),
                "authorizing_integration_owners": owners,
                **({"name": self.name} if self.name else {}),
            },
            "interaction": {"id": str(self.id), "type": self.type, "name": self.name or "", "user": payloads.user(self.user)},
        }


@dataclass
class ModalField:
    """An input of a modal the bot opened: a text input (type 4) or a select inside a label."""

    type: int
    custom_id: str
    label: str | None
    required: bool
    default: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    options: list[str] = field(default_factory=list)


class Modal:
    """A modal the bot answered with (callback type 9). Submit it with ``Person.submit_modal``."""

    def __init__(self, data: dict[str, Any], origin: InteractionRecord) -> None:
        self.title: str = data["title"]
        self.custom_id: str = data["custom_id"]
        self.components: list[dict[str, Any]] = data["components"]
        self.origin = origin
        self.fields: list[ModalField] = []
        for top in self.components:
            if top.get("type") == bodies.ACTION_ROW:
                self.fields += [self._field(c, c.get("label")) for c in top.get("components", [])]
            elif top.get("type") == bodies.LABEL:
                self.fields.append(self._field(top["component"], top.get("label")))

    def __repr__(self) -> str:
        return f"<Modal {self.title!r} custom_id={self.custom_id!r} fields={[f.label for f in self.fields]}>"

    @property
    def text_inputs(self) -> list[ModalField]:
        return [f for f in self.fields if f.type == bodies.TEXT_INPUT]

    @staticmethod
    def _field(component: dict[str, Any], label: str | None) -> ModalField:
        return ModalField(
            type=component["type"],
            custom_id=component.get("custom_id", ""),
            label=label,
            required=component.get("required", True) if component["type"] == bodies.TEXT_INPUT
            else component.get("min_values", 1) > 0,
            default=component.get("value"),
            min_length=component.get("min_length"),
            max_length=component.get("max_length"),
            options=[o["value"] for o in component.get("options", [])],
        )

    def submission(self, values: str | dict[str, Any]) -> list[dict[str, Any]]:
        """The ``data.components`` of a MODAL_SUBMIT filling in ``values``, shaped as Discord sends them."""
        chosen = self._match(values)
        ids = iter(range(1, 1000))

        def submitted(component: dict[str, Any]) -> dict[str, Any]:
            out = {"type": component["type"], "id": component.get("id", next(ids))}
            if "custom_id" in component:
                out["custom_id"] = component["custom_id"]
            if component["type"] == bodies.TEXT_INPUT:
                out["value"] = chosen.get(component["custom_id"], component.get("value") or "")
            elif component["type"] in bodies.SELECTS:
                out["values"] = list(chosen.get(component["custom_id"], []))
            return out

        result = []
        for top in self.components:
            if top.get("type") == bodies.ACTION_ROW:
                rows = [submitted(c) for c in top.get("components", [])]
                result.append({"type": bodies.ACTION_ROW, "id": top.get("id", next(ids)), "components": rows})
            elif top.get("type") == bodies.LABEL:
                result.append({"type": bodies.LABEL, "id": top.get("id", next(ids)), "component": submitted(top["component"])})
            else:
                result.append({"type": top["type"], "id": top.get("id", next(ids))})
        return result

    def _match(self, values: str | dict[str, Any]) -> dict[str, Any]:
        if isinstance(values, str):
            inputs = self.text_inputs
            if len(inputs) != 1:
                inputs = [f for f in inputs if f.required]
            if len(inputs) != 1:
                raise EmulatorError(f"{self!r} has several text inputs; pass a dict of values")
            values = {inputs[0].custom_id: values}
        chosen: dict[str, Any] = {}
        for key, value in values.items():
            target = next((f for f in self.fields if key in (f.custom_id, f.label)), None)
            if target is None:
                raise EmulatorError(f"{self!r} has no input {key!r}")
            chosen[target.custom_id] = value
        for f in self.fields:
            value = chosen.get(f.custom_id, f.default if f.type == bodies.TEXT_INPUT else None)
            if f.type == bodies.TEXT_INPUT:
                length = len(value or "")
                if f.required and not length:
                    raise EmulatorError(f"modal input {f.label or f.custom_id!r} is required")
                if length and ((f.min_length and length < f.min_length) or (f.max_length and length > f.max_length)):
                    raise EmulatorError(f"modal input {f.label!r} must be {f.min_length}-{f.max_length} characters")
            elif f.type in bodies.SELECTS and value is not None:
                if f.options and not set(value) <= set(f.options):
                    raise EmulatorError(f"modal select {f.label!r} offers {f.options}, not {value}")
            elif f.required:
                raise EmulatorError(f"modal input {f.label or f.custom_id!r} is required")
        return chosen


class InteractionResult:
    """What a person saw after using a command, button or modal. Attributes read live state."""

    def __init__(self, record: InteractionRecord) -> None:
        self.record = record

    def __repr__(self) -> str:
        return f"<InteractionResult type={self.type} message={self.message!r} followups={len(self.followups)}>"

    @property
    def type(self) -> int | None:
        """Type of the first callback: 4 message, 5/6 deferred, 7 update, 8 choices, 9 modal."""
        return self.record.response_type

    @property
    def message(self) -> Message | None:
        """The response message (``@original``): a new message, a loading message, or the updated one."""
        return self.record.original

    @property
    def followups(self) -> list[Message]:
        return list(self.record.followups)

    @property
    def modal(self) -> Modal | None:
        return self.record.modal

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.record.choices

    @property
    def deferred(self) -> bool:
        return self.type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE)

    @property
    def callback_latency(self) -> float | None:
        """Seconds between dispatch and the first callback reaching the emulator."""
        return self.record.latency

    async def wait_followup(self, n: int = 1, timeout: float = 5.0) -> Message:
        """Wait until the bot sent ``n`` follow-ups and return the n-th (1-based)."""
        await wait_until(lambda: len(self.record.followups) >= n, timeout, f"follow-up #{n} to {self.record.name or 'interaction'}")
        return self.record.followups[n - 1]


class Interactions:
    """Creates interactions and serves the interaction callback and webhook routes."""

    def __init__(self, world: World, *, deadline: float) -> None:
        self.world = world
        self.deadline = deadline
        self.records: dict[int, InteractionRecord] = {}
        self.tokens: dict[str, InteractionRecord] = {}
        self.failures: list[str] = []

    # -- dispatch -------------------------------------------------------------------------------------

    def start(
        self,
        type: int,
        user: User,
        guild: Guild | None,
        channel: Channel,
        data: dict[str, Any],
        *,
        name: str | None = None,
        source: Message | None = None,
        locale: str | None = None,
    ) -> InteractionRecord:
        """Build and dispatch an INTERACTION_CREATE as Discord shapes it."""
        world = self.world
        if world.sink is None or world.intents is None:
            raise EmulatorError("the bot has no gateway session; start it and await emu.wait_ready() first")
        record = InteractionRecord(
            world.ids.next(), secrets.token_urlsafe(48), type, user, guild, channel, name=name, source=source
        )
        granted = perms.in_channel(channel, user.id)
        payload: dict[str, Any] = {
            "id": str(record.id),
            "application_id": str(world.bot.id),
            "type": type,
            "data": data,
            "token": record.token,
            "version": 1,
            "locale": locale or user.locale,
            "channel_id": str(channel.id),
            "channel": payloads.channel(channel, world, permissions=granted),
            "app_permissions": str(world.bot_permissions_in(channel)),
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
        }
        if guild is not None:
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                member=payloads.member(guild.members[user.id], permissions=granted),
                context=0,
            )
        else:
            payload.update(user=payloads.user(user), context=1)
        if source is not None:
            payload["message"] = payloads.message(source, world)
        self.records[record.id] = record
        self.tokens[record.token] = record
        record.dispatched_at = asyncio.get_running_loop().time()
        world.emit("INTERACTION_CREATE", payload)
        return record

    async def result(self, record: InteractionRecord, timeout: float) -> InteractionResult:
        """Wait for the first callback; assert it came, and within the deadline."""
        what = f"{record.user.name}'s {record.name or 'interaction'}"
        try:
            await asyncio.wait_for(record.answered.wait(), timeout)
        except asyncio.TimeoutError:
            detail = f"; Discord refused: {record.rejected}" if record.rejected else ""
            self._fail(record, f"{what} got no response within {timeout:g} s{detail}")
        if record.response_type is None:
            self._fail(record, f"{what} was answered too late: {record.rejected}")
        return InteractionResult(record)

    def _fail(self, record: InteractionRecord, message: str) -> None:
        self._record_failure(record, message)
        raise AssertionError(message)

    def _record_failure(self, record: InteractionRecord, message: str) -> None:
        """Note a failed interaction once, for ``Emulator.assert_no_unhandled``."""
        if not record.failed:
            record.failed = True
            self.failures.append(message)

    # -- callback --------------------------------------------------------------------------------------

    def callback(self, interaction_id: int, token: str, body: dict[str, Any], uploads: list[Upload]) -> InteractionRecord:
        """Handle ``POST /interactions/{id}/{token}/callback``; returns the record for the response body."""
        record = self.records.get(interaction_id)
        if record is None or record.token != token:
            raise unknown("interaction", 10062)
        if record.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        elapsed = asyncio.get_running_loop().time() - record.dispatched_at
        if elapsed > self.deadline:
            record.rejected.append(f"first callback after {elapsed:.2f} s (deadline {self.deadline:g} s)")
            self._record_failure(record, f"{record.user.name}'s {record.name or 'interaction'}: {record.rejected[-1]}")
            record.answered.set()
            raise unknown("interaction", 10062)
        kind = body.get("type")
        try:
            self._respond(record, kind, body.get("data") or {}, uploads)
        except ApiError as error:
            record.rejected.append(f"type {kind}: {error} {error.errors or ''}".strip())
            raise
        record.response_type = kind
        record.latency = elapsed
        record.answered.set()
        return record

    def _respond(self, record: InteractionRecord, kind: Any, data: dict[str, Any], uploads: list[Upload]) -> None:
        world = self.world
        updates = kind in (DEFERRED_UPDATE, UPDATE_MESSAGE)
        if kind not in ALLOWED_CALLBACKS[record.type] or (updates and record.source is None):
            errors = FormErrors()
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", f"Response type {kind} is invalid for interaction type {record.type}")
            errors.raise_if_any()
        message_type = MessageType.CHAT_INPUT_COMMAND if record.type == APPLICATION_COMMAND else MessageType.DEFAULT
        if kind == CHANNEL_MESSAGE:
            fields = bodies.message_fields(data, uploads, world, record.channel, allow_ephemeral=True)
            record.original = world.create_message(record.channel, world.bot, type=message_type, interaction=record, **fields)
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            flags = MessageFlags.LOADING | (int(data.get("flags") or 0) & MessageFlags.EPHEMERAL)
            record.original = world.create_message(record.channel, world.bot, flags=flags, type=message_type, interaction=record)
            record.loading = True
        elif updates:
            record.original = record.source
            if kind == UPDATE_MESSAGE:
                fields = bodies.message_fields(data, uploads, world, record.channel, existing=record.source)
                world.edit_message(record.source, **fields)
        elif kind == AUTOCOMPLETE_RESULT:
            record.choices = bodies.choices(data)
        elif kind == MODAL:
            bodies.modal(data)
            record.modal = Modal(data, record)

    def callback_response(self, record: InteractionRecord) -> dict[str, Any]:
        """The ``?with_response=true`` body: the interaction callback object and the message resource."""
        kind = record.response_type
        has_message = kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE)
        interaction: dict[str, Any] = {"id": str(record.id), "type": record.type}
        response: dict[str, Any] = {"interaction": interaction}
        if has_message and record.original is not None:
            interaction.update(
                response_message_id=str(record.original.id),
                response_message_loading=kind == DEFERRED_CHANNEL_MESSAGE,
                response_message_ephemeral=record.original.ephemeral,
            )
            response["resource"] = {"type": kind, "message": payloads.message(record.original, self.world)}
        return response

    # -- webhooks (follow-ups and @original) --------------------------------------------------------------

    def followup(self, application_id: int, token: str, body: dict[str, Any], uploads: list[Upload]) -> Message:
        """``POST /webhooks/{app}/{token}``: fills a pending loading message, else sends a new message."""
        record = self._by_token(application_id, token)
        world = self.world
        fields = bodies.message_fields(body, uploads, world, record.channel, allow_ephemeral=True)
        if record.loading and record.original is not None:
            fields["flags"] = (fields["flags"] & ~MessageFlags.EPHEMERAL) | (record.original.flags & MessageFlags.EPHEMERAL)
            record.loading = False
            message = world.edit_message(record.original, **fields)
        else:
            message = world.create_message(record.channel, world.bot, interaction=record, **fields)
        record.followups.append(message)
        return message

    def webhook_message(self, application_id: int, token: str, message_id: str) -> Message:
        record = self._by_token(application_id, token)
        if message_id == "@original":
            message = record.original
        else:
            message = next((m for m in [record.original, *record.followups] if m and str(m.id) == message_id), None)
        if message is None or message.deleted:
            raise unknown("Message", 10008)
        return message

    def edit(self, application_id: int, token: str, message_id: str, body: dict[str, Any], uploads: list[Upload]) -> Message:
        message = self.webhook_message(application_id, token, message_id)
        record = self._by_token(application_id, token)
        fields = bodies.message_fields(body, uploads, self.world, message.channel, existing=message)
        if message is record.original and record.loading:
            fields["flags"] = fields.get("flags", message.flags) & ~MessageFlags.LOADING
            record.loading = False
        return self.world.edit_message(message, **fields)

    def _by_token(self, application_id: int, token: str) -> InteractionRecord:
        record = self.tokens.get(token)
        if application_id != self.world.bot.id or record is None or record.response_type is None:
            raise unknown("Webhook", 10015)
        return record
