"""Following up: /circle, /checkins, the buttons on nudge DMs, and what happens when members leave."""
from __future__ import annotations

import asyncio
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_ids, guilds, members, roster
from bot.discord_adapter import STOP_THESE, followup_view
from bot.errors import UserError
from bot.i18n import _
from bot.nudges import REASONS
from bot.replies import ephemeral, language, say, send_error
from bot.text import clip

log = logging.getLogger(__name__)
STATUS_LABELS = {"planned": _("coming"), "sent": _("sent"), "done": _("✅ checked in"), "skipped": _("not for you"),
                 "undeliverable": _("couldn't DM you"), "failed": _("failed"),
                 "expired": _("expired (Discord was unreachable for a day)")}


class NudgeButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.FOLLOWUP):
    """I checked in / Remind me tomorrow / Not for me, on a nudge DM; works after restarts."""

    def __init__(self, followup_id: int, action: str) -> None:
        super().__init__(discord.ui.Button(label=action, custom_id=custom_ids.followup(followup_id, action)))
        self.followup_id, self.action = followup_id, action

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["followup_id"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            line = await interaction.client.deliveries.act(self.followup_id, interaction.user.id, self.action,
                                                           language(interaction))
            content = clip(f"{interaction.message.content}\n\n{line}", 2000) if interaction.message else line
            await interaction.response.edit_message(content=content, view=_stop_only(interaction.message),
                                                    allowed_mentions=discord.AllowedMentions.none())
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)


def _stop_only(message: discord.Message | None) -> discord.ui.View | None:
    """Once a nudge is answered its buttons go, but a Stop these button on it stays."""
    for row in message.components if message else ():
        for child in getattr(row, "children", ()):
            match = re.fullmatch(custom_ids.STOP_CHECKINS, getattr(child, "custom_id", None) or "")
            if match:
                view = discord.ui.View(timeout=None)
                view.add_item(StopButton(int(match["guild_id"]), int(match["followup_id"]), child.label))
                return view
    return None


class StopButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.STOP_CHECKINS):
    """Stop these, on the first nudge DM: check-in DMs from that server off for whoever presses it
    (a DM is its recipient's own), if Kindred knows them there."""

    def __init__(self, guild_id: int, followup_id: int, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or str(STOP_THESE), style=discord.ButtonStyle.danger,
                                           custom_id=custom_ids.stop_checkins(guild_id, followup_id)))
        self.guild_id, self.followup_id = guild_id, followup_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["guild_id"]), int(match["followup_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot = interaction.client
            settings = await guilds.get(bot.db, self.guild_id)
            if settings is None or not await bot.roster.confirm(self.guild_id, interaction.user.id):
                raise UserError(_("Kindred doesn't know you in that server any more, so it sends you nothing from "
                                  "there."))
            await members.update(bot.db, bot.clock, self.guild_id, interaction.user.id, receive_checkins=False)
            cancelled = await bot.followups.consent_withdrawn(self.guild_id, interaction.user.id, checkins_to=True)
            log.info("guild %s: member %s stopped check-in DMs (%d cancelled)", self.guild_id, interaction.user.id, cancelled)
            line = say(interaction, _("🔕 Done: no more check-in DMs from Kindred for that server (your own `/remember` "
                                      "reminders still come). To turn them back on, use `/privacy check_ins:true` "
                                      "there."))
            content = clip(f"{interaction.message.content}\n\n{line}", 2000) if interaction.message else line
            nudge = await bot.followups.get(self.followup_id)
            unanswered = nudge is not None and nudge.recipient_id == interaction.user.id and nudge.status == "sent"
            await interaction.response.edit_message(content=content, view=followup_view(self.followup_id, language=language(interaction)) if unanswered else None,
                                                    allowed_mentions=discord.AllowedMentions.none())
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)


@app_commands.guild_only()
class Circle(commands.GroupCog, group_name="circle", group_description="Who Kindred nudges to check in on you"):
    def __init__(self, bot) -> None:
        self.bot = bot
        super().__init__()

    async def _member(self, interaction: discord.Interaction, member: discord.User) -> None:
        if await guilds.get(self.bot.db, interaction.guild_id) is None:
            raise UserError(_("Kindred isn't set up in this server yet. An admin can start with `/kindred setup`."))
        if member.bot:
            raise UserError(_("Your circle is for people, not bots."))
        if not isinstance(member, discord.Member):
            raise UserError(_("{member} isn't a member of this server.", member=member.mention))

    @app_commands.command(description="Add someone who may be nudged to check in on you")
    async def add(self, interaction: discord.Interaction, member: discord.User) -> None:
        await self._member(interaction, member)
        await self.bot.followups.circle_add(interaction.guild_id, interaction.user.id, member.id)
        await ephemeral(interaction, _("{member} is in your circle. They get nudges about what you share only if they "
                                       "accept check-in DMs (`/privacy check_ins:true`).", member=member.mention))

    @app_commands.command(description="Remove someone from your circle")
    async def remove(self, interaction: discord.Interaction, member: discord.User) -> None:
        removed = await self.bot.followups.circle_remove(interaction.guild_id, interaction.user.id, member.id)
        text = (_("Removed {member} from your circle.", member=member.mention) if removed
                else _("{member} wasn't in your circle.", member=member.mention))
        await ephemeral(interaction, text)

    @app_commands.command(description="Who is in your circle")
    async def list(self, interaction: discord.Interaction) -> None:
        ids = await self.bot.followups.circle(interaction.guild_id, interaction.user.id)
        text = _("Your circle: {members}", members=", ".join(f"<@{i}>" for i in ids)) if ids else \
            _("Your circle is empty, so nudges go to members who opted in. Add people with `/circle add`.")
        await ephemeral(interaction, text)


class CheckIns(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(description="Your coming and recent check-in nudges")
    @app_commands.guild_only()
    async def checkins(self, interaction: discord.Interaction) -> None:
        items = await self.bot.followups.for_recipient(interaction.guild_id, interaction.user.id)
        if not items:
            await ephemeral(interaction, _("No nudges for you here yet. (Check-in DMs: `/privacy check_ins:true`.)"))
            return
        lines = []
        for f in items:
            when = f"<t:{int(f.due_at.timestamp())}:f>"
            who = _("you (your note)") if f.subject_id == f.recipient_id else f"<@{f.subject_id}>"
            lines.append(say(interaction, _("• {when} · {status} · about {who}: {reason}", when=when,
                                            status=STATUS_LABELS.get(f.status, f.status), who=who,
                                            reason=REASONS.get(f.reason, clip(f.reason, 150)))))
        await interaction.response.send_message(clip("\n".join(lines), 2000), ephemeral=True,
                                                allowed_mentions=discord.AllowedMentions.none())

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A member whose DMs were closed gets told, once, the next time they use Kindred."""
        if interaction.type not in (discord.InteractionType.application_command, discord.InteractionType.component):
            return
        if not await self.bot.deliveries.member_is_back(interaction.user.id):
            return
        for _tick in range(30):  # let the command answer first (3 s at most)
            if interaction.response.is_done():
                break
            await asyncio.sleep(0.1)
        if not interaction.response.is_done() or interaction.response.type == discord.InteractionResponseType.modal:
            return  # no message to follow up on: tell them next time
        try:
            await interaction.followup.send(say(interaction, _(
                "📭 I tried to send you a check-in nudge but couldn't: your DMs are closed to me. To get nudges, "
                "allow direct messages from this server's members (Privacy Settings). I'll try again from now on.")),
                ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell member %s about their closed DMs; will try next time", interaction.user.id)
            return
        await self.bot.deliveries.told(interaction.user.id)


async def setup(bot) -> None:
    bot.add_dynamic_items(NudgeButton, StopButton)
    await bot.add_cog(Circle(bot))
    await bot.add_cog(CheckIns(bot))
