"""The Answer / Answer privately buttons on the daily question, and the answer modal."""
from __future__ import annotations

import re

import discord

from bot import custom_ids, questions, shares
from bot.errors import UserError
from bot.replies import ephemeral, send_error
from bot.text import ANSWER_MAX, clip


class AnswerModal(discord.ui.Modal):
    def __init__(self, bot, prompt, question_text: str, visibility: str, previous: str | None) -> None:
        title = "Answer privately" if visibility == "private" else "Your answer"
        super().__init__(title=title, timeout=15 * 60, custom_id=f"kindred:answer-modal:{prompt.id}:{visibility}")
        self.bot, self.prompt, self.question_text, self.visibility = bot, prompt, question_text, visibility
        self.answer = discord.ui.TextInput(style=discord.TextStyle.paragraph, max_length=ANSWER_MAX, default=previous,
                                           placeholder="Take your time. Nothing here pings anyone.")
        self.add_item(discord.ui.Label(text=clip(question_text, 45), description=clip(question_text, 100),
                                       component=self.answer))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = interaction.user
        outcome = await self.bot.answers.submit(self.prompt, self.question_text, user.id, user.display_name,
                                                user.display_avatar.url, self.answer.value, self.visibility)
        await ephemeral(interaction, outcome.message)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await send_error(interaction, error)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=custom_ids.ANSWER):
    """Works after restarts: the prompt id and visibility ride in the custom_id."""

    def __init__(self, prompt_id: int, visibility: str) -> None:
        label = "Answer privately" if visibility == "private" else "Answer"
        super().__init__(discord.ui.Button(label=label, custom_id=custom_ids.answer(prompt_id, visibility)))
        self.prompt_id, self.visibility = prompt_id, visibility

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /):
        return cls(int(match["prompt_id"]), match["visibility"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            bot = interaction.client
            prompt = await bot.daily.prompt(self.prompt_id)
            if prompt is None or prompt.guild_id != interaction.guild_id:
                raise UserError("This question isn't in Kindred's memory any more, so it can't take answers.")
            question = await questions.get(bot.db, prompt.guild_id, prompt.question_id)
            mine = [s for s in await shares.answers_to(bot.db, prompt.id) if s.author_id == interaction.user.id]
            previous = mine[0].text if mine else None
            await interaction.response.send_modal(AnswerModal(bot, prompt, question.text, self.visibility, previous))
        except Exception as exc:  # noqa: BLE001 - every failure gets an ephemeral explanation
            await send_error(interaction, exc)


async def setup(bot) -> None:
    bot.add_dynamic_items(AnswerButton)
