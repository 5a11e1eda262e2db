"""The DiscordPort implemented with discord.py, by stored ids (the cache may be cold)."""
from __future__ import annotations

import asyncio

import aiohttp
import discord

from . import custom_ids
from .i18n import Day, _, render
from .problems import PROBLEMS
from .ports import REACTION_MEANINGS, AnswerCard, PromptCard
from .scheduling import PermanentError, TransientError
from .text import EMBED_DESCRIPTION, EMBED_TITLE, clip, quote

COLOUR = discord.Colour(0xE8A0BF)
THREAD_EXISTS = 160004

PERMANENT = PROBLEMS  # Discord error codes that retrying can't fix, with what the admin should do


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


CATEGORY_NAMES = {"light": _("light"), "reflective": _("reflective"), "gratitude": _("gratitude"),
                  "dreams": _("dreams"), "memories": _("memories"), "support": _("support"), "partner": _("partner"),
                  "team": _("team"), "fun": _("fun")}
ANSWER_LABELS = {"group": _("Answer"), "private": _("Answer privately")}
NUDGE_LABELS = {"done": _("I checked in"), "snooze": _("Remind me tomorrow"), "skip": _("Not for me")}
STOP_THESE = _("Stop these")


def prompt_embed(card: PromptCard) -> discord.Embed:
    lang = card.language
    embed = discord.Embed(title=render(_("Question of the day"), lang),
                          description=f"**{discord.utils.escape_markdown(card.text)}**", colour=COLOUR)
    meanings = "  ".join(f"{emoji} {render(meaning, lang)}" for emoji, meaning in REACTION_MEANINGS.items())
    embed.add_field(name=render(_("Answer with the buttons, or just react"), lang), value=meanings, inline=False)
    embed.set_footer(text=render(_("{date} · {category} · question #{id}", date=Day(card.local_date, "full"),
                                   category=CATEGORY_NAMES.get(card.category, card.category), id=card.question_id), lang))
    return embed


def prompt_view(card: PromptCard) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label=render(ANSWER_LABELS["group"], card.language), style=discord.ButtonStyle.primary,
                                    emoji="✍️", custom_id=custom_ids.answer(card.prompt_id, "group")))
    view.add_item(discord.ui.Button(label=render(ANSWER_LABELS["private"], card.language),
                                    style=discord.ButtonStyle.secondary, emoji="🔒",
                                    custom_id=custom_ids.answer(card.prompt_id, "private")))
    return view


def answer_embed(card: AnswerCard) -> discord.Embed:
    embed = discord.Embed(description=quote(card.text, EMBED_DESCRIPTION), colour=COLOUR)
    embed.set_author(name=clip(card.author_name, EMBED_TITLE), icon_url=card.author_avatar)
    embed.set_footer(text=clip(card.question, 2048))
    return embed


def followup_view(followup_id: int, stop_guild_id: int | None = None, language: str = "en") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action, style in (("done", discord.ButtonStyle.success), ("snooze", discord.ButtonStyle.secondary),
                          ("skip", discord.ButtonStyle.secondary)):
        view.add_item(discord.ui.Button(label=render(NUDGE_LABELS[action], language), style=style,
                                        custom_id=custom_ids.followup(followup_id, action)))
    if stop_guild_id is not None:
        view.add_item(discord.ui.Button(label=render(STOP_THESE, language), style=discord.ButtonStyle.danger,
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
                      stop_guild_id: int | None = None, language: str = "en") -> int:
        channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        message = await self._call(channel.send(content, view=followup_view(followup_id, stop_guild_id, language),
                                                nonce=nonce,
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
