"""The emulated Discord world: snowflakes, users, guilds, roles, channels, threads and messages.

Everything Discord would announce over the gateway goes through :meth:`World.emit`, which filters by
the bot's intents and channel visibility before handing the event to the gateway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import payloads
from . import permissions as perms
from .errors import EmulatorError

if TYPE_CHECKING:
    from .interactions import InteractionRecord
    from .people import Person

DISCORD_EPOCH_MS = 1420070400000


class ChannelType:
    TEXT = 0
    DM = 1
    VOICE = 2
    CATEGORY = 4
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12


class Intents:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class MessageFlags:
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7
    COMPONENTS_V2 = 1 << 15


class MessageType:
    DEFAULT = 0
    REPLY = 19
    CHAT_INPUT_COMMAND = 20


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Snowflakes:
    """Discord ids: milliseconds since 2015 in the high bits, strictly increasing."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        now_ms = int(utcnow().timestamp() * 1000) - DISCORD_EPOCH_MS
        value = max(now_ms << 22, self._last + 1)
        self._last = value
        return value


@dataclass(eq=False)
class User:
    id: int
    name: str
    bot: bool = False
    dms_closed: bool = False
    locale: str = "en-US"   # the client's language, sent with every interaction

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass(eq=False)
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass(eq=False)
class Member:
    user: User
    roles: list[Role]
    joined_at: datetime = field(default_factory=utcnow)
    nick: str | None = None


@dataclass
class Overwrite:
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None
    url: str
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


class Channel:
    """A guild text/voice/category channel, a thread (``parent`` set) or a DM (``recipient`` set)."""

    def __init__(
        self,
        world: World,
        id: int,
        type: int,
        name: str | None,
        *,
        guild: Guild | None = None,
        parent: Channel | None = None,
        position: int = 0,
        topic: str | None = None,
        recipient: User | None = None,
        owner_id: int | None = None,
        auto_archive_duration: int = 1440,
    ) -> None:
        self._world = world
        self.id = id
        self.type = type
        self.name = name
        self.guild = guild
        self.parent = parent
        self.position = position
        self.topic = topic
        self.recipient = recipient
        self.owner_id = owner_id
        self.auto_archive_duration = auto_archive_duration
        self.overwrites: dict[int, Overwrite] = {}
        self.thread_member_ids: set[int] = set()
        self.created_at = utcnow()
        self.deleted = False
        self.log: list[Message] = []
        """Every message ever posted here, including deleted and ephemeral ones."""

    def __repr__(self) -> str:
        return f"<Channel #{self.name or 'dm'} id={self.id} type={self.type}>"

    @property
    def is_thread(self) -> bool:
        return self.type in (ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD)

    @property
    def is_dm(self) -> bool:
        return self.type == ChannelType.DM

    @property
    def is_textual(self) -> bool:
        return self.type in (ChannelType.TEXT, ChannelType.DM, ChannelType.VOICE) or self.is_thread

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def messages(self) -> list[Message]:
        """Messages everyone can see here: not deleted, not ephemeral; oldest first."""
        return [m for m in self.log if not m.deleted and not m.ephemeral]

    @property
    def last_message_id(self) -> int | None:
        return self.log[-1].id if self.log else None

    def deny(self, target: Person | User | Role, *names: str) -> None:
        """Add a channel overwrite denying ``names`` to a member or role."""
        self._overwrite(target).deny |= perms.bits(names)

    def allow(self, target: Person | User | Role, *names: str) -> None:
        """Add a channel overwrite allowing ``names`` to a member or role."""
        self._overwrite(target).allow |= perms.bits(names)

    def _overwrite(self, target: Person | User | Role) -> Overwrite:
        if self.guild is None or self.is_thread:
            raise EmulatorError("overwrites exist only on guild channels")
        kind = 0 if isinstance(target, Role) else 1
        return self.overwrites.setdefault(target.id, Overwrite(kind))


