"""/kindred: setup and settings for admins (Manage Server)."""
from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import guilds, i18n, roster, stats
from bot.errors import UserError
from bot.i18n import Day, Listing, Text, _, _n
from bot.localtime import format_local, search_timezones
from bot.problems import readable_problem
from bot.replies import language as member_language, say

# What Kindred needs in its channel, with the names Discord shows in channel settings.
NEEDED = {
    "view_channel": _("View Channel"),
    "send_messages": _("Send Messages"),
    "embed_links": _("Embed Links"),
    "read_message_history": _("Read Message History"),
    "create_public_threads": _("Create Public Threads"),
    "send_messages_in_threads": _("Send Messages in Threads"),
}
POSTABLE = (discord.ChannelType.text, discord.ChannelType.news)
MODES = {"partner": _("partner"), "group": _("group")}
REVEALS = {"instant": _("instant"), "together": _("together")}
# Each language by its own name, the same in every client (`verbatim`: not looked up in the catalogs).
LANGUAGE_CHOICES = [app_commands.Choice(name="auto (Discord's server language)", value="auto")] + [
    app_commands.Choice(name=app_commands.locale_str(i18n.native_name(code), verbatim=True), value=code)
    for code in i18n.available()]


def missing_permissions(guild: discord.Guild, channel_id: int) -> list[Text]:
    """Names of the permissions Kindred lacks in the channel, from the gateway cache."""
    channel = guild.get_channel(channel_id)
    if channel is None:
        return [_("the channel no longer exists")]
    if guild.me is None:
        return []  # cache still warming up: the post itself will report a missing permission
    perms = channel.permissions_for(guild.me)
    return [label for name, label in NEEDED.items() if not getattr(perms, name)]


async def timezone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in search_timezones(current)]


def _check_partner(interaction: discord.Interaction, partner: discord.User, mode: str) -> None:
    """A partner is another person in this server, in partner mode."""
    if mode != "partner":
        raise UserError(_("A partner is for partner mode. Add `mode:partner`, or leave `partner` out in group mode."))
    if partner.bot:
        raise UserError(_("Your partner is a person, not a bot: pick them with `partner:`."))
    if partner.id == interaction.user.id:
        raise UserError(_("Name the other person as your partner, not yourself."))
    if not isinstance(partner, discord.Member):
        raise UserError(_("{member} isn't a member of this server. Invite them first, then name them.",
                          member=partner.mention))


def _when(next_due) -> Text | str:
    return format_local(next_due) if next_due else _("not scheduled")


