"""The DiscordPort implemented with discord.py, by stored ids (the cache may be cold)."""
from __future__ import annotations

import asyncio

import aiohttp
import discord

from . import custom_ids
from .ports import REACTION_MEANINGS, AnswerCard, PromptCard
from .scheduling import PermanentError, TransientError
from .text import EMBED_DESCRIPTION, EMBED_TITLE, clip, quote

COLOUR = discord.Colour(0xE8A0BF)
THREAD_EXISTS = 160004

# Discord error codes that retrying can't fix, with what the admin should do.
PERMANENT = {
    10003: "the channel was deleted. Run `/kindred setup` with another channel.",
    10008: "the message was deleted.",
    50001: "Kindred can't see the channel (missing View Channel). Give Kindred access, then run `/kindred resume`.",
    50013: "Kindred is missing a permission in the channel. `/kindred status` names it; fix it, then run `/kindred resume`.",
    50007: "the member doesn't accept direct messages from Kindred.",
    50083: "the thread is archived.",
}


def classify(exc: BaseException) -> Exception:
    """Map a discord.py/aiohttp failure to PermanentError or TransientError."""
    if isinstance(exc, discord.HTTPException):
        if exc.code in PERMANENT:
            return PermanentError(f"Discord said {exc.code}: {PERMANENT[exc.code]}", exc.code)
        if exc.status == 429 or exc.status >= 500:
            retry_after = float(getattr(exc, "retry_after", 0) or 0)
            return TransientError(f"Discord answered {exc.status}", retry_after)
        if exc.status in (403, 404):
            return PermanentError(f"Discord answered {exc.status} ({exc.code}): {exc.text}", exc.code)
        return PermanentError(f"Discord rejected the request ({exc.status}, {exc.code}): {exc.text}", exc.code)
    if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        return TransientError(f"network error: {exc!r}")
    return exc if isinstance(exc, Exception) else RuntimeError(repr(exc))


def prompt_embed(card: PromptCard) -> discord.Embed:
    embed = discord.Embed(title="Question of the day", description=f"**{discord.utils.escape_markdown(card.text)}**", colour=COLOUR)
    meanings = "  ".join(f"{emoji} {meaning}" for emoji, meaning in REACTION_MEANINGS.items())
    embed.add_field(name="Answer with the buttons, or just react", value=meanings, inline=False)
    embed.set_footer(text=f"{card.local_date:%A %d %B %Y} · {card.category} · question #{card.question_id}")
    return embed


def prompt_view(card: PromptCard) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Answer", style=discord.ButtonStyle.primary, emoji="✍️",
                                    custom_id=custom_ids.answer(card.prompt_id, "group")))
    view.add_item(discord.ui.Button(label="Answer privately", style=discord.ButtonStyle.secondary, emoji="🔒",
                                    custom_id=custom_ids.answer(card.prompt_id, "private")))
    return view


def answer_embed(card: AnswerCard) -> discord.Embed:
    embed = discord.Embed(description=quote(card.text, EMBED_DESCRIPTION), colour=COLOUR)
    embed.set_author(name=clip(card.author_name, EMBED_TITLE), icon_url=card.author_avatar)
    embed.set_footer(text=clip(card.question, 2048))
    return embed


def followup_view(followup_id: int, stop_guild_id: int | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action, label, style in (("done", "I checked in", discord.ButtonStyle.success),
                                 ("snooze", "Remind me tomorrow", discord.ButtonStyle.secondary),
                                 ("skip", "Not for me", discord.ButtonStyle.secondary)):
        view.add_item(discord.ui.Button(label=label, style=style, custom_id=custom_ids.followup(followup_id, action)))
    if stop_guild_id is not None:
        view.add_item(discord.ui.Button(label="Stop these", style=discord.ButtonStyle.danger,
                                        custom_id=custom_ids.stop_checkins(stop_guild_id, followup_id)))
    return view


class DiscordAdapter:
    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _call(self, coro):
        try:
            return await coro
        except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise classify(exc) from exc

    async def post_prompt(self, channel_id: int, card: PromptCard, nonce: str) -> int:
        channel = self.client.get_partial_messageable(channel_id)
        message = await self._call(channel.send(embed=prompt_embed(card), view=prompt_view(card), nonce=nonce,
                                                allowed_mentions=discord.AllowedMentions.none()))
        return message.id

    async def add_reactions(self, channel_id: int, message_id: int, emojis: tuple[str, ...]) -> None:
        for emoji in emojis:
            await self._call(self.client.http.add_reaction(channel_id, message_id, emoji))

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        try:
            data = await self.client.http.start_thread_with_message(
                channel_id, message_id, name=clip(name, 100), auto_archive_duration=1440)
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:  # made before a crash: a message's thread shares its id
                return message_id
            raise classify(exc) from exc
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise classify(exc) from exc
        return int(data["id"])

    async def post_answer(self, thread_id: int, card: AnswerCard) -> int:
        thread = self.client.get_partial_messageable(thread_id)
        message = await self._call(thread.send(embed=answer_embed(card), allowed_mentions=discord.AllowedMentions.none()))
        return message.id

    async def edit_answer(self, thread_id: int, message_id: int, card: AnswerCard) -> None:
        message = self.client.get_partial_messageable(thread_id).get_partial_message(message_id)
        await self._call(message.edit(embed=answer_embed(card), allowed_mentions=discord.AllowedMentions.none()))

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        try:
            await self.client.http.delete_message(channel_id, message_id)
        except discord.NotFound:
            return  # already gone: that's what we wanted
        except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise classify(exc) from exc

    async def open_dm(self, user_id: int) -> int:
        data = await self._call(self.client.http.start_private_message(user_id))
        return int(data["id"])

    async def send_dm(self, channel_id: int, content: str, followup_id: int, nonce: str,
                      stop_guild_id: int | None = None) -> int:
        channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        message = await self._call(channel.send(content, view=followup_view(followup_id, stop_guild_id), nonce=nonce,
                                                allowed_mentions=discord.AllowedMentions.none()))
        return message.id

    def guild_name(self, guild_id: int) -> str | None:
        guild = self.client.get_guild(guild_id)
        return guild.name if guild is not None else None

    async def is_member(self, guild_id: int, user_id: int) -> bool:
        """From the cache when it knows, else asked of Discord (the cache may be cold or lack members)."""
        guild = self.client.get_guild(guild_id)
        if guild is not None and guild.get_member(user_id) is not None:
            return True
        try:
            await self.client.http.get_member(guild_id, user_id)
        except discord.NotFound:  # unknown member, or Kindred is no longer in that server
            return False
        except discord.Forbidden:
            return False
        except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise classify(exc) from exc
        return True
