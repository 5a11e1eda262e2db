"""Listening: /share, /remember, /memories, DM shares, thread replies and reactions on the prompt."""
from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_ids, guilds, i18n, members, reactions, roster, shares
from bot.errors import UserError
from bot.i18n import Day, _
from bot.replies import ephemeral, language, say, send_error
from bot.text import clip, quote

log = logging.getLogger(__name__)
SOURCE_LABELS = {"answer": _("answer"), "share": _("shared"), "dm": _("shared by DM"), "thread": _("thread reply"),
                 "note": _("your note")}
NOT_SET_UP = _("Kindred isn't set up in this server yet. An admin can start with `/kindred setup`.")


async def plan(bot, share: shares.Share) -> None:
    """Plan the share's nudges after the member has their answer; a failure here is logged and
    never takes the saved share back (the reply already said it was saved)."""
    try:
        await bot.followups.plan_share(share)
    except Exception:
        log.exception("guild %s: could not plan follow-ups for share %s", share.guild_id, share.id)


def _seen_by(visibility: str) -> i18n.Text:
    return _("only you can see it") if visibility == "private" else _("its members can see it in `/memories`")


async def _settings_for(bot, interaction: discord.Interaction):
    settings = await guilds.get(bot.db, interaction.guild_id)
    if settings is None or settings.removed_at:
        raise UserError(NOT_SET_UP)
    return settings