@dataclass(eq=False)
class Message:
    """A stored message. Tests get the live object: it always shows the current state."""

    id: int
    channel: Channel
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    attachments: list[Attachment] = field(default_factory=list)
    reference: Message | None = None
    nonce: str | int | None = None
    type: int = MessageType.DEFAULT
    tts: bool = False
    interaction: InteractionRecord | None = None
    created_at: datetime = field(default_factory=utcnow)
    edited_at: datetime | None = None
    deleted: bool = False
    reaction_users: dict[str, list[int]] = field(default_factory=dict)
    """Emoji key (unicode, or ``name:id`` for custom emoji) -> user ids in reaction order."""

    def __repr__(self) -> str:
        return f"<Message id={self.id} author={self.author.name!r} content={self.content[:40]!r}>"

    @property
    def author_id(self) -> int:
        return self.author.id

    @property
    def channel_id(self) -> int:
        return self.channel.id

    @property
    def guild_id(self) -> int | None:
        return self.channel.guild.id if self.channel.guild else None

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlags.EPHEMERAL)

    @property
    def reactions(self) -> dict[str, set[int]]:
        return {emoji: set(users) for emoji, users in self.reaction_users.items() if users}

    @property
    def thread(self) -> Channel | None:
        """The thread started from this message, if any (it shares the message's id)."""
        return self.channel._world.thread_of(self)

    @property
    def reference_id(self) -> int | None:
        return self.reference.id if self.reference else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every button (type 2) in the components, at any nesting depth."""
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def mentions(self) -> list[int]:
        """Ids of users this message mentions, honouring ``allowed_mentions`` like Discord does."""
        ids = [int(x) for x in re.findall(r"<@!?(\d+)>", self.content)]
        allowed = self.allowed_mentions
        if allowed is not None:
            if "users" not in allowed.get("parse", []):
                listed = {int(x) for x in allowed.get("users", [])}
                ids = [x for x in ids if x in listed]
        replied = allowed is None or allowed.get("replied_user", False)
        if self.reference is not None and replied and self.reference.author.id not in ids:
            ids.append(self.reference.author.id)
        return list(dict.fromkeys(ids))


def walk_components(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Yield components depth-first, through action rows, containers, sections and labels."""
    for component in components:
        yield component
        yield from walk_components(component.get("components", []))
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])


