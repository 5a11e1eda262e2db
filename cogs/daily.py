"""The buttons on the daily question (Answer, Answer privately, the four signals) and the answer modal."""
from __future__ import annotations

import logging
import re

import discord
from discord.ext import commands

from bot import custom_ids, guilds, i18n, questions, reactions, shares
from bot.discord_adapter import ANSWER_LABELS
from bot.ports import REACTION_MEANINGS, SIGNALS
from bot.errors import UserError
from bot.i18n import _
from bot.replies import ephemeral, language, send_error
from bot.text import ANSWER_MAX, clip

log = logging.getLogger(__name__)


GONE = _("This question isn't in Kindred's memory any more, so it can't take answers.")
MODAL_TITLES = {"group": _("Your answer"), "private": _("Answer privately")}
PLACEHOLDER = _("Take your time. Nothing here pings anyone.")


async def _server_language(bot, prompt) -> str:
    """The question reads as it was posted: in the server's language."""
    settings = await guilds.get(bot.db, prompt.guild_id)
    return settings.language if settings else i18n.DEFAULT


async def submit_answer(interaction: discord.Interaction, prompt_id: int, visibility: str, text: str) -> None:
    """Store and show an answer typed in the answer form, then tell the member what happened."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    bot = interaction.client
    prompt = await bot.daily.prompt(prompt_id)
    if prompt is None or prompt.guild_id != interaction.guild_id:
        raise UserError(GONE)
    question = await questions.get(bot.db, prompt.guild_id, prompt.question_id, await _server_language(bot, prompt))
    user = interaction.user
    outcome = await bot.answers.submit(prompt, question.text, user.id, user.display_name, user.display_avatar.url,
                                       text, visibility, language(interaction))
    await ephemeral(interaction, outcome.message)


def typed_text(data: dict) -> str | None:
    """The text input's value from a raw modal submit (inside a label or an action row); None when
    the submit has no text input at all (a forged or broken one)."""
    for row in data.get("components", []):
        for component in [row.get("component")] + row.get("components", []):
            if component and component.get("type") == 4 and isinstance(component.get("value"), str):
                return component["value"]
    return None


def check_form(interaction: discord.Interaction, owner_id: int) -> str:
    """A form answers only to the member it was opened for, and only with its text field: anything
    else saves nothing. Returns the typed text."""
    if interaction.user.id != owner_id:
        raise UserError(_("This form was opened by someone else, so it can't take your answer. Press **Answer** "
                          "on the question to open your own."))
    text = typed_text(interaction.data or {})
    if text is None:
        raise UserError(_("Your answer arrived without its text, so nothing was saved. Press **Answer** and try again."))
    return text


class AnswerModal(discord.ui.Modal):
    """The form in the member's language; the question (its label) as the server reads it."""

    def __init__(self, prompt_id: int, user_id: int, question_text: str, visibility: str, previous: str | None,
                 language: str = i18n.DEFAULT) -> None:
        super().__init__(title=clip(i18n.render(MODAL_TITLES[visibility], language), 45), timeout=15 * 60,
                         custom_id=custom_ids.answer_modal(prompt_id, visibility, user_id))
        self.prompt_id, self.visibility, self.user_id = prompt_id, visibility, user_id
        self.answer = discord.ui.TextInput(style=discord.TextStyle.paragraph, max_length=ANSWER_MAX, default=previous,
                                           placeholder=clip(i18n.render(PLACEHOLDER, language), 100))
        self.add_item(discord.ui.Label(text=clip(question_text, 45), description=clip(question_text, 100),
                                       component=self.answer))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """A refused submit leaves the form open for its member (discord.py keeps the modal)."""
        try:
            check_form(interaction, self.user_id)
        except UserError as exc:
            await send_error(interaction, exc)
            return False
        return True

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await submit_answer(interaction, self.prompt_id, self.visibility, check_form(interaction, self.user_id))

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await send_error(interaction, error)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.ANSWER):
    """Works after restarts: the prompt id and visibility ride in the custom_id."""

    def __init__(self, prompt_id: int, visibility: str) -> None:
        super().__init__(discord.ui.Button(label=str(ANSWER_LABELS[visibility]),
                                           custom_id=custom_ids.answer(prompt_id, visibility)))
        self.prompt_id, self.visibility = prompt_id, visibility

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["prompt_id"]), match["visibility"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot = interaction.client
            prompt = await bot.daily.prompt(self.prompt_id)
            if prompt is None or prompt.guild_id != interaction.guild_id:
                raise UserError(GONE)
            question = await questions.get(bot.db, prompt.guild_id, prompt.question_id, await _server_language(bot, prompt))
            mine = [s for s in await shares.answers_to(bot.db, prompt.id) if s.author_id == interaction.user.id]
            # A private answer never pre-fills a public form (it would be one click from the thread).
            previous = mine[0].text if mine and (mine[0].visibility == "group" or self.visibility == "private") else None
            await interaction.response.send_modal(
                AnswerModal(prompt.id, interaction.user.id, question.text, self.visibility, previous,
                            language(interaction)))
        except Exception as exc:  # noqa: BLE001 - every failure gets an ephemeral explanation
            await send_error(interaction, exc)


class SignalButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.SIGNAL):
    """💛 🎉 🫂 💬 on the post: only Kindred sees who pressed; pressing again takes it back."""

    def __init__(self, prompt_id: int, signal: str) -> None:
        super().__init__(discord.ui.Button(emoji=SIGNALS[signal], custom_id=custom_ids.signal(prompt_id, signal)))
        self.prompt_id, self.emoji = prompt_id, SIGNALS[signal]

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["prompt_id"]), match["signal"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot, user = interaction.client, interaction.user
            prompt = await bot.daily.prompt(self.prompt_id)
            if prompt is None or prompt.guild_id != interaction.guild_id:
                raise UserError(GONE)
            meaning = REACTION_MEANINGS[self.emoji]
            if await reactions.given(bot.db, prompt.id, user.id, self.emoji):
                await reactions.remove_on_prompt(bot.db, prompt.id, user.id, self.emoji)
                await ephemeral(interaction, _("Taken back: {emoji} {meaning}.", emoji=self.emoji, meaning=meaning))
                return
            kind, signal_id = await reactions.record_on_prompt(bot.db, bot.clock, prompt.guild_id, prompt.id, user.id,
                                                               self.emoji, user.display_name)
            nudged = False
            if kind == "signal":
                log.info("guild %s: member %s reached out with %s", prompt.guild_id, user.id, self.emoji)
                nudged = bool(await bot.followups.plan_signal(signal_id))
            if nudged:
                line = _("{emoji} Noted: {meaning}. Only Kindred sees it; tap again to take it back. Someone who "
                         "looks out for you may check in.", emoji=self.emoji, meaning=meaning)
            else:
                line = _("{emoji} Noted: {meaning}. Only Kindred sees it; tap again to take it back.",
                         emoji=self.emoji, meaning=meaning)
            await ephemeral(interaction, line)
        except Exception as exc:  # noqa: BLE001 - every failure gets an ephemeral explanation
            await send_error(interaction, exc)


class Answers(commands.Cog):
    def __init__(self, bot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """An answer form opened before a restart has no modal object any more: take it from the raw
        submit, so a restart while someone types loses nothing."""
        if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
            return
        match = re.fullmatch(custom_ids.ANSWER_MODAL, interaction.data.get("custom_id", ""))
        if match is None or self._is_open(match.group(0)):
            return
        try:
            text = check_form(interaction, int(match["user_id"]))
            await submit_answer(interaction, int(match["prompt_id"]), match["visibility"], text)
        except Exception as exc:  # noqa: BLE001
            await send_error(interaction, exc)

    def _is_open(self, custom_id: str) -> bool:
        """Whether discord.py still holds this modal (it then dispatches the submit itself)."""
        return custom_id in self.bot._connection._view_store._modals


async def setup(bot) -> None:
    bot.add_dynamic_items(AnswerButton, SignalButton)
    await bot.add_cog(Answers(bot))
