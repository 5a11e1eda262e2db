"""Quoting members safely: cut cleanly at Discord's limits, keep markdown from breaking layouts."""
from __future__ import annotations

import discord.utils

EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024
EMBED_TITLE = 256
MESSAGE = 2000
ANSWER_MAX = 2000


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def quote(text: str, limit: int) -> str:
    """A member's words, markdown and mentions escaped (so `**` can't restyle the message and
    `@everyone` reads as text even where mentions would render), then clipped."""
    return clip(discord.utils.escape_mentions(discord.utils.escape_markdown(text.strip())), limit)


def clean_answer(raw: str | None, limit: int = ANSWER_MAX) -> str:
    """Validate what a member typed; raises UserError when it can't be kept as it is."""
    from .errors import UserError
    from .i18n import Number, _

    text = (raw or "").strip()
    if not text:
        raise UserError(_("That answer is empty. Write a few words, or dismiss the form if you changed your mind."))
    if len(text) > limit:
        raise UserError(_(
            "That's {count} characters; answers can be up to {limit}. Nothing was saved. "
            "Shorten it, or split it into two shares.", count=Number(len(text)), limit=Number(limit)))
    return text
