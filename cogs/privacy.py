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
from bot.i18n import Text, _, _n
from bot.replies import ephemeral, language, say, send_error
from cogs.setup import timezone_autocomplete

log = logging.getLogger(__name__)


VISIBILITIES = {"group": _("group"), "private": _("private")}
ERASED = {  # data_rights.forget's counts, as the member reads them
    "answers and shares": _("answers and shares"), "notes you wrote": _("notes you wrote"),
    "notes about you": _("notes about you"), "reactions": _("reactions"), "reached-out signals": _("reached-out signals"),
    "privacy settings": _("privacy settings"), "unfiled DM shares": _("unfiled DM shares"),
    "questions (name removed)": _("questions (name removed)"), "nudge deliveries": _("nudge deliveries"),
    "nudges to and about you": _("nudges to and about you"), "circle entries": _("circle entries"),
    "what Kindred knew of you being here": _("what Kindred knew of you being here"),
    "named as the partner": _("named as the partner"), "who set Kindred up": _("who set Kindred up"),
    "record of check-in DMs to and about you": _("record of check-in DMs to and about you"),
}


def describe(choice: members.MemberSettings) -> Text:
    yes = lambda flag: _("on") if flag else _("off")  # noqa: E731
    return _("Your answers by default: **{visibility}** · follow-ups about you: **{follow_ups}** · check-in DMs to you: "
             "**{check_ins}** · time zone: **{timezone}** · quiet hours: **{start}–{end}**",
             visibility=VISIBILITIES.get(choice.default_visibility, choice.default_visibility),
             follow_ups=yes(choice.allow_followups), check_ins=yes(choice.receive_checkins), timezone=choice.timezone,
             start=choice.quiet_start.strftime("%H:%M"), end=choice.quiet_end.strftime("%H:%M"))


async def _settings(bot, guild_id: int):
    settings = await guilds.get(bot.db, guild_id)
    if settings is None or settings.removed_at:
        raise UserError(_("Kindred isn't set up in this server yet. An admin can start with `/kindred setup`."))
    return settings


class ForgetButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.FORGET):
    """The confirmation for /forget; only the member it was shown to can press it."""

    def __init__(self, user_id: int, decision: str, lang: str = "en") -> None:
        label, style = (_("Erase everything"), discord.ButtonStyle.danger) if decision == "yes" else \
            (_("Keep it"), discord.ButtonStyle.secondary)
        super().__init__(discord.ui.Button(label=label.render(lang), style=style,
                                           custom_id=custom_ids.forget(user_id, decision)))
        self.user_id, self.decision = user_id, decision

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["user_id"]), match["decision"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.user.id != self.user_id or interaction.guild_id is None:
                raise UserError(_("This button is for the member who asked to be forgotten."))
            if self.decision == "no":
                await interaction.response.edit_message(content=say(interaction, _("Nothing was erased.")), view=None)
                return
            await interaction.response.defer(ephemeral=True)
            bot = interaction.client
            erased = await data_rights.forget(bot.db, bot.port, interaction.guild_id, self.user_id)
            log.info("guild %s: member %s forgotten (%d rows, %d messages)", interaction.guild_id, self.user_id,
                     erased.total, erased.deleted_messages)
            lines = [say(interaction, _("Done. Kindred erased what it kept about you in this server:"))]
            lines += [f"• {say(interaction, ERASED.get(label, label))}: {count}"
                      for label, count in erased.counts.items() if count]
            lines.append(say(interaction, _n("• your answers posted in threads: {n} message deleted",
                                             "• your answers posted in threads: {n} messages deleted",
                                             erased.deleted_messages)))
            lines.append(say(interaction, _("• check-in DMs to others that quoted you: {n} deleted",
                                            n=erased.deleted_dms)))
            lines.append(say(interaction, _("• your suggestion notices: {n} deleted", n=erased.deleted_notices)))
            if erased.retrying:
                lines.append(say(interaction, _n(
                    "• {n} message couldn't be deleted yet (Discord didn't answer); Kindred keeps trying",
                    "• {n} messages couldn't be deleted yet (Discord didn't answer); Kindred keeps trying",
                    erased.retrying)))
            if erased.undeleted_messages:
                lines.append(say(interaction, _("I couldn't delete these messages; please delete them yourself: {links}",
                                                links=" ".join(erased.undeleted_messages[:10]))))
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
        note = _n("\n{n} planned nudge cancelled, as you asked.", "\n{n} planned nudges cancelled, as you asked.",
                  cancelled) if cancelled else ""
        await ephemeral(interaction, _("{saved}{choices}{note}\nChange any of them with the options of `/privacy`.",
                                       saved=_("Saved. ") if changed else "", choices=describe(choice), note=note))

    @app_commands.command(description="Get a file of everything Kindred keeps about you in this server")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction) -> None:
        data = await data_rights.export(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id)
        file = discord.File(io.BytesIO(data_rights.export_json(data)), filename=f"kindred-{interaction.guild_id}.json")
        await interaction.response.send_message(say(interaction, _("Here is everything Kindred keeps about you in this "
                                                                   "server.")), file=file, ephemeral=True)

    @app_commands.command(description="Erase everything Kindred keeps about you in this server")
    @app_commands.guild_only()
    async def forget(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(interaction.user.id, "yes", language(interaction)))
        view.add_item(ForgetButton(interaction.user.id, "no", language(interaction)))
        await interaction.response.send_message(say(interaction, _(
            "This erases your answers and shares, reactions, notes you wrote and notes others wrote about you, "
            "your privacy choices, and deletes your answers that Kindred posted in threads. It can't be undone. "
            "(`/export` first if you want a copy.)")), view=view, ephemeral=True)

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
