"""One error path for interactions: say what went wrong and what to do, ephemerally, to the person."""
from __future__ import annotations

import logging
import sqlite3

import discord
from discord import app_commands

from .errors import UserError

log = logging.getLogger(__name__)

BUSY = ("Kindred's memory is busy or can't be written right now, so nothing was saved. "
        "Try again in a minute; if it keeps happening, tell the person who runs the bot.")
BUG = "Something went wrong on Kindred's side (not anything you did). It has been logged; please try again later."


def explain(error: BaseException) -> str:
    """The message a person sees for `error`."""
    if isinstance(error, (app_commands.CommandInvokeError, app_commands.TransformerError)) and error.__cause__:
        error = error.__cause__
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return "Only members with **Manage Server** can do that. Ask a server admin."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works inside a server, not in direct messages. Use it in your server's channel."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that here."
    if isinstance(error, sqlite3.OperationalError):
        return BUSY
    return BUG


async def send_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Reply ephemerally whether or not the interaction was answered already; log what isn't the user's."""
    message = explain(error)
    if message in (BUG, BUSY):
        log.error("interaction %s failed", interaction.data.get("custom_id") if interaction.data else None,
                  exc_info=error)
    await ephemeral(interaction, message)


async def ephemeral(interaction: discord.Interaction, content: str, **kwargs) -> None:
    """An ephemeral reply, as a follow-up if the interaction was already answered or deferred."""
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
