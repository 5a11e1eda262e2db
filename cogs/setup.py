"""/kindred: setup and settings for admins (Manage Server)."""
from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import guilds, roster, stats
from bot.errors import UserError
from bot.localtime import format_local, search_timezones

# What Kindred needs in its channel, with the names Discord shows in channel settings.
NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "add_reactions": "Add Reactions",
    "read_message_history": "Read Message History",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
}
POSTABLE = (discord.ChannelType.text, discord.ChannelType.news)


def missing_permissions(guild: discord.Guild, channel_id: int) -> list[str]:
    """Names of the permissions Kindred lacks in the channel, from the gateway cache."""
    channel = guild.get_channel(channel_id)
    if channel is None:
        return ["the channel no longer exists"]
    if guild.me is None:
        return []  # cache still warming up: the post itself will report a missing permission
    perms = channel.permissions_for(guild.me)
    return [label for name, label in NEEDED.items() if not getattr(perms, name)]


async def timezone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in search_timezones(current)]


def _check_partner(interaction: discord.Interaction, partner: discord.User, mode: str) -> None:
    """A partner is another person in this server, in partner mode."""
    if mode != "partner":
        raise UserError("A partner is for partner mode. Add `mode:partner`, or leave `partner` out in group mode.")
    if partner.bot:
        raise UserError("Your partner is a person, not a bot: pick them with `partner:`.")
    if partner.id == interaction.user.id:
        raise UserError("Name the other person as your partner, not yourself.")
    if not isinstance(partner, discord.Member):
        raise UserError(f"{partner.mention} isn't a member of this server. Invite them first, then name them.")