def _language(s) -> Text:
    name = i18n.LanguageName(s.language)
    return _("{language} (chosen)", language=name) if s.chosen_language else \
        _("{language} (from Discord)", language=name)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Kindred(commands.GroupCog, group_name="kindred", group_description="Set up Kindred's daily question"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.daily = bot.daily
        super().__init__()

    @commands.Cog.listener()
    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        """The server's primary language changed: its posts follow (unless /kindred settings chose one)."""
        if before.preferred_locale != after.preferred_locale:
            await guilds.seen_locale(self.bot.db, after.id, after.preferred_locale.value)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    @app_commands.command(description="Choose the channel, local time and time zone for the daily question")
    @app_commands.describe(channel="Text channel to post in", time="Local time, e.g. 09:00, 9am or 9:30 pm",
                           timezone="Your time zone, e.g. Europe/Berlin", mode="partner (a couple) or group",
                           partner="Partner mode: your partner, who gets check-ins from day one")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @app_commands.choices(mode=[app_commands.Choice(name="partner (a couple)", value="partner"),
                                app_commands.Choice(name="group (friends, family, team)", value="group")])
    async def setup(self, interaction: discord.Interaction, channel: app_commands.AppCommandChannel, time: str,
                    timezone: str, mode: str = "partner", partner: discord.User | None = None) -> None:
        if channel.type not in POSTABLE:
            raise UserError(_("{channel} is a {kind} channel; pick a text channel for the daily question.",
                              channel=channel.mention, kind=channel.type.name))
        if partner is not None:
            _check_partner(interaction, partner, mode)
        missing = missing_permissions(interaction.guild, channel.id)
        if missing:
            raise UserError(_("Kindred can't post properly in {channel}: it is missing **{missing}**. "
                              "Give Kindred's role those permissions in that channel, then run this again.",
                              channel=channel.mention, missing=Listing(tuple(missing))))
        before = await guilds.get(self.bot.db, interaction.guild_id)
        locale = interaction.guild_locale.value if interaction.guild_locale else None
        next_due = await self.daily.setup(interaction.guild_id, channel.id, time, timezone, mode, locale)
        await roster.record(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, "setup",
                            interaction.user.display_name)
        changes = {"setup_by": interaction.user.id}
        if before is not None and before.setup_by != interaction.user.id:
            changes["partner_id"] = None  # another admin's setup: their couple isn't the old one
        await guilds.update(self.bot.db, self.bot.clock, interaction.guild_id, **changes)
        partner_line = await self._partner_after_setup(interaction, mode, partner)
        await self.bot.followups.recipients_changed(interaction.guild_id)
        settings = await self.daily.require(interaction.guild_id)
        reply = say(interaction, _(
            "All set. Kindred will post a question in {channel} every day at **{time}** ({timezone}), {mode} mode."
            "\nPosts are in {language}.\nNext post: {next}", channel=channel.mention,
            time=settings.post_time.strftime("%H:%M"), timezone=settings.timezone, mode=MODES[mode],
            language=i18n.LanguageName(settings.language), next=_when(next_due)))
        await interaction.response.send_message(
            reply + (f"\n{say(interaction, partner_line)}" if partner_line else ""),
            ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    async def _partner_after_setup(self, interaction: discord.Interaction, mode: str,
                                   partner: discord.User | None) -> Text | None:
        """Name the partner (given, or the one other member the members intent shows); the reply's line about it."""
        if mode != "partner":
            return None
        if partner is None and self.bot.intents.members and interaction.guild.chunked:
            other = roster.only_other([m.id for m in interaction.guild.members if not m.bot], interaction.user.id)
            partner = interaction.guild.get_member(other) if other else None
        if partner is None:
            settings = await guilds.get(self.bot.db, interaction.guild_id)
            if settings.partner_id and settings.partner_id != interaction.user.id:
                return _("Partner: <@{partner}> (change with `/kindred settings partner:`).", partner=settings.partner_id)
            return _("Name your partner with `/kindred settings partner:@them` so they get check-ins from day one, "
                     "even before they use Kindred.")
        await roster.name_partner(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, partner.id,
                                  partner.display_name)
        return _("Partner: {partner}. They'll get gentle check-in DMs from day one (they can stop them any time).",
                 partner=partner.mention)

    @app_commands.command(description="Show the settings, or change them")
    @app_commands.describe(time="New local time", timezone="New time zone", mode="partner or group",
                           reveal="Partner mode: show each answer at once, or both together once both answered",
                           retention_days="Delete shares older than this many days (0: keep until erased)",
                           partner="Partner mode: your partner, who gets check-ins from day one",
                           language="The language of the server's posts (default: Discord's server language)")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @app_commands.choices(mode=[app_commands.Choice(name="partner", value="partner"),
                                app_commands.Choice(name="group", value="group")],
                          reveal=[app_commands.Choice(name="instant", value="instant"),
                                  app_commands.Choice(name="together (partner mode)", value="together")],
                          language=LANGUAGE_CHOICES)
    async def settings(self, interaction: discord.Interaction, time: str | None = None, timezone: str | None = None,
                       mode: str | None = None, reveal: str | None = None,
                       retention_days: app_commands.Range[int, 0, 3650] | None = None,
                       partner: discord.User | None = None, language: str | None = None) -> None:
        guild_id = interaction.guild_id
        if partner is not None:
            current = await self.daily.require(guild_id)
            _check_partner(interaction, partner, mode or current.mode)
        changed = any(v is not None for v in (time, timezone, mode, reveal, retention_days, partner, language))
        next_due = await self.daily.change(guild_id, time_raw=time, tz_raw=timezone, mode=mode, reveal=reveal,
                                           retention_days=retention_days, language=language)
        if partner is not None:
            await roster.name_partner(self.bot.db, self.bot.clock, guild_id, interaction.user.id, partner.id,
                                      partner.display_name)
        if partner is not None or mode is not None:
            await self.bot.followups.recipients_changed(guild_id)
        s = await self.daily.require(guild_id)
        if s.paused:
            state = _("paused")
        elif s.channel_problem:
            state = _("stopped: {problem}", problem=readable_problem(s.channel_problem))
        else:
            state = _("posting")
        retention = (_n("shares kept {n} day", "shares kept {n} days", s.retention_days) if s.retention_days
                     else _("shares kept until erased"))
        reveal_note = _(" · answers revealed **{reveal}**", reveal=REVEALS[s.reveal]) if s.mode == "partner" else ""
        partner_note = ""
        if s.mode == "partner":
            partner_note = (_(" · partner <@{partner}>", partner=s.partner_id) if s.partner_id
                            else _(" · no partner named (`partner:`)"))
        await interaction.response.send_message(say(interaction, _(
            "{saved}Channel <#{channel}> · time **{time}** · time zone **{timezone}** · mode **{mode}**{reveal}{partner} · "
            "{retention} · language **{language}** · {state}.\nNext post: {next}",
            saved=_("Saved. ") if changed else "", channel=s.channel_id, time=s.post_time.strftime("%H:%M"),
            timezone=s.timezone, mode=MODES[s.mode], reveal=reveal_note, partner=partner_note, retention=retention,
            language=_language(s), state=state, next=_when(next_due))), ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none())

    @app_commands.command(description="Pause the daily question")
    async def pause(self, interaction: discord.Interaction) -> None:
        await self.daily.pause(interaction.guild_id)
        await interaction.response.send_message(
            say(interaction, _("Paused. No questions until someone runs `/kindred resume`.")), ephemeral=True)

    @app_commands.command(description="Resume the daily question")
    async def resume(self, interaction: discord.Interaction) -> None:
        s = await self.daily.require(interaction.guild_id)
        missing = missing_permissions(interaction.guild, s.channel_id)
        if missing:
            raise UserError(_("I still can't post in <#{channel}>: {missing}. "
                              "Fix that (or pick another channel with `/kindred setup`), then resume.",
                              channel=s.channel_id, missing=Listing(tuple(missing))))
        next_due = await self.daily.resume(interaction.guild_id)
        await interaction.response.send_message(say(interaction, _("Resumed. Next post: {next}", next=_when(next_due))),
                                                ephemeral=True)

    @app_commands.command(description="Skip the next daily question")
    async def skip(self, interaction: discord.Interaction) -> None:
        skipped, next_due = await self.daily.skip(interaction.guild_id)
        await interaction.response.send_message(say(interaction, _(
            "Skipping {day}. Next post: {next}", day=Day(skipped, "short"), next=_when(next_due))), ephemeral=True)

    @app_commands.command(description="Next and last post, failures and missing permissions")
    async def status(self, interaction: discord.Interaction) -> None:
        st = await self.daily.status(interaction.guild_id)
        s = st.settings
        lines = [_("Channel <#{channel}> at **{time}** ({timezone}), {mode} mode.", channel=s.channel_id,
                   time=s.post_time.strftime("%H:%M"), timezone=s.timezone, mode=MODES[s.mode])]
        if s.paused:
            lines.append(_("⏸️ Paused: `/kindred resume` restarts it."))
        if s.channel_problem:
            lines.append(_("⚠️ Posting stopped: {problem}", problem=readable_problem(s.channel_problem)))
        missing = missing_permissions(interaction.guild, s.channel_id)
        if missing:
            lines.append(_("⚠️ Missing in <#{channel}>: **{missing}**.", channel=s.channel_id, missing=Listing(tuple(missing))))
        lines.append(_("Next post: {next}", next=_when(st.next_post)))
        if st.failing:
            lines.append(_("⚠️ That post is failing and keeps retrying until its day ends: {why}", why=st.failing))
        for day, why in st.unfinished:
            lines.append(_("⚠️ The thread for {day} isn't open yet, so answers wait in Kindred: {why}",
                           day=Day(day, "EEE dd MMM"), why=why))
        lines.append(_("Last post: {last}", last=format_local(st.last_post) if st.last_post else _("none yet")))
        if st.failures:
            lines.append(_("Recent failed posts: {failures}", failures="; ".join(st.failures)))
        await interaction.response.send_message("\n".join(say(interaction, line) for line in lines), ephemeral=True)

    @app_commands.command(description="This server's last four weeks: answers, streak and check-ins, as a picture")
    async def stats(self, interaction: discord.Interaction) -> None:
        s = await self.daily.require(interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)  # the first picture imports matplotlib
        figures = await stats.four_weeks(self.bot.db, self.bot.clock, interaction.guild_id, s.timezone)
        lang = member_language(interaction)
        picture = discord.File(io.BytesIO(await stats.picture(figures, lang)), filename="kindred-stats.png",
                               description=stats.alt_text(figures, lang))
        await interaction.followup.send(stats.summary(figures, lang), file=picture, ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Kindred(bot))
