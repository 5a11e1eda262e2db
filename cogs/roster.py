"""Who is in the room: every interaction in a server records its member; with the members intent,
joins, leaves and the member list; at start-up, the servers that changed while Kindred was offline."""
from __future__ import annotations

import logging
from datetime import timedelta

import discord
from discord.ext import commands

from bot import guilds, housekeeping, roster

log = logging.getLogger(__name__)
MET_BY = {discord.InteractionType.application_command: "command", discord.InteractionType.component: "button",
          discord.InteractionType.modal_submit: "form"}
SEEN_AGAIN = timedelta(minutes=10)  # a member's interactions write the roster at most this often


class Roster(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot
        self.reconciled = False
        self._recorded: dict[tuple[int, int], tuple[object, str | None]] = {}  # (guild, user) -> (when, locale)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        how = MET_BY.get(interaction.type)
        if interaction.guild_id is None or how is None or interaction.user.bot:
            return
        locale = interaction.locale.value if interaction.locale else None
        key, now = (interaction.guild_id, interaction.user.id), self.bot.clock.now()
        last = self._recorded.get(key)
        if last is not None and now - last[0] < SEEN_AGAIN and last[1] == locale:
            return  # seen moments ago: no write (each one would compete with the command's own)
        try:
            await roster.record(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, how,
                                interaction.user.display_name, locale)
            self._recorded[key] = (now, locale)
        except Exception:  # the command itself still runs and answers
            log.exception("guild %s: could not record member %s", interaction.guild_id, interaction.user.id)

    # -- the members intent (KINDRED_MEMBERS_INTENT=true) ----------------------------------------
    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if not member.bot:
            await roster.record(self.bot.db, self.bot.clock, member.guild.id, member.id, "intent", member.display_name)
            await self._partner_from_members(member.guild)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await roster.left(self.bot.db, self.bot.clock, payload.guild_id, payload.user.id)
        cancelled = await self.bot.followups.member_left(payload.guild_id, payload.user.id)
        log.info("guild %s: member %s left; %d nudges cancelled", payload.guild_id, payload.user.id, cancelled)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._sync(guild)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._sync(guild)

    async def _sync(self, guild: discord.Guild) -> None:
        """The whole member list, once Discord sent it (only with the members intent)."""
        if not (self.bot.intents.members and guild.chunked):
            return
        humans = {m.id: m.display_name for m in guild.members if not m.bot}
        for user_id in await roster.sync(self.bot.db, self.bot.clock, guild.id, humans):
            await self.bot.followups.member_left(guild.id, user_id)
        await self._partner_from_members(guild)

    async def _partner_from_members(self, guild: discord.Guild) -> None:
        """Partner mode with nobody named: in a server of exactly two people, the other one."""
        if not self.bot.intents.members:
            return
        settings = await guilds.get(self.bot.db, guild.id)
        if settings is None or settings.mode != "partner" or settings.partner_id or not settings.setup_by:
            return
        other = roster.only_other([m.id for m in guild.members if not m.bot], settings.setup_by)
        if other is not None:
            member = guild.get_member(other)
            await roster.name_partner(self.bot.db, self.bot.clock, guild.id, settings.setup_by, other,
                                      member.display_name if member else None)
            await self.bot.followups.recipients_changed(guild.id)

    # -- start-up ----------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once per process (on_ready fires again on reconnects): Discord's list of servers is the truth."""
        if self.reconciled:
            return
        self.reconciled = True
        readded = await housekeeping.reconcile(self.bot.db, self.bot.clock, self.bot.queue, {g.id for g in self.bot.guilds},
                                             self.bot.config.shards)
        for guild_id in readded:
            await self.bot.daily.reschedule(guild_id)
            log.info("guild %s: Kindred was re-added while offline; schedule resumed", guild_id)


async def setup(bot) -> None:
    await bot.add_cog(Roster(bot))