def _when(next_due, settings) -> str:
    return format_local(next_due, settings.tz) if next_due else "not scheduled"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Kindred(commands.GroupCog, group_name="kindred", group_description="Set up Kindred's daily question"):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.daily = bot.daily
        super().__init__()

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
            raise UserError(f"{channel.mention} is a {channel.type.name} channel; pick a text channel for the daily question.")
        if partner is not None:
            _check_partner(interaction, partner, mode)
        missing = missing_permissions(interaction.guild, channel.id)
        if missing:
            raise UserError(f"Kindred can't post properly in {channel.mention}: it is missing **{', '.join(missing)}**. "
                            "Give Kindred's role those permissions in that channel, then run this again.")
        before = await guilds.get(self.bot.db, interaction.guild_id)
        next_due = await self.daily.setup(interaction.guild_id, channel.id, time, timezone, mode)
        await roster.record(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, "setup",
                            interaction.user.display_name)
        changes = {"setup_by": interaction.user.id}
        if before is not None and before.setup_by != interaction.user.id:
            changes["partner_id"] = None  # another admin's setup: their couple isn't the old one
        await guilds.update(self.bot.db, self.bot.clock, interaction.guild_id, **changes)
        partner_line = await self._partner_after_setup(interaction, mode, partner)
        await self.bot.followups.recipients_changed(interaction.guild_id)
        settings = await self.daily.require(interaction.guild_id)
        await interaction.response.send_message(
            f"All set. Kindred will post a question in {channel.mention} every day at "
            f"**{settings.post_time:%H:%M}** ({settings.timezone}), {mode} mode.\nNext post: {_when(next_due, settings)}"
            + (f"\n{partner_line}" if partner_line else ""),
            ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    async def _partner_after_setup(self, interaction: discord.Interaction, mode: str, partner: discord.User | None) -> str | None:
        """Name the partner (given, or the one other member the members intent shows); the reply's line about it."""
        if mode != "partner":
            return None
        if partner is None and self.bot.intents.members and interaction.guild.chunked:
            other = roster.only_other([m.id for m in interaction.guild.members if not m.bot], interaction.user.id)
            partner = interaction.guild.get_member(other) if other else None
        if partner is None:
            settings = await guilds.get(self.bot.db, interaction.guild_id)
            if settings.partner_id and settings.partner_id != interaction.user.id:
                return f"Partner: <@{settings.partner_id}> (change with `/kindred settings partner:`)."
            return ("Name your partner with `/kindred settings partner:@them` so they get check-ins from day one, "
                    "even before they use Kindred.")
        await roster.name_partner(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, partner.id,
                                  partner.display_name)
        return f"Partner: {partner.mention}. They'll get gentle check-in DMs from day one (they can stop them any time)."

    @app_commands.command(description="Show the settings, or change them")
    @app_commands.describe(time="New local time", timezone="New time zone", mode="partner or group",
                           reveal="Partner mode: show each answer at once, or both together once both answered",
                           retention_days="Delete shares older than this many days (0: keep until erased)",
                           partner="Partner mode: your partner, who gets check-ins from day one")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @app_commands.choices(mode=[app_commands.Choice(name="partner", value="partner"),
                                app_commands.Choice(name="group", value="group")],
                          reveal=[app_commands.Choice(name="instant", value="instant"),
                                  app_commands.Choice(name="together (partner mode)", value="together")])
    async def settings(self, interaction: discord.Interaction, time: str | None = None, timezone: str | None = None,
                       mode: str | None = None, reveal: str | None = None,
                       retention_days: app_commands.Range[int, 0, 3650] | None = None,
                       partner: discord.User | None = None) -> None:
        guild_id = interaction.guild_id
        if partner is not None:
            current = await self.daily.require(guild_id)
            _check_partner(interaction, partner, mode or current.mode)
        changed = any(v is not None for v in (time, timezone, mode, reveal, retention_days, partner))
        next_due = await self.daily.change(guild_id, time_raw=time, tz_raw=timezone, mode=mode, reveal=reveal,
                                           retention_days=retention_days)
        if partner is not None:
            await roster.name_partner(self.bot.db, self.bot.clock, guild_id, interaction.user.id, partner.id,
                                      partner.display_name)
        if partner is not None or mode is not None:
            await self.bot.followups.recipients_changed(guild_id)
        s = await self.daily.require(guild_id)
        state = "paused" if s.paused else ("stopped: " + s.channel_problem if s.channel_problem else "posting")
        retention = f"shares kept {s.retention_days} days" if s.retention_days else "shares kept until erased"
        reveal_note = f" · answers revealed **{s.reveal}**" if s.mode == "partner" else ""
        partner_note = ""
        if s.mode == "partner":
            partner_note = f" · partner <@{s.partner_id}>" if s.partner_id else " · no partner named (`partner:`)"
        await interaction.response.send_message(
            ("Saved. " if changed else "") +
            f"Channel <#{s.channel_id}> · time **{s.post_time:%H:%M}** · time zone **{s.timezone}** · mode **{s.mode}**"
            f"{reveal_note}{partner_note} · {retention} · {state}.\nNext post: {_when(next_due, s)}", ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none())

    @app_commands.command(description="Pause the daily question")
    async def pause(self, interaction: discord.Interaction) -> None:
        await self.daily.pause(interaction.guild_id)
        await interaction.response.send_message("Paused. No questions until someone runs `/kindred resume`.", ephemeral=True)

    @app_commands.command(description="Resume the daily question")
    async def resume(self, interaction: discord.Interaction) -> None:
        s = await self.daily.require(interaction.guild_id)
        missing = missing_permissions(interaction.guild, s.channel_id)
        if missing:
            raise UserError(f"I still can't post in <#{s.channel_id}>: {', '.join(missing)}. "
                            "Fix that (or pick another channel with `/kindred setup`), then resume.")
        next_due = await self.daily.resume(interaction.guild_id)
        await interaction.response.send_message(f"Resumed. Next post: {_when(next_due, s)}", ephemeral=True)

    @app_commands.command(description="Skip the next daily question")
    async def skip(self, interaction: discord.Interaction) -> None:
        skipped, next_due = await self.daily.skip(interaction.guild_id)
        s = await self.daily.require(interaction.guild_id)
        await interaction.response.send_message(f"Skipping {skipped:%a %d %b}. Next post: {_when(next_due, s)}", ephemeral=True)

    @app_commands.command(description="Next and last post, failures and missing permissions")
    async def status(self, interaction: discord.Interaction) -> None:
        st = await self.daily.status(interaction.guild_id)
        s = st.settings
        lines = [f"Channel <#{s.channel_id}> at **{s.post_time:%H:%M}** ({s.timezone}), {s.mode} mode."]
        if s.paused:
            lines.append("⏸️ Paused: `/kindred resume` restarts it.")
        if s.channel_problem:
            lines.append(f"⚠️ Posting stopped: {s.channel_problem}")
        missing = missing_permissions(interaction.guild, s.channel_id)
        if missing:
            lines.append(f"⚠️ Missing in <#{s.channel_id}>: **{', '.join(missing)}**.")
        lines.append(f"Next post: {_when(st.next_post, s)}")
        lines.append(f"Last post: {format_local(st.last_post, s.tz) if st.last_post else 'none yet'}")
        if st.failures:
            lines.append("Recent failed posts: " + "; ".join(st.failures))
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    @app_commands.command(description="This server's last four weeks: answers, streak and check-ins, as a picture")
    async def stats(self, interaction: discord.Interaction) -> None:
        s = await self.daily.require(interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)  # the first picture imports matplotlib
        figures = await stats.four_weeks(self.bot.db, self.bot.clock, interaction.guild_id, s.timezone)
        picture = discord.File(io.BytesIO(await stats.picture(figures)), filename="kindred-stats.png",
                               description=stats.alt_text(figures))
        await interaction.followup.send(stats.summary(figures), file=picture, ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(Kindred(bot))