def memories_embed(shares_page: list[shares.Share], total: int, page: int, subject: str, own: bool,
                   lang: str = i18n.DEFAULT) -> discord.Embed:
    pages = max(1, -(-total // shares.PAGE_SIZE))
    t = lambda text: i18n.render(text, lang)  # noqa: E731
    title = t(_("What you've shared")) if own else t(_("What you can see about {name}", name=subject))
    embed = discord.Embed(title=clip(title, 256), colour=discord.Colour(0xE8A0BF))
    if not shares_page:
        embed.description = t(_("Nothing yet.")) if own else \
            t(_("Nothing they've shared with the group yet, and no notes of yours."))
    for share in shares_page:
        when = t(Day(share.created_at.date(), "year")) if share.created_at else ""
        tags = [t(SOURCE_LABELS.get(share.source, share.source))]
        if share.visibility == "private" and share.source != "note":
            tags.append(t(_("🔒 private")))
        if share.held:
            tags.append(t(_("hidden until your partner answers")))
        embed.add_field(name=clip(f"{when} · {', '.join(tags)}", 256), value=quote(share.text, 500), inline=False)
    embed.set_footer(text=t(_("Page {page} of {pages} · {total} in all", page=page + 1, pages=pages, total=total)))
    return embed


def memories_view(subject_id: int, page: int, total: int, lang: str = i18n.DEFAULT) -> discord.ui.View | None:
    pages = -(-total // shares.PAGE_SIZE)
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(MemoriesPageButton(subject_id, page - 1, "prev", disabled=page == 0, lang=lang))
    view.add_item(MemoriesPageButton(subject_id, page + 1, "next", disabled=page + 1 >= pages, lang=lang))
    return view


async def render_memories(bot, guild_id: int, viewer_id: int, subject_id: int,
                          subject_name: str, page: int, lang: str = i18n.DEFAULT):
    found, total = await shares.memories(bot.db, guild_id, viewer_id, subject_id, page)
    return (memories_embed(found, total, page, subject_name, viewer_id == subject_id, lang),
            memories_view(subject_id, page, total, lang))


class MemoriesPageButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.MEMORIES):
    """Previous/next page of /memories. The viewer is whoever presses (the list is ephemeral to them)."""

    def __init__(self, subject_id: int, page: int, direction: str, disabled: bool = False,
                 lang: str = i18n.DEFAULT) -> None:
        label = _("◀ Newer") if direction == "prev" else _("Older ▶")
        super().__init__(discord.ui.Button(label=i18n.render(label, lang), disabled=disabled,
                                           custom_id=custom_ids.memories(subject_id, max(page, 0), direction)))
        self.subject_id, self.page = subject_id, max(page, 0)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["subject_id"]), int(match["page"]), match["direction"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.guild_id is None:
                raise app_commands.NoPrivateMessage()
            lang = language(interaction)
            name = i18n.render(_("them"), lang) if self.subject_id != interaction.user.id else interaction.user.display_name
            embed, view = await render_memories(interaction.client, interaction.guild_id,
                                                interaction.user.id, self.subject_id, name, self.page, lang)
            await interaction.response.edit_message(embed=embed, view=view)
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)


class DmShareButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.DM_SHARE):
    """In a DM: which server does this share belong to?"""

    def __init__(self, draft_id: int, guild_id: int, label: str = "This server") -> None:
        super().__init__(discord.ui.Button(label=clip(label, 80), custom_id=custom_ids.dm_share(draft_id, guild_id)))
        self.draft_id, self.guild_id = draft_id, guild_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["draft_id"]), int(match["guild_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot = interaction.client
            settings = await guilds.get(bot.db, self.guild_id)
            if settings is None or settings.removed_at:
                raise UserError(_("Kindred isn't set up in that server any more."))
            if not (await roster.is_present(bot.db, self.guild_id, interaction.user.id)
                    and await bot.roster.confirm(self.guild_id, interaction.user.id)):
                raise UserError(_("You're no longer a member of that server, so I can't file it there."))
            choice = await members.get(bot.db, self.guild_id, interaction.user.id, settings.mode, settings.timezone)
            share = await shares.file_draft(bot.db, bot.clock, self.draft_id, interaction.user.id, self.guild_id,
                                            choice.default_visibility, interaction.user.display_name)
            guild = bot.get_guild(self.guild_id)
            await interaction.response.edit_message(
                content=say(interaction, _("💛 Saved to **{server}** ({seen}).",
                                           server=guild.name if guild else _("that server"),
                                           seen=_seen_by(share.visibility))),
                view=None, allowed_mentions=discord.AllowedMentions.none())
            await plan(bot, share)
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)


class Sharing(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @app_commands.command(description="Share something with Kindred, any day")
    @app_commands.guild_only()
    @app_commands.describe(text="What's on your mind (up to 2,000 characters)",
                           private="Only you can see it (default: your /privacy choice)",
                           check_in="Ask Kindred to have someone check in with you about it")
    async def share(self, interaction: discord.Interaction, text: str, private: bool | None = None,
                    check_in: bool = False) -> None:
        settings = await _settings_for(self.bot, interaction)
        choice = await members.get(self.bot.db, interaction.guild_id, interaction.user.id, settings.mode, settings.timezone)
        visibility = ("private" if private else "group") if private is not None else choice.default_visibility
        share = await shares.add(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, text,
                                 visibility=visibility, check_in=check_in, about_name=interaction.user.display_name)
        log.info("guild %s: %s share %s by %s", share.guild_id, visibility, share.id, share.author_id)
        seen = _("Only you can see it.") if visibility == "private" else _("Members of this server can see it in `/memories`.")
        if settings.mode == "partner" and not settings.partner_id:
            seen = _("{seen} No partner is named here yet, so nobody is nudged to check in: an admin can name one with "
                     "`/kindred settings partner:`.", seen=seen)
        await ephemeral(interaction, _("💛 Saved. {seen}", seen=seen))
        await plan(self.bot, share)

    @app_commands.command(description="Keep a private note about someone, to remember to check in")
    @app_commands.guild_only()
    @app_commands.describe(member="Who it's about", note="e.g. starting a new job Monday")
    async def remember(self, interaction: discord.Interaction, member: discord.User, note: str) -> None:
        await _settings_for(self.bot, interaction)
        if member.bot:
            raise UserError(_("Notes are for people, not bots."))
        if not isinstance(member, discord.Member):
            raise UserError(_("{member} isn't a member of this server.", member=member.mention))
        share = await shares.add_note(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, member.id,
                                      note, subject_name=member.display_name)
        await ephemeral(interaction, _("Noted. Only you can see it, in `/memories` for {member}.", member=member.mention))
        await plan(self.bot, share)

    @app_commands.command(description="What someone shared that you may see (default: you)")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose memories (default: yours)")
    async def memories(self, interaction: discord.Interaction, member: discord.User | None = None) -> None:
        subject = member or interaction.user
        if member is not None and not isinstance(member, discord.Member):
            raise UserError(_("{member} isn't a member of this server, so there's nothing to show here.",
                              member=member.mention))
        embed, view = await render_memories(self.bot, interaction.guild_id, interaction.user.id,
                                            subject.id, subject.display_name, 0, language(interaction))
        await interaction.response.send_message(embed=embed, view=view or discord.utils.MISSING, ephemeral=True)

    # -- messages: DM shares and thread replies -------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        try:
            if message.guild is None:
                await self._dm_share(message)
            else:
                await self._thread_reply(message)
        except UserError as exc:
            lang = i18n.resolve(await self.bot.locales.member(message.author.id))
            await message.reply(i18n.render(exc.args[0], lang), mention_author=False,
                                allowed_mentions=discord.AllowedMentions.none())
        except Exception:  # a listener must never crash the client
            log.exception("could not handle message %s", message.id)

    async def _dm_share(self, message: discord.Message) -> None:
        """A DM has no locale of its own: replies are in the member's last seen one, else the server's."""
        candidates = await self.bot.roster.dm_servers(message.author.id, await self.bot.serving())
        seen = await self.bot.locales.member(message.author.id)
        if not candidates:
            await message.channel.send(i18n.render(_(
                "I keep shares per server, and I can't find a server of yours where Kindred is set up. "
                "Use `/share` in your server (after that, DMs work too)."), i18n.resolve(seen)))
            return
        if len(candidates) == 1:
            guild_id = candidates[0]
            settings = await guilds.get(self.bot.db, guild_id)
            choice = await members.get(self.bot.db, guild_id, message.author.id, settings.mode, settings.timezone)
            share = await shares.add(self.bot.db, self.bot.clock, guild_id, message.author.id, message.content,
                                     visibility=choice.default_visibility, source="dm",
                                     about_name=message.author.display_name)
            await message.channel.send(i18n.render(_(
                "💛 Saved to **{server}** ({seen}).", server=self._guild_name(guild_id),
                seen=_seen_by(share.visibility)), i18n.resolve(seen, settings.language)),
                allowed_mentions=discord.AllowedMentions.none())
            await plan(self.bot, share)
            return
        draft_id = await shares.save_draft(self.bot.db, self.bot.clock, message.author.id, message.content)
        view = discord.ui.View(timeout=None)
        for guild_id in candidates[:25]:
            view.add_item(DmShareButton(draft_id, guild_id, self._guild_name(guild_id)))
        await message.channel.send(i18n.render(_("You're in several servers with Kindred. Which one is this for?"),
                                               i18n.resolve(seen)), view=view)

    def _guild_name(self, guild_id: int) -> str:
        guild = self.bot.get_guild(guild_id)
        return guild.name if guild else "that server"

    def _without_mention(self, content: str) -> str:
        return re.sub(rf"<@!?{self.bot.user.id}>", "", content or "").strip()

    async def _thread_reply(self, message: discord.Message) -> None:
        if message.reference is not None and message.reference.message_id:
            await self.bot.followups.engaged_with_message(message.reference.message_id, message.author.id)
        prompt = await self.bot.daily.prompt_by_thread(message.guild.id, message.channel.id)
        if prompt is None:
            return
        me = self.bot.user
        addressed = me in message.mentions or (
            message.reference is not None and isinstance(message.reference.resolved, discord.Message)
            and message.reference.resolved.author.id == me.id)
        text = self._without_mention(message.content)
        if not text or not (addressed or self.bot.config.message_content):
            return
        share = await shares.add(self.bot.db, self.bot.clock, message.guild.id, message.author.id, text,
                                 visibility="group", source="thread", prompt_id=prompt.id, source_message_id=message.id,
                                 about_name=message.author.display_name)
        log.info("guild %s: thread reply %s kept", message.guild.id, message.id)
        await plan(self.bot, share)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if "content" in payload.data:
            edited = await shares.edit_from_message(self.bot.db, self.bot.clock, payload.message_id,
                                                    self._without_mention(payload.data["content"]))
            if edited is not None:
                await self.bot.followups.replan_share(edited[1], edited[0])

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        share_id = await shares.delete_from_message(self.bot.db, payload.message_id)
        if share_id is not None:
            await self.bot.followups.replan_share(None, share_id)

    # -- reactions on the daily prompt ---------------------------------------------------------
    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        if payload.guild_id is None or payload.user_id == self.bot.user.id or (payload.member and payload.member.bot):
            return
        name = payload.member.display_name if payload.member else None
        recorded = await reactions.record(self.bot.db, self.bot.clock, payload.guild_id, payload.message_id,
                                          payload.user_id, str(payload.emoji), name)
        if recorded is None:  # not a prompt: maybe a reaction to someone's answer in a thread
            await self.bot.followups.engaged_with_message(payload.message_id, payload.user_id)
        elif recorded[0] == "signal":
            log.info("guild %s: member %s reached out with %s", payload.guild_id, payload.user_id, payload.emoji)
            await self.bot.followups.plan_signal(recorded[1])

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        if payload.guild_id is not None:
            await reactions.remove(self.bot.db, payload.guild_id, payload.message_id, payload.user_id, str(payload.emoji))


async def setup(bot) -> None:
    bot.add_dynamic_items(MemoriesPageButton, DmShareButton)
    await bot.add_cog(Sharing(bot))