class Guild:
    """A guild with its roles, members and channels. Mutations after connect dispatch gateway events."""

    def __init__(self, world: World, id: int, name: str) -> None:
        self._world = world
        self.id = id
        self.name = name
        self.owner_id = world.owner.id
        self.joined_at = utcnow()
        self.roles: dict[int, Role] = {id: Role(id, "@everyone", perms.bits(perms.EVERYONE_DEFAULT))}
        self.bot_role = self._new_role(world.bot.name, world.bot_permissions, managed=True, bot_id=world.bot.id)
        self.members: dict[int, Member] = {world.bot.id: Member(world.bot, [self.bot_role])}
        self.channels: list[Channel] = []
        self.threads: list[Channel] = []
        self.bot_present = True
        self.preferred_locale = "en-US"  # Server Settings → Community → Server Primary Language

    def __repr__(self) -> str:
        return f"<Guild {self.name!r} id={self.id}>"

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    @property
    def text_channels(self) -> list[Channel]:
        return [c for c in self.channels if c.type == ChannelType.TEXT]

    def set_preferred_locale(self, locale: str) -> None:
        """An admin changes the server's primary language (GUILD_UPDATE)."""
        self.preferred_locale = locale
        self._world.emit("GUILD_UPDATE", payloads.guild(self), intent=Intents.GUILDS, guild=self)

    def add_role(self, name: str, permissions: Iterable[str] = ()) -> Role:
        """Create a role with the named permissions (no event: roles are set up before use)."""
        return self._new_role(name, perms.bits(permissions))

    def add_member(
        self,
        who: str | Person | User,
        *,
        admin: bool = False,
        roles: Iterable[Role] = (),
        nick: str | None = None,
    ) -> Person:
        """Add a person (a new user by name, or an existing person/user) and dispatch GUILD_MEMBER_ADD.

        ``admin=True`` gives them an "Admin" role with ADMINISTRATOR and MANAGE_GUILD.
        """
        user = self._world.resolve_user(who)
        if user.id in self.members:
            raise EmulatorError(f"{user.name} is already a member of {self.name}")
        member_roles = list(roles)
        if admin:
            member_roles.append(self._admin_role())
        member = Member(user, member_roles, nick=nick)
        self.members[user.id] = member
        self._world.emit(
            "GUILD_MEMBER_ADD",
            {**payloads.member(member), "guild_id": str(self.id)},
            intent=Intents.GUILD_MEMBERS,
            guild=self,
        )
        return self._world.make_person(user, self)

    def remove_member(self, person: Person | User) -> None:
        """Remove a member (they left or were kicked) and dispatch GUILD_MEMBER_REMOVE."""
        user = self._world.resolve_user(person)
        if self.members.pop(user.id, None) is None:
            raise EmulatorError(f"{user.name} is not a member of {self.name}")
        self._world.emit(
            "GUILD_MEMBER_REMOVE",
            {"guild_id": str(self.id), "user": payloads.user(user)},
            intent=Intents.GUILD_MEMBERS,
            guild=self,
        )

    def add_text_channel(
        self,
        name: str,
        *,
        category: Channel | None = None,
        topic: str | None = None,
        deny_bot: Iterable[str] = (),
    ) -> Channel:
        """Create a text channel; ``deny_bot`` names permissions denied to the bot by a member overwrite."""
        channel = self._new_channel(ChannelType.TEXT, name, category, topic=topic)
        if deny_bot:
            channel.deny(self._world.bot, *deny_bot)
        return self._announce(channel)

    def add_voice_channel(self, name: str, *, category: Channel | None = None) -> Channel:
        return self._announce(self._new_channel(ChannelType.VOICE, name, category))

    def add_category(self, name: str) -> Channel:
        return self._announce(self._new_channel(ChannelType.CATEGORY, name, None))

    def delete_channel(self, channel: Channel) -> None:
        """Delete a channel (and its threads) and dispatch CHANNEL_DELETE; later REST calls get 404 10003."""
        if channel not in self.channels:
            raise EmulatorError(f"{channel!r} is not a channel of {self.name}")
        payload = payloads.channel(channel)
        visible = self._world.bot_can(channel, "view_channel")
        self.channels.remove(channel)
        for thread in [t for t in self.threads if t.parent is channel]:
            self.threads.remove(thread)
            self._world.forget_channel(thread)
        self._world.forget_channel(channel)
        if visible:
            self._world.emit("CHANNEL_DELETE", payload, intent=Intents.GUILDS, guild=self)

    def _announce(self, channel: Channel) -> Channel:
        self._world.emit("CHANNEL_CREATE", payloads.channel(channel), intent=Intents.GUILDS, channel=channel)
        return channel

    def _new_channel(self, type: int, name: str, category: Channel | None, **extra: Any) -> Channel:
        if category is not None and category.type != ChannelType.CATEGORY:
            raise EmulatorError(f"{category!r} is not a category")
        channel = Channel(
            self._world,
            self._world.ids.next(),
            type,
            name,
            guild=self,
            parent=category,
            position=len(self.channels),
            **extra,
        )
        self.channels.append(channel)
        self._world.channels[channel.id] = channel
        return channel

    def _new_role(self, name: str, permissions: int, **extra: Any) -> Role:
        role = Role(self._world.ids.next(), name, permissions, position=len(self.roles), **extra)
        self.roles[role.id] = role
        return role

    def _admin_role(self) -> Role:
        for role in self.roles.values():
            if role.name == "Admin" and not role.managed:
                return role
        return self.add_role("Admin", ("administrator", "manage_guild"))


