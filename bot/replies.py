"""One error path for interactions: say what went wrong and what to do, ephemerally, to the person."""
from __future__ import annotations

import logging

import discord
from discord import app_commands

from . import i18n
from .errors import UserError
from .i18n import Text, _
from .storage import UNAVAILABLE

log = logging.getLogger(__name__)

BUSY = _("Kindred's memory is busy or can't be written right now, so nothing was saved. "
          "Try again in a minute; if it keeps happening, tell the person who runs the bot.")
BUG = _("Something went wrong on Kindred's side (not anything you did). It has been logged; please try again later.")


def language(interaction: discord.Interaction) -> str:
    """The language of a reply only this member sees: their Discord locale, else the server's, else English."""
    return i18n.resolve(interaction.locale, interaction.guild_locale)


def say(interaction: discord.Interaction, text: Text | str) -> str:
    """`text` in the language of the member who interacted, naming commands as their client shows them
    (in English when Kindred doesn't speak their client's language)."""
    return i18n.render(text, language(interaction), i18n.match(interaction.locale) or i18n.DEFAULT)


def explain(error: BaseException) -> Text | str:
    """The message a person sees for `error`."""
    if isinstance(error, (app_commands.CommandInvokeError, app_commands.TransformerError)) and error.__cause__:
        error = error.__cause__
    if isinstance(error, UserError):
        return error.args[0] if error.args else str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return _("Only members with **Manage Server** can do that. Ask a server admin.")
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("That command works inside a server, not in direct messages. Use it in your server's channel.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return _("Slow down a little: try again in {seconds} s.", seconds=format(error.retry_after, ".0f"))
    if isinstance(error, app_commands.CheckFailure):
        return _("You can't use that here.")
    if isinstance(error, UNAVAILABLE):
        return BUSY
    return BUG


async def send_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Reply ephemerally whether or not the interaction was answered already; log what isn't the user's."""
    message = explain(error)
    if message in (BUG, BUSY):
        log.error("interaction %s failed", interaction.data.get("custom_id") if interaction.data else None,
                  exc_info=error)
    await ephemeral(interaction, message)


async def ephemeral(interaction: discord.Interaction, content: Text | str, **kwargs) -> None:
    """An ephemeral reply in the member's language, as a follow-up if the interaction was already
    answered or deferred."""
    content = say(interaction, content)
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True, **kwargs)
        else:
            await interaction.response.send_message(content, ephemeral=True, **kwargs)
    except discord.HTTPException:
        log.warning("could not deliver a reply to interaction %s", interaction.id, exc_info=True)


class KindredTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await send_error(interaction, error)
