"""People: what a user does in the Discord client, turned into the events Discord sends the bot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import commands as cmds
from .errors import EmulatorError
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, MODAL_SUBMIT, InteractionResult
from .state import emoji_key

if TYPE_CHECKING:
    from .emulator import Emulator
    from .interactions import Modal
    from .state import Channel, Guild, Member, Message, User

DEFAULT_TIMEOUT = 5.0


class Person:
    """A user, seen as a member of ``guild`` (``None`` for someone who only talks to the bot in DMs)."""

    def __init__(self, emulator: Emulator, user: User, guild: Guild | None) -> None:
        self._emu = emulator
        self.user = user
        self.guild = guild

    def __repr__(self) -> str:
        where = f" in {self.guild.name!r}" if self.guild else ""
        return f"<Person {self.name!r}{where}>"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def mention(self) -> str:
        return self.user.mention

    @property
    def member(self) -> Member | None:
        return self.guild.members.get(self.id) if self.guild else None

    @property
    def dm_channel(self) -> Channel:
        """The DM channel between this person and the bot."""
        return self._emu.world.dm_channel(self.user)

    # -- application commands ---------------------------------------------------------------------------

    async def slash(
        self,
        path: str,
        /,
        *,
        in_channel: Channel | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        locale: str | None = None,
        options: dict[str, Any] | None = None,
        **values: Any,
    ) -> InteractionResult:
        """Run ``/path`` (e.g. ``"kindred setup"``) in a guild channel with option values as kwargs.

        ``options`` passes values whose names clash with this method's own keywords. Waits for the
        bot's first callback and asserts it came within the deadline.
        """
        channel = self._guild_channel(in_channel)
        return await self._command(path, channel, {**values, **(options or {})}, timeout=timeout, locale=locale)

    async def slash_dm(
        self, path: str, /, *, timeout: float = DEFAULT_TIMEOUT, options: dict[str, Any] | None = None, **values: Any
    ) -> InteractionResult:
        """Run ``/path`` in this person's DM with the bot."""
        return await self._command(path, self.dm_channel, {**values, **(options or {})}, timeout=timeout)

    async def autocomplete(
        self,
        path: str,
        option: str,
        typed: str,
        /,
        *,
        in_channel: Channel | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        **values: Any,
    ) -> list[dict[str, Any]]:
        """Type ``typed`` into ``option`` of ``/path`` (other options as kwargs); return the offered choices."""
        channel = self._guild_channel(in_channel)
        command, chain, definitions = self._emu.commands.find(path, self.guild)
        cmds.check_visible(command, self.user, self.guild, channel)
        definition = next((d for d in definitions if d["name"] == option), None)
        if definition is None or not definition.get("autocomplete"):
            raise EmulatorError(f"/{path} has no autocomplete option {option!r}")
        built = cmds.build_options(definitions, {**values, option: typed}, self.user, channel, focused=option)
        data = self._command_data(command, chain, built)
        record = self._emu.interactions.start(AUTOCOMPLETE, self.user, self.guild, channel, data, name=path)
        result = await self._emu.interactions.result(record, timeout)
        return result.choices or []

    async def _command(
        self, path: str, channel: Channel, values: dict[str, Any], *, timeout: float, locale: str | None = None
    ) -> InteractionResult:
        guild = channel.guild
        command, chain, definitions = self._emu.commands.find(path, guild)
        cmds.check_visible(command, self.user, guild, channel)
        built = cmds.build_options(definitions, values, self.user, channel)
        data = self._command_data(command, chain, built)
        record = self._emu.interactions.start(
            APPLICATION_COMMAND, self.user, guild, channel, data, name=path, locale=locale
        )
        return await self._emu.interactions.result(record, timeout)

    @staticmethod
    def _command_data(command: dict[str, Any], chain: list[dict[str, Any]], built: cmds.BuiltOptions) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": cmds.CHAT_INPUT,
            "options": cmds.nest(chain, built.options),
        }
        if built.resolved:
            data["resolved"] = built.resolved
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        return data

    # -- components and modals ------------------------------------------------------------------------

    async def click(self, message: Message, button: str, *, timeout: float = DEFAULT_TIMEOUT) -> InteractionResult:
        """Press the button labelled ``button`` (or with that custom_id) on ``message``."""
        if message.deleted:
            raise EmulatorError(f"{message!r} was deleted")
        found = next((b for b in message.buttons if button in (b.get("label"), b.get("custom_id"))), None)
        if found is None:
            labels = [b.get("label") or b.get("custom_id") for b in message.buttons]
            raise EmulatorError(f"{message!r} has no button {button!r}; it has {labels}")
        if "custom_id" not in found or found.get("disabled"):
            raise EmulatorError(f"button {button!r} cannot be pressed (link or disabled)")
        self._check_can_see(message)
        data = {"custom_id": found["custom_id"], "component_type": found["type"]}
        if "id" in found:
            data["id"] = found["id"]
        record = self._emu.interactions.start(
            MESSAGE_COMPONENT, self.user, message.channel.guild, message.channel, data, name=button, source=message
        )
        return await self._emu.interactions.result(record, timeout)

    async def submit_modal(
        self, modal: Modal | None, values: str | dict[str, Any], *, timeout: float = DEFAULT_TIMEOUT
    ) -> InteractionResult:
        """Fill in and submit a modal the bot showed this person: one text for a one-input modal, or a
        dict keyed by custom_id or label."""
        if modal is None:
            raise EmulatorError("the bot did not answer with a modal")
        origin = modal.origin
        if origin.user is not self.user:
            raise EmulatorError(f"this modal was shown to {origin.user.name}, not {self.name}")
        data = {"custom_id": modal.custom_id, "components": modal.submission(values)}
        record = self._emu.interactions.start(
            MODAL_SUBMIT, self.user, origin.guild, origin.channel, data, name=modal.title, source=origin.source
        )
        return await self._emu.interactions.result(record, timeout)

    async def forge_modal_submit(
        self, custom_id: str, components: list[dict[str, Any]], *, in_channel: Channel | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> InteractionResult:
        """Submit a modal the bot never showed this person, as a hostile client can: any custom_id,
        any (or no) components."""
        channel = self._guild_channel(in_channel)
        data = {"custom_id": custom_id, "components": components}
        record = self._emu.interactions.start(MODAL_SUBMIT, self.user, channel.guild, channel, data, name="forged modal")
        return await self._emu.interactions.result(record, timeout)

    # -- messages and reactions --------------------------------------------------------------------------

    async def say(
        self, channel: Channel, text: str, *, reply_to: Message | None = None, mention_bot: bool = False
    ) -> Message:
        """Post a message in a guild channel or thread (MESSAGE_CREATE)."""
        if channel.guild is None or channel.guild is not self.guild or self.member is None:
            raise EmulatorError(f"{self.name} is not a member of the guild of {channel!r}")
        if channel.deleted:
            raise EmulatorError(f"{channel!r} was deleted")
        if mention_bot:
            text = f"{self._emu.world.bot.mention} {text}"
        return self._emu.world.create_message(channel, self.user, content=text, reference=reply_to)

    async def send_dm(self, text: str, *, reply_to: Message | None = None) -> Message:
        """Send the bot a direct message (MESSAGE_CREATE without guild_id).

        As on Discord, the bot can only answer someone it shares a guild with (else 403, 50007).
        """
        return self._emu.world.create_message(self.dm_channel, self.user, content=text, reference=reply_to)

    async def edit(self, message: Message, text: str) -> Message:
        self._check_own(message)
        return self._emu.world.edit_message(message, content=text)

    async def delete(self, message: Message) -> None:
        self._check_own(message)
        self._emu.world.delete_message(message)

    async def react(self, message: Message, emoji: str) -> None:
        """Add a reaction (MESSAGE_REACTION_ADD with this person's member data)."""
        self._check_can_see(message)
        self._emu.world.add_reaction(message, self.user, emoji_key(emoji))

    async def unreact(self, message: Message, emoji: str) -> None:
        self._check_can_see(message)
        self._emu.world.remove_reaction(message, self.user, emoji_key(emoji))

    async def dm_messages(self) -> list[Message]:
        """Messages the bot sent to this person by DM, oldest first."""
        return [m for m in self.dm_channel.messages if m.author.id == self._emu.world.bot.id]

    async def wait_dms(self, count: int = 1, timeout: float = DEFAULT_TIMEOUT) -> list[Message]:
        """Wait until the bot has sent this person at least ``count`` DMs; return them all."""
        bot_id = self._emu.world.bot.id
        await self._emu.wait_for(
            lambda: sum(m.author.id == bot_id for m in self.dm_channel.messages) >= count,
            timeout=timeout,
            what=f"{count} DM(s) to {self.name}",
        )
        return await self.dm_messages()

    # -- checks -----------------------------------------------------------------------------------------

    def _guild_channel(self, in_channel: Channel | None) -> Channel:
        if self.guild is None or self.member is None:
            raise EmulatorError(f"{self.name} is not a member of a guild; use slash_dm")
        if not self.guild.bot_present:
            raise EmulatorError(f"the bot is not in {self.guild.name}")
        if in_channel is None:
            if not self.guild.text_channels:
                raise EmulatorError(f"{self.guild.name} has no text channel; add one or pass in_channel=")
            return self.guild.text_channels[0]
        if in_channel.guild is not self.guild or in_channel.deleted:
            raise EmulatorError(f"{in_channel!r} is not a live channel of {self.guild.name}")
        return in_channel

    def _check_can_see(self, message: Message) -> None:
        channel = message.channel
        if message.ephemeral and message.interaction is not None and message.interaction.user is not self.user:
            raise EmulatorError(f"{message!r} is ephemeral; only {message.interaction.user.name} sees it")
        if channel.is_dm and channel.recipient is not self.user:
            raise EmulatorError(f"{message!r} is in someone else's DM")
        if channel.guild is not None and channel.guild.members.get(self.id) is None:
            raise EmulatorError(f"{self.name} is not a member of {channel.guild.name}")

    def _check_own(self, message: Message) -> None:
        if message.author is not self.user:
            raise EmulatorError(f"{self.name} did not write {message!r}")
        if message.deleted:
            raise EmulatorError(f"{message!r} was already deleted")