class World:
    """All emulated state plus the operations that change it and announce the change."""

    def __init__(self, *, bot_name: str, bot_permissions: Iterable[str], make_person: Callable[..., Person]) -> None:
        self.ids = Snowflakes()
        self.make_person = make_person
        self.bot_permissions = perms.bits(bot_permissions)
        self.users: dict[int, User] = {}
        self.bot = self.new_user(bot_name, bot=True)
        self.owner = self.new_user(f"{bot_name} owner")
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.dm_channels: dict[int, Channel] = {}
        self.intents: int | None = None
        """Intents of the current gateway session; ``None`` while the bot has no session."""
        self.privileged_allowed = Intents.PRIVILEGED
        """The privileged intents switched on in the developer portal; IDENTIFY asking for others is closed with 4014."""
        self.sink: Callable[[str, dict[str, Any]], None] | None = None
        self.base_url = ""

    # -- events -------------------------------------------------------------------------------------

    def emit(
        self,
        event: str,
        data: dict[str, Any],
        *,
        intent: int = 0,
        channel: Channel | None = None,
        guild: Guild | None = None,
    ) -> None:
        """Send a dispatch to the bot if it has a session, the intent, and can see the channel/guild."""
        if self.sink is None or self.intents is None:
            return
        if intent and not self.intents & intent:
            return
        guild = guild or (channel.guild if channel else None)
        if guild is not None and not guild.bot_present:
            return
        if channel is not None and channel.guild is not None and not self.bot_can(channel, "view_channel"):
            return
        self.sink(event, data)

    def has_intent(self, intent: int) -> bool:
        return self.intents is not None and bool(self.intents & intent)

    # -- lookups --------------------------------------------------------------------------------------

    def new_user(self, name: str, *, bot: bool = False) -> User:
        user = User(self.ids.next(), name, bot=bot)
        self.users[user.id] = user
        return user

    def resolve_user(self, who: str | Person | User) -> User:
        if isinstance(who, str):
            return self.new_user(who)
        return who if isinstance(who, User) else who.user

    def bot_can(self, channel: Channel, permission: str) -> bool:
        return perms.has(self.bot_permissions_in(channel), permission)

    def bot_permissions_in(self, channel: Channel) -> int:
        if channel.guild is not None and not channel.guild.bot_present:
            return 0
        return perms.in_channel(channel, self.bot.id)

    def forget_channel(self, channel: Channel) -> None:
        channel.deleted = True
        self.channels.pop(channel.id, None)

    def shares_guild_with_bot(self, user: User) -> bool:
        return any(g.bot_present and user.id in g.members for g in self.guilds.values())

    # -- guilds and channels ------------------------------------------------------------------------------

    def add_guild(self, name: str) -> Guild:
        guild = Guild(self, self.ids.next(), name)
        self.guilds[guild.id] = guild
        self.emit("GUILD_CREATE", payloads.guild_create(guild, self), intent=Intents.GUILDS, guild=guild)
        return guild

    def set_bot_presence(self, guild: Guild, present: bool) -> None:
        """The bot joins (GUILD_CREATE) or is removed from (GUILD_DELETE) a guild."""
        if guild.bot_present == present:
            raise EmulatorError(f"the bot is already {'in' if present else 'out of'} {guild.name}")
        if present:
            guild.bot_present = True
            guild.joined_at = utcnow()
            guild.members[self.bot.id] = Member(self.bot, [guild.bot_role])
            self.emit("GUILD_CREATE", payloads.guild_create(guild, self), intent=Intents.GUILDS, guild=guild)
        else:
            self.emit("GUILD_DELETE", {"id": str(guild.id)}, intent=Intents.GUILDS, guild=guild)
            guild.bot_present = False
            guild.members.pop(self.bot.id, None)

    def dm_channel(self, user: User) -> Channel:
        """The one DM channel between the bot and ``user`` (created on first use, stable id)."""
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(self, self.ids.next(), ChannelType.DM, None, recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def create_thread(
        self,
        parent: Channel,
        name: str,
        *,
        owner: User,
        starter: Message | None = None,
        type: int = ChannelType.PUBLIC_THREAD,
        auto_archive_duration: int = 1440,
    ) -> Channel:
        """Start a thread (a message thread shares the message's id, as on Discord); dispatch THREAD_CREATE."""
        assert parent.guild is not None
        thread = Channel(
            self,
            starter.id if starter else self.ids.next(),
            type,
            name,
            guild=parent.guild,
            parent=parent,
            owner_id=owner.id,
            auto_archive_duration=auto_archive_duration,
        )
        thread.thread_member_ids.add(owner.id)
        parent.guild.threads.append(thread)
        self.channels[thread.id] = thread
        self.emit(
            "THREAD_CREATE",
            {**payloads.channel(thread, self), "newly_created": True},
            intent=Intents.GUILDS,
            channel=thread,
        )
        if starter is not None:
            self._emit_message("MESSAGE_UPDATE", starter)
        return thread

    def thread_of(self, message: Message) -> Channel | None:
        channel = self.channels.get(message.id)
        return channel if channel is not None and channel.is_thread else None

    # -- messages -------------------------------------------------------------------------------------------

    def create_message(self, channel: Channel, author: User, **fields: Any) -> Message:
        """Store a message and dispatch MESSAGE_CREATE (unless it is ephemeral)."""
        message = Message(self.ids.next(), channel, author, **fields)
        if message.reference is not None and message.type == MessageType.DEFAULT:
            message.type = MessageType.REPLY
        channel.log.append(message)
        self.messages[message.id] = message
        if not message.ephemeral:
            self._emit_message("MESSAGE_CREATE", message)
        return message

    def edit_message(self, message: Message, **changes: Any) -> Message:
        """Apply field changes, stamp the edit time and dispatch MESSAGE_UPDATE."""
        for key, value in changes.items():
            setattr(message, key, value)
        message.edited_at = utcnow()
        if not message.ephemeral:
            self._emit_message("MESSAGE_UPDATE", message)
        return message

    def delete_message(self, message: Message) -> None:
        message.deleted = True
        if message.ephemeral:
            return
        data = {"id": str(message.id), "channel_id": str(message.channel.id)}
        if message.guild_id:
            data["guild_id"] = str(message.guild_id)
        self.emit("MESSAGE_DELETE", data, intent=self._message_intent(message.channel), channel=message.channel)

    def find_message(self, channel: Channel, message_id: int) -> Message | None:
        message = self.messages.get(message_id)
        if message is None or message.deleted or message.channel is not channel or message.ephemeral:
            return None
        return message

    def strips_content(self, message: Message) -> bool:
        """True when Discord would blank this message's content for the bot (no MESSAGE_CONTENT intent)."""
        if self.has_intent(Intents.MESSAGE_CONTENT) or message.author.id == self.bot.id:
            return False
        if message.channel.is_dm or self.bot.id in message.mentions:
            return False
        return not (message.reference is not None and message.reference.author.id == self.bot.id)

    def _emit_message(self, event: str, message: Message) -> None:
        data = payloads.message(message, self, gateway=True)
        self.emit(event, data, intent=self._message_intent(message.channel), channel=message.channel)

    @staticmethod
    def _message_intent(channel: Channel) -> int:
        return Intents.DIRECT_MESSAGES if channel.is_dm else Intents.GUILD_MESSAGES

    # -- reactions --------------------------------------------------------------------------------------------

    def add_reaction(self, message: Message, user: User, emoji: str) -> None:
        """Record a reaction (idempotent, like Discord) and dispatch MESSAGE_REACTION_ADD."""
        users = message.reaction_users.setdefault(emoji, [])
        if user.id in users:
            return
        users.append(user.id)
        data = self._reaction_event(message, user, emoji)
        member = message.channel.guild.members.get(user.id) if message.channel.guild else None
        if member is not None:
            data["member"] = payloads.member(member)
        data["message_author_id"] = str(message.author.id)
        data["burst_colors"] = []
        self.emit("MESSAGE_REACTION_ADD", data, intent=self._reaction_intent(message), channel=message.channel)

    def remove_reaction(self, message: Message, user: User, emoji: str) -> None:
        users = message.reaction_users.get(emoji, [])
        if user.id not in users:
            return
        users.remove(user.id)
        if not users:
            del message.reaction_users[emoji]
        data = self._reaction_event(message, user, emoji)
        self.emit("MESSAGE_REACTION_REMOVE", data, intent=self._reaction_intent(message), channel=message.channel)

    @staticmethod
    def _reaction_event(message: Message, user: User, emoji: str) -> dict[str, Any]:
        data = {
            "user_id": str(user.id),
            "channel_id": str(message.channel.id),
            "message_id": str(message.id),
            "emoji": payloads.emoji(emoji),
            "burst": False,
            "type": 0,
        }
        if message.guild_id:
            data["guild_id"] = str(message.guild_id)
        return data

    @staticmethod
    def _reaction_intent(message: Message) -> int:
        return Intents.DIRECT_MESSAGE_REACTIONS if message.channel.is_dm else Intents.GUILD_MESSAGE_REACTIONS


def emoji_key(emoji: str) -> str:
    """Normalise ``"🫂"``, ``"name:id"`` or ``"<:name:id>"`` to the key used in ``Message.reactions``."""
    match = re.fullmatch(r"<a?:(\w+):(\d+)>", emoji)
    return f"{match[1]}:{match[2]}" if match else emoji
