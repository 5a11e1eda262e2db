"""The DiscordPort implemented with discord.py, by stored ids (the cache may be cold).

Every request waits its turn on one shared `Rate` (Discord's global limit, 50/s unless Discord gave
the bot more) and has a timeout; discord.py keeps handling per-route buckets and short 429s itself.
A wait longer than the client's `max_ratelimit_timeout` surfaces as `discord.RateLimited`, which
becomes a TransientError with its `retry_after`, so the job is rescheduled instead of holding a slot."""
from __future__ import annotations

import asyncio
import functools
from typing import NamedTuple

import aiohttp
import discord
from discord.http import MultipartParameters, handle_message_parameters

from . import custom_ids
from .i18n import Day, _, render
from .problems import PROBLEMS
from .ports import REACTION_MEANINGS, SIGNALS, AnswerCard, PromptCard
from .rate import Rate
from .scheduling import PermanentError, TransientError
from .text import EMBED_DESCRIPTION, EMBED_TITLE, clip, quote

COLOUR = discord.Colour(0xE8A0BF)
THREAD_EXISTS = 160004
LOOK_BACK = 50  # messages: Kindred's own post is among the newest in its channel or DM
# A 429 wait up to this long is discord.py's to sit out inside the request; a longer one raises
# discord.RateLimited and reschedules the job (discord.py allows no smaller value).
MAX_RATELIMIT_WAIT = 30.0
# Seconds for one request, discord.py's own waits and short retries included: longer than the
# longest single wait it sits out, so that one 429 isn't taken for Discord not answering.
REQUEST_TIMEOUT = MAX_RATELIMIT_WAIT + 10.0

PERMANENT = PROBLEMS  # Discord error codes that retrying can't fix, with what the admin should do


def classify(exc: BaseException) -> Exception:
    """Map a discord.py/aiohttp failure to PermanentError or TransientError."""
    if isinstance(exc, discord.RateLimited):
        return TransientError(f"rate limited by Discord for {exc.retry_after:.0f} s", exc.retry_after)
    if isinstance(exc, discord.HTTPException):
        if exc.code in PERMANENT:
            return PermanentError(f"Discord said {exc.code}: {PERMANENT[exc.code]}", exc.code)
        if exc.status == 429 or exc.status >= 500:
            return TransientError(f"Discord answered {exc.status}", _retry_after(exc))
        if exc.status in (403, 404):
            return PermanentError(f"Discord answered {exc.status} ({exc.code}): {exc.text}", exc.code)
        return PermanentError(f"Discord rejected the request ({exc.status}, {exc.code}): {exc.text}", exc.code)
    if isinstance(exc, TimeoutError):
        return TransientError(f"Discord didn't answer within {REQUEST_TIMEOUT:.0f} s")
    if isinstance(exc, (aiohttp.ClientError, OSError)):
        return TransientError(f"network error: {exc!r}")
    return exc if isinstance(exc, Exception) else RuntimeError(repr(exc))


def _retry_after(exc: discord.HTTPException) -> float:
    """Discord's Retry-After header (seconds), which discord.py leaves on the response."""
    try:
        return float(exc.response.headers.get("Retry-After", 0) or 0)
    except (AttributeError, ValueError):
        return 0.0


CATEGORY_NAMES = {"light": _("light"), "reflective": _("reflective"), "gratitude": _("gratitude"),
                  "dreams": _("dreams"), "memories": _("memories"), "support": _("support"), "partner": _("partner"),
                  "team": _("team"), "fun": _("fun")}
ANSWER_LABELS = {"group": _("Answer"), "private": _("Answer privately")}
NUDGE_LABELS = {"done": _("I checked in"), "snooze": _("Remind me tomorrow"), "skip": _("Not for me")}
STOP_THESE = _("Stop these")


class PromptWords(NamedTuple):
    title: str
    how: str
    meanings: str
    answer: str
    private: str


@functools.lru_cache(maxsize=None)
def _prompt_words(language: str) -> PromptWords:
    """What every daily post in `language` says the same (title, how to answer, the signals' meanings,
    the two button labels): rendered once per language, not once per post of a fan-out."""
    meanings = "  ".join(f"{emoji} {render(meaning, language)}" for emoji, meaning in REACTION_MEANINGS.items())
    return PromptWords(render(_("Question of the day"), language), render(_("Answer with the buttons, or just react"), language),
                       meanings, render(ANSWER_LABELS["group"], language), render(ANSWER_LABELS["private"], language))


@functools.lru_cache(maxsize=64)
def _full_date(day, language: str) -> str:
    return render(Day(day, "full"), language)  # the same few dates in every post of a fan-out


def _button(style: discord.ButtonStyle, custom_id: str, emoji: str, label: str | None = None) -> dict:
    button = {"type": 2, "style": style.value, "disabled": False, "custom_id": custom_id, "emoji": {"id": None, "name": emoji}}
    if label is not None:
        button["label"] = label
    return button


