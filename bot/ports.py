"""How the domain talks to Discord. `bot.discord_adapter` implements it with discord.py; tests may
use their own. Methods raise `scheduling.PermanentError` or `scheduling.TransientError`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .i18n import _

REACTIONS = ("💛", "🎉", "🫂", "💬")
REACTION_MEANINGS = {"💛": _("this resonates"), "🎉": _("good news"), "🫂": _("could use support"),
                     "💬": _("want to talk")}
# The same four as buttons on the post (custom_id name -> emoji): no request to add them, and a press
# is seen only by Kindred. Members' own emoji reactions count just the same.
SIGNALS = {"resonates": "💛", "news": "🎉", "support": "🫂", "talk": "💬"}


@dataclass(frozen=True)
class PromptCard:
    prompt_id: int
    question_id: int
    text: str
    category: str
    local_date: date
    language: str = "en"


@dataclass(frozen=True)
class AnswerCard:
    author_name: str
    author_avatar: str | None
    text: str
    question: str
    language: str = "en"


class DiscordPort(Protocol):
    async def post_prompt(self, channel_id: int, card: PromptCard, nonce: str) -> int:
        """Post the question with its Answer and signal buttons; returns the message id."""

    async def find_own_message(self, channel_id: int, custom_id: str) -> int | None:
        """Kindred's own recent message in the channel that carries a button with this custom_id, if any:
        how a send that may have happened before a crash is found after Discord forgot its nonce."""

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """Open (or find) the thread on a prompt; returns its id."""

    async def post_answer(self, thread_id: int, card: AnswerCard) -> int: ...

    async def edit_answer(self, thread_id: int, message_id: int, card: AnswerCard) -> None: ...

    async def delete_message(self, channel_id: int, message_id: int) -> None: ...

    async def open_dm(self, user_id: int) -> int:
        """The DM channel id with a member."""

    async def send_dm(self, channel_id: int, content: str, followup_id: int, nonce: str,
                      stop_guild_id: int | None = None, language: str = "en") -> int:
        """A nudge DM with its three buttons in `language` (acting on `followup_id`'s DM), and with
        `stop_guild_id` a fourth, Stop these (check-in DMs from that server off); returns the message id."""

    def guild_name(self, guild_id: int) -> str | None:
        """The server's name when Discord's cache has it."""

    async def is_member(self, guild_id: int, user_id: int) -> bool: ...
