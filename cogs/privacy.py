"""/privacy, /export and /forget: each member's control over what Kindred keeps; server lifecycle."""
from __future__ import annotations

import io
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_ids, data_rights, guilds, housekeeping, members
from bot.errors import UserError
from bot.replies import send_error
from cogs.setup import timezone_autocomplete

log = logging.getLogger(__name__)


def describe(choice: members.MemberSettings) -> str:
    yes = lambda flag: "on" if flag else "off"  # noqa: E731
    return (f"Your answers by default: **{choice.default_visibility}** · follow-ups about you: "
            f"**{yes(choice.allow_followups)}** · check-in DMs to you: **{yes(choice.receive_checkins)}** · "
            f"time zone: **{choice.timezone}** · quiet hours: **{choice.quiet_start:%H:%M}–{choice.quiet_end:%H:%M}**")


async def _settings(bot, guild_id: int):
    settings = await guilds.get(bot.db, guild_id)
    if settings is None or settings.removed_at:
        raise UserError("Kindred isn't set up in this server yet. An admin can start with `/kindred setup`.")
    return settings


class ForgetButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.FORGET):
    """The confirmation for /forget; only the member it was shown to can press it."""

    def __init__(self, user_id: int, decision: str) -> None:
        label, style = ("Erase everything", discord.ButtonStyle.danger) if decision == "yes" else \
            ("Keep it", discord.ButtonStyle.secondary)
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_ids.forget(user_id, decision)))
        self.user_id, self.decision = user_id, decision

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["user_id"]), match["decision"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.user.id != self.user_id or interaction.guild_id is None:
                raise UserError("This button is for the member who asked to be forgotten.")
            if self.decision == "no":
                await interaction.response.edit_message(content="Nothing was erased.", view=None)
                return
            await interaction.response.defer(ephemeral=True)
            bot = interaction.client
            erased = await data_rights.forget(bot.db, bot.port, interaction.guild_id, self.user_id)
            log.info("guild %s: member %s forgotten (%d rows, %d messages)", interaction.guild_id, self.user_id,
                     erased.total, erased.deleted_messages)
            lines = ["Done. Kindred erased what it kept about you in this server:"]
            lines += [f"• {label}: {count}" for label, count in erased.counts.items() if count]
            lines.append(f"• your answers posted in threads: {erased.deleted_messages} messages deleted")
            lines.append(f"• check-in DMs to others that quoted you: {erased.deleted_dms} deleted")
            lines.append(f"• your suggestion notices: {erased.deleted_notices} deleted")
            if erased.undeleted_messages:
                lines.append("I couldn't delete these messages; please delete them yourself: "
                             + " ".join(erased.undeleted_messages[:10]))
            await interaction.edit_original_response(content="\n".join(lines)[:2000], view=None)
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)


class Privacy(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(description="See and change your privacy choices in this server")
    @app_commands.guild_only()
    @app_commands.describe(answers="Who sees your answers and shares by default",
                           follow_ups="Let Kindred nudge someone to check in on you",
                           check_ins="Receive DMs asking you to check in on others",
                           timezone="Your time zone (default: the server's)",
                           quiet_start="Quiet hours start, e.g. 22:00", quiet_end="Quiet hours end, e.g. 08:00")
    @app_commands.choices(answers=[app_commands.Choice(name="visible to the group", value="group"),
                                   app_commands.Choice(name="private (only me)", value="private")])
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def privacy(self, interaction: discord.Interaction, answers: str | None = None, follow_ups: bool | None = None,
                      check_ins: bool | None = None, timezone: str | None = None, quiet_start: str | None = None,
                      quiet_end: str | None = None) -> None:
        settings = await _settings(self.bot, interaction.guild_id)
        await members.update(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id,
                             default_visibility=answers, allow_followups=follow_ups, receive_checkins=check_ins,
                             timezone=timezone, quiet_start=quiet_start, quiet_end=quiet_end)
        cancelled = await self.bot.followups.consent_withdrawn(
            interaction.guild_id, interaction.user.id, followups_about=follow_ups is False, checkins_to=check_ins is False)
        choice = await members.get(self.bot.db, interaction.guild_id, interaction.user.id, settings.mode, settings.timezone)
        changed = any(v is not None for v in (answers, follow_ups, check_ins, timezone, quiet_start, quiet_end))
        note = f"\n{cancelled} planned nudge(s) cancelled, as you asked." if cancelled else ""
        await interaction.response.send_message(("Saved. " if changed else "") + describe(choice) + note +
                                                "\nChange any of them with the options of `/privacy`.", ephemeral=True)

    @app_commands.command(description="Get a file of everything Kindred keeps about you in this server")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction) -> None:
        data = await data_rights.export(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id)
        file = discord.File(io.BytesIO(data_rights.export_json(data)), filename=f"kindred-{interaction.guild_id}.json")
        await interaction.response.send_message("Here is everything Kindred keeps about you in this server.",
                                                file=file, ephemeral=True)

    @app_commands.command(description="Erase everything Kindred keeps about you in this server")
    @app_commands.guild_only()
    async def forget(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(interaction.user.id, "yes"))
        view.add_item(ForgetButton(interaction.user.id, "no"))
        await interaction.response.send_message(
            "This erases your answers and shares, reactions, notes you wrote and notes others wrote about you, "
            "your privacy choices, and deletes your answers that Kindred posted in threads. It can't be undone. "
            "(`/export` first if you want a copy.)", view=view, ephemeral=True)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await housekeeping.bot_removed(self.bot.db, self.bot.clock, self.bot.queue, guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await housekeeping.bot_added(self.bot.db, self.bot.clock, self.bot.queue, guild.id):
            await self.bot.daily.reschedule(guild.id)


async def setup(bot) -> None:
    bot.add_dynamic_items(ForgetButton)
    await bot.add_cog(Privacy(bot))
