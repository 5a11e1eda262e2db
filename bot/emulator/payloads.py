"""Discord JSON shapes for users, members, roles, channels, guilds and messages (API v10)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import Attachment, Channel, Guild, Member, Message, Role, User, World


def timestamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def user(u: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(u.id),
        "username": u.name,
        "discriminator": "0",
        "global_name": None if u.bot else u.name,
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
    }
    if u.bot:
        data["bot"] = True
    return data


def current_user(u: User) -> dict[str, Any]:
    """``GET /users/@me`` for the bot: a user plus account fields."""
    return {**user(u), "verified": True, "mfa_enabled": False, "locale": "en-US", "email": None, "bio": ""}


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r.id) for r in m.roles],
        "joined_at": timestamp(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(r: Role) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": False,
        "flags": 0,
    }
    if r.bot_id is not None:
        data["tags"] = {"bot_id": str(r.bot_id)}
    return data


def emoji(key: str) -> dict[str, Any]:
    """A reaction emoji object from an emoji key (``"🫂"`` or ``"name:id"``)."""
    match = re.fullmatch(r"(\w+):(\d+)", key)
    if match:
        return {"id": match[2], "name": match[1], "animated": False}
    return {"id": None, "name": key}


def channel(ch: Channel, world: World | None = None, *, permissions: int | None = None) -> dict[str, Any]:
    """A channel object; for threads pass ``world`` so the bot's thread membership is included."""
    from .state import ChannelType

    last = str(ch.last_message_id) if ch.last_message_id else None
    if ch.is_dm:
        assert ch.recipient is not None
        return {"id": str(ch.id), "type": ch.type, "last_message_id": last, "flags": 0, "recipients": [user(ch.recipient)]}
    assert ch.guild is not None
    data: dict[str, Any] = {
        "id": str(ch.id),
        "type": ch.type,
        "guild_id": str(ch.guild.id),
        "name": ch.name,
        "parent_id": str(ch.parent.id) if ch.parent else None,
        "flags": 0,
    }
    if ch.is_thread:
        data.update(_thread_fields(ch, world))
    else:
        data["position"] = ch.position
        data["permission_overwrites"] = [
            {"id": str(target), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
            for target, o in ch.overwrites.items()
        ]
        data["nsfw"] = False
    if ch.type == ChannelType.TEXT:
        data.update(topic=ch.topic, last_message_id=last, rate_limit_per_user=0, default_auto_archive_duration=1440)
    elif ch.type == ChannelType.VOICE:
        data.update(bitrate=64000, user_limit=0, rtc_region=None, last_message_id=last, rate_limit_per_user=0)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def _thread_fields(ch: Channel, world: World | None) -> dict[str, Any]:
    sent = len(ch.log)
    data: dict[str, Any] = {
        "owner_id": str(ch.owner_id),
        "last_message_id": str(ch.last_message_id) if ch.last_message_id else None,
        "rate_limit_per_user": 0,
        "message_count": sent,
        "total_message_sent": sent,
        "member_count": len(ch.thread_member_ids),
        "thread_metadata": {
            "archived": False,
            "archive_timestamp": timestamp(ch.created_at),
            "auto_archive_duration": ch.auto_archive_duration,
            "locked": False,
            "create_timestamp": timestamp(ch.created_at),
        },
    }
    if ch.type == 12:
        data["thread_metadata"]["invitable"] = True
    if world is not None and world.bot.id in ch.thread_member_ids:
        data["member"] = {
            "id": str(ch.id),
            "user_id": str(world.bot.id),
            "join_timestamp": timestamp(ch.created_at),
            "flags": 0,
        }
    return data


def guild(g: Guild) -> dict[str, Any]:
    text = g.text_channels
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": str(text[0].id) if text else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.preferred_locale,
        "nsfw_level": 0,
        "max_members": 500000,
        "premium_progress_bar_enabled": False,
    }


def guild_create(g: Guild, world: World) -> dict[str, Any]:
    """GUILD_CREATE: the guild with channels, active threads and members.

    Like Discord, ``members`` holds only the bot itself unless the bot has the GUILD_PRESENCES intent;
    discord.py then requests the rest with REQUEST_GUILD_MEMBERS when it has GUILD_MEMBERS.
    """
    from .state import Intents

    listed = g.members.values() if world.has_intent(Intents.GUILD_PRESENCES) else [g.members[world.bot.id]]
    return {
        **guild(g),
        "joined_at": timestamp(g.joined_at),
        "large": False,
        "unavailable": False,
        "member_count": len(g.members),
        "members": [member(m) for m in listed],
        "channels": [channel(c) for c in g.channels],
        "threads": [channel(t, world) for t in g.threads],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def attachment(a: Attachment) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": a.url,
        "proxy_url": a.url,
        "content_type": a.content_type,
    }
    if a.description is not None:
        data["description"] = a.description
    return data


def reactions(m: Message, bot_id: int) -> list[dict[str, Any]]:
    return [
        {
            "emoji": emoji(key),
            "count": len(users),
            "count_details": {"burst": 0, "normal": len(users)},
            "burst_colors": [],
            "me": bot_id in users,
            "me_burst": False,
        }
        for key, users in m.reaction_users.items()
        if users
    ]


def message(m: Message, world: World, *, gateway: bool = False, nested: bool = False) -> dict[str, Any]:
    """A message object as the bot sees it.

    ``gateway`` adds what dispatches carry (``guild_id``, ``member``); content, embeds, attachments and
    components are blanked when the bot lacks the MESSAGE_CONTENT intent (see ``World.strips_content``).
    """
    strip = world.strips_content(m)
    guild = m.channel.guild
    data: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel.id),
        "type": m.type,
        "author": user(m.author),
        "content": "" if strip else m.content,
        "embeds": [] if strip else m.embeds,
        "components": [] if strip else m.components,
        "attachments": [] if strip else [attachment(a) for a in m.attachments],
        "mentions": [user(world.users[uid]) for uid in m.mentions if uid in world.users],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": m.tts,
        "timestamp": timestamp(m.created_at),
        "edited_timestamp": timestamp(m.edited_at),
        "flags": m.flags,
    }
    if m.reaction_users:
        data["reactions"] = reactions(m, world.bot.id)
    if m.nonce is not None:
        data["nonce"] = m.nonce
    if m.interaction is not None:
        data.update(m.interaction.message_fields(world.bot.id))
    if m.reference is not None:
        ref = m.reference
        data["message_reference"] = {"type": 0, "message_id": str(ref.id), "channel_id": str(ref.channel.id)}
        if ref.guild_id:
            data["message_reference"]["guild_id"] = str(ref.guild_id)
        if not nested:
            data["referenced_message"] = None if ref.deleted else message(ref, world, nested=True)
    thread = world.thread_of(m)
    if thread is not None and not nested:
        data["thread"] = channel(thread, world)
    if gateway and guild is not None:
        data["guild_id"] = str(guild.id)
        author_member = guild.members.get(m.author.id)
        if author_member is not None and m.interaction is None:
            data["member"] = member(author_member, with_user=False)
    return data


def application(world: World) -> dict[str, Any]:
    """``GET /oauth2/applications/@me``."""
    return {
        "id": str(world.bot.id),
        "name": world.bot.name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot": user(world.bot),
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": user(world.owner),
        "team": None,
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": sum(1 for g in world.guilds.values() if g.bot_present),
    }
