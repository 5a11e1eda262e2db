"""/question: post one now, add, list and remove the server's own questions, suggest one."""
from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_ids, guilds, i18n, questions
from bot.discord_adapter import CATEGORY_NAMES
from bot.i18n import _
from bot.replies import ephemeral, say, send_error
from bot.text import clip

log = logging.getLogger(__name__)
CATEGORY_CHOICES = [app_commands.Choice(name=c, value=c) for c in questions.CATEGORIES]
DECISIONS = {"approve": _("Approve"), "reject": _("Reject")}


def _category(name: str):
    return CATEGORY_NAMES.get(name, name)


def _require_admin(interaction: discord.Interaction) -> None:
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])


def suggestion_view(question_id: int, approve: str = "Approve", reject: str = "Reject") -> discord.ui.View:
    """Approve / Reject, labelled in the language of whoever reads them."""
    view = discord.ui.View(timeout=None)
    view.add_item(SuggestionButton(question_id, "approve", approve))
    view.add_item(SuggestionButton(question_id, "reject", reject))
    return view


class SuggestionButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.SUGGESTION):
    """Approve or Reject on a member's suggestion; admins only; works after restarts."""

    def __init__(self, question_id: int, decision: str, label: str | None = None) -> None:
        style = discord.ButtonStyle.success if decision == "approve" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label or str(DECISIONS[decision]), style=style,
                                           custom_id=custom_ids.suggestion(question_id, decision)))
        self.question_id, self.decision = question_id, decision

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["question_id"]), match["decision"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.guild_id is None:
                raise app_commands.NoPrivateMessage()
            _require_admin(interaction)
            q = await questions.decide_suggestion(interaction.client.db, interaction.guild_id, self.question_id,
                                                  self.decision == "approve")
            verdict = _("✅ Approved: it joins the rotation.") if q.status == "active" else _("Declined.")
            await interaction.response.edit_message(
                content=say(interaction, _("Suggested question #{id}: “{text}”\n{verdict} (by {admin})", id=q.id,
                                           text=clip(discord.utils.escape_markdown(q.text), 300), verdict=verdict,
                                           admin=interaction.user.mention)),
                view=None, allowed_mentions=discord.AllowedMentions.none())
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)


@app_commands.guild_only()
class Questions(commands.GroupCog, group_name="question", group_description="The server's questions"):
    def __init__(self, bot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(description="Post a question right now (admins)")
    async def now(self, interaction: discord.Interaction) -> None:
        _require_admin(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        prompt = await self.bot.daily.post_now(interaction.guild_id, nonce=f"n{interaction.id:x}"[:25])
        await ephemeral(interaction, _("Posted in <#{channel}>. The daily schedule is unchanged.", channel=prompt.channel_id))

    @app_commands.command(description="Add your own question to this server's rotation (admins)")
    @app_commands.describe(text="The question", category="Its category (default: reflective)")
    @app_commands.choices(category=CATEGORY_CHOICES)
    async def add(self, interaction: discord.Interaction, text: str, category: str | None = None) -> None:
        _require_admin(interaction)
        q = await questions.add(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, text, category)
        await ephemeral(interaction, _("Added question #{id} ({category}). Your own questions come up before the built-in "
                                       "ones.", id=q.id, category=_category(q.category)))

    @app_commands.command(description="List this server's own questions and pending suggestions")
    async def list(self, interaction: discord.Interaction) -> None:
        own = await questions.own(self.bot.db, interaction.guild_id)
        active = [q for q in own if q.status == "active"]
        pending = [q for q in own if q.status == "suggested"]
        lines = [say(interaction, _("**This server's questions** ({count}), asked alongside Kindred's built-in bank:",
                                    count=len(active)))]
        lines += [f"`#{q.id}` {discord.utils.escape_markdown(q.text)} · {say(interaction, _category(q.category))}"
                  for q in active] or [say(interaction, _("none yet: `/question add`"))]
        if pending:
            lines.append("\n" + say(interaction, _("**Suggestions waiting for an admin** ({count}):", count=len(pending))))
            lines += [f"`#{q.id}` {discord.utils.escape_markdown(q.text)}" for q in pending]
        content = clip("\n".join(lines), 2000)
        await interaction.response.send_message(content, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        if pending and interaction.permissions.manage_guild:
            for q in pending[:5]:
                await interaction.followup.send(
                    say(interaction, _("Suggestion #{id}: “{text}”", id=q.id,
                                       text=clip(discord.utils.escape_markdown(q.text), 300))),
                    view=suggestion_view(q.id, say(interaction, DECISIONS["approve"]),
                                         say(interaction, DECISIONS["reject"])),
                    ephemeral=True, allowed_mentions=discord.AllowedMentions.none())

    @app_commands.command(description="Remove one of this server's own questions (admins)")
    @app_commands.describe(id="The question's number, from /question list")
    async def remove(self, interaction: discord.Interaction, id: int) -> None:
        _require_admin(interaction)
        q = await questions.remove(self.bot.db, interaction.guild_id, id)
        await ephemeral(interaction, _("Removed #{id}. It won't be asked again.", id=q.id))

    @app_commands.command(description="Suggest a question; an admin approves it")
    @app_commands.describe(text="Your question", category="Its category")
    @app_commands.choices(category=CATEGORY_CHOICES)
    async def suggest(self, interaction: discord.Interaction, text: str, category: str | None = None) -> None:
        q = await questions.add(self.bot.db, self.bot.clock, interaction.guild_id, interaction.user.id, text, category,
                                status="suggested")
        await ephemeral(interaction, _("Thanks! Suggestion #{id} is waiting for an admin, who can approve it in the "
                                       "Kindred channel or with `/question list`.", id=q.id))
        await self._announce(interaction, q)

    async def _announce(self, interaction: discord.Interaction, q: questions.Question) -> None:
        """Show the suggestion to admins in the Kindred channel with Approve/Reject (best effort:
        `/question list` offers the same buttons)."""
        settings = await guilds.get(self.bot.db, interaction.guild_id)
        if settings is None or not settings.active:
            return
        try:
            lang = settings.language  # a post in the channel: the server's language
            notice = await self.bot.get_partial_messageable(settings.channel_id).send(
                i18n.render(_("💡 {member} suggested a question: “{text}”\nAdmins (Manage Server) can approve or reject it:",
                              member=interaction.user.mention, text=clip(discord.utils.escape_markdown(q.text), 300)),
                            lang),
                view=suggestion_view(q.id, i18n.render(DECISIONS["approve"], lang), i18n.render(DECISIONS["reject"], lang)),
                allowed_mentions=discord.AllowedMentions.none())
            await questions.set_notice(self.bot.db, q.id, settings.channel_id, notice.id)
        except discord.HTTPException as exc:
            log.warning("guild %s: could not announce suggestion %s: %s", interaction.guild_id, q.id, exc)


async def setup(bot) -> None:
    bot.add_dynamic_items(SuggestionButton)
    await bot.add_cog(Questions(bot))
