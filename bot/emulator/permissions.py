"""Discord permission bits and the permission computation (base role permissions, then overwrites)."""

from __future__ import annotations

from functools import reduce
from typing import TYPE_CHECKING, Iterable

from .errors import EmulatorError

if TYPE_CHECKING:
    from .state import Channel, Guild

FLAGS: dict[str, int] = {
    "create_instant_invite": 1 << 0,
    "kick_members": 1 << 1,
    "ban_members": 1 << 2,
    "administrator": 1 << 3,
    "manage_channels": 1 << 4,
    "manage_guild": 1 << 5,
    "add_reactions": 1 << 6,
    "view_audit_log": 1 << 7,
    "priority_speaker": 1 << 8,
    "stream": 1 << 9,
    "view_channel": 1 << 10,
    "send_messages": 1 << 11,
    "send_tts_messages": 1 << 12,
    "manage_messages": 1 << 13,
    "embed_links": 1 << 14,
    "attach_files": 1 << 15,
    "read_message_history": 1 << 16,
    "mention_everyone": 1 << 17,
    "use_external_emojis": 1 << 18,
    "view_guild_insights": 1 << 19,
    "connect": 1 << 20,
    "speak": 1 << 21,
    "mute_members": 1 << 22,
    "deafen_members": 1 << 23,
    "move_members": 1 << 24,
    "use_voice_activation": 1 << 25,
    "change_nickname": 1 << 26,
    "manage_nicknames": 1 << 27,
    "manage_roles": 1 << 28,
    "manage_webhooks": 1 << 29,
    "manage_expressions": 1 << 30,
    "use_application_commands": 1 << 31,
    "request_to_speak": 1 << 32,
    "manage_events": 1 << 33,
    "manage_threads": 1 << 34,
    "create_public_threads": 1 << 35,
    "create_private_threads": 1 << 36,
    "use_external_stickers": 1 << 37,
    "send_messages_in_threads": 1 << 38,
    "use_embedded_activities": 1 << 39,
    "moderate_members": 1 << 40,
    "send_voice_messages": 1 << 46,
    "send_polls": 1 << 49,
    "use_external_apps": 1 << 50,
    "pin_messages": 1 << 51,
}
ALL = reduce(lambda a, b: a | b, FLAGS.values())

EVERYONE_DEFAULT = (
    "create_instant_invite", "add_reactions", "stream", "view_channel", "send_messages", "embed_links",
    "attach_files", "read_message_history", "use_external_emojis", "connect", "speak", "use_voice_activation",
    "change_nickname", "use_application_commands", "request_to_speak", "create_public_threads",
    "create_private_threads", "use_external_stickers", "send_messages_in_threads", "use_embedded_activities",
    "send_voice_messages", "send_polls", "use_external_apps",
)
"""What a new guild's @everyone role may do."""

BOT_DEFAULT = (
    "view_channel", "send_messages", "send_messages_in_threads", "create_public_threads", "create_private_threads",
    "manage_threads", "embed_links", "attach_files", "add_reactions", "read_message_history", "use_external_emojis",
    "use_application_commands",
)
"""What the bot's own managed role may do unless ``Emulator(bot_permissions=...)`` says otherwise."""

DM_PERMISSIONS = (
    "view_channel", "send_messages", "embed_links", "attach_files", "add_reactions", "read_message_history",
    "use_external_emojis", "use_application_commands",
)
"""What anyone may do in a DM channel (Discord's implicit DM permissions)."""


def bits(names: Iterable[str]) -> int:
    """OR the named permissions together; raises :class:`EmulatorError` on a misspelt name."""
    value = 0
    for name in names:
        try:
            value |= FLAGS[name]
        except KeyError:
            raise EmulatorError(f"unknown permission {name!r}; known: {', '.join(sorted(FLAGS))}") from None
    return value


def has(value: int, name: str) -> bool:
    return bool(value & FLAGS[name])


def names(value: int) -> list[str]:
    return [name for name, bit in FLAGS.items() if value & bit]


def base(guild: Guild, user_id: int) -> int:
    """Guild-wide permissions of a member: owner and administrator get everything."""
    if guild.owner_id == user_id:
        return ALL
    member = guild.members.get(user_id)
    if member is None:
        return 0
    value = guild.everyone.permissions
    for role in member.roles:
        value |= role.permissions
    return ALL if value & FLAGS["administrator"] else value


def in_channel(channel: Channel, user_id: int) -> int:
    """Permissions of a user in a channel, following Discord's overwrite order (everyone, roles, member)."""
    if channel.guild is None:
        return bits(DM_PERMISSIONS)
    guild = channel.guild
    value = base(guild, user_id)
    if value == ALL:
        return ALL
    source = channel.parent if channel.is_thread else channel
    overwrites = source.overwrites
    everyone = overwrites.get(guild.id)
    if everyone:
        value = (value & ~everyone.deny) | everyone.allow
    member = guild.members.get(user_id)
    role_ids = {role.id for role in member.roles} if member else set()
    allow = deny = 0
    for target_id, overwrite in overwrites.items():
        if overwrite.type == 0 and target_id in role_ids:
            allow |= overwrite.allow
            deny |= overwrite.deny
    value = (value & ~deny) | allow
    own = overwrites.get(user_id)
    if own and own.type == 1:
        value = (value & ~own.deny) | own.allow
    if not value & FLAGS["view_channel"]:
        return 0
    return value