def prompt_message(card: PromptCard) -> dict:
    """The daily post's embed and buttons as Discord's JSON: what discord.py's Embed and View would
    send (a test compares), built directly, since a fan-out builds thousands and those objects cost
    more than the request itself."""
    lang, words = card.language, _prompt_words(card.language)
    footer = render(_("{date} · {category} · question #{id}", date=_full_date(card.local_date, lang),
                      category=CATEGORY_NAMES.get(card.category, card.category), id=card.question_id), lang)
    embed = {"type": "rich", "title": words.title, "description": f"**{discord.utils.escape_markdown(card.text)}**",
             "color": COLOUR.value, "flags": 0, "fields": [{"name": words.how, "value": words.meanings, "inline": False}],
             "footer": {"text": footer}}
    answers = [_button(discord.ButtonStyle.primary, custom_ids.answer(card.prompt_id, "group"), "✍️", words.answer),
               _button(discord.ButtonStyle.secondary, custom_ids.answer(card.prompt_id, "private"), "🔒", words.private)]
    signals = [_button(discord.ButtonStyle.secondary, custom_ids.signal(card.prompt_id, name), emoji)
               for name, emoji in SIGNALS.items()]
    return {"embeds": [embed], "components": [{"type": 1, "components": answers}, {"type": 1, "components": signals}]}


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


def _custom_ids(components) -> set[str]:
    """Every custom_id in a message's component tree (action rows hold buttons)."""
    found = set()
    for component in components:
        if component.get("custom_id"):
            found.add(component["custom_id"])
        found |= _custom_ids(component.get("components", ()))
    return found


class DiscordAdapter:
    def __init__(self, client: discord.Client, rate: Rate | None = None, timeout: float = REQUEST_TIMEOUT) -> None:
        self.client = client
        self.rate = rate or Rate(50.0)
        self.timeout = timeout

    async def _call(self, coro, *, tolerate: tuple[type[BaseException], ...] = ()):
        """Await one request in its turn, within the timeout; failures become Permanent/TransientError,
        except those in `tolerate`, which are raised as they are."""
        try:
            await self.rate.turn()
            async with asyncio.timeout(self.timeout):
                return await coro
        except tolerate:
            raise
        except (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise classify(exc) from exc
        finally:
            coro.close()  # never awaited when the turn was cancelled: no "never awaited" warning

    async def post_prompt(self, channel_id: int, card: PromptCard, nonce: str) -> int:
        # Straight to the HTTP route with the JSON built: the answer is only needed for its id, so
        # discord.py isn't asked to build a Message from it; a fan-out posts thousands of these.
        payload = {**prompt_message(card), "nonce": nonce, "enforce_nonce": True, "tts": False,
                   "allowed_mentions": {"parse": []}}
        data = await self._call(self.client.http.send_message(channel_id, params=MultipartParameters(payload, None, None)))
        return int(data["id"])

    async def find_own_message(self, channel_id: int, custom_id: str) -> int | None:
        messages = await self._call(self.client.http.logs_from(channel_id, LOOK_BACK))
        me = self.client.user.id if self.client.user else None
        for message in messages:
            if int(message["author"]["id"]) == me and custom_id in _custom_ids(message.get("components", ())):
                return int(message["id"])
        return None

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        try:
            data = await self._call(self.client.http.start_thread_with_message(
                channel_id, message_id, name=clip(name, 100), auto_archive_duration=1440),
                tolerate=(discord.HTTPException,))
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:  # made before a crash: a message's thread shares its id
                return message_id
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
            await self._call(self.client.http.delete_message(channel_id, message_id), tolerate=(discord.NotFound,))
        except discord.NotFound:
            return  # already gone: that's what we wanted

    async def open_dm(self, user_id: int) -> int:
        data = await self._call(self.client.http.start_private_message(user_id))
        return int(data["id"])

    async def send_dm(self, channel_id: int, content: str, followup_id: int, nonce: str,
                      stop_guild_id: int | None = None, language: str = "en") -> int:
        params = handle_message_parameters(content, view=followup_view(followup_id, stop_guild_id, language),
                                           nonce=nonce, allowed_mentions=discord.AllowedMentions.none())
        data = await self._call(self.client.http.send_message(channel_id, params=params))
        return int(data["id"])

    def guild_name(self, guild_id: int) -> str | None:
        guild = self.client.get_guild(guild_id)
        return guild.name if guild is not None else None

    async def is_member(self, guild_id: int, user_id: int) -> bool:
        """From the cache when it knows, else asked of Discord (the cache may be cold or lack members)."""
        guild = self.client.get_guild(guild_id)
        if guild is not None and guild.get_member(user_id) is not None:
            return True
        try:
            await self._call(self.client.http.get_member(guild_id, user_id), tolerate=(discord.NotFound, discord.Forbidden))
        except (discord.NotFound, discord.Forbidden):  # unknown member, or Kindred is no longer in that server
            return False
        return True
