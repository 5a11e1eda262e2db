"""Tests of the Discord emulator itself, driving a small real discord.py bot through it.

They double as documentation: each test shows one thing a test of the real bot can do.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import re
from dataclasses import dataclass
from typing import AsyncIterator

import discord
import pytest
from discord import app_commands

from bot.emulator import Channel, Emulator, EmulatorError, Guild, Message, Person

ZONES = ["Europe/Berlin", "Europe/Belgrade", "Europe/London", "America/New_York"]


# -- the toy bot ------------------------------------------------------------------------------------


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=r"answer:(?P<question>\d+)"):
    """A persistent button; the question (= its message and thread id) rides in the custom_id."""

    def __init__(self, question: int) -> None:
        super().__init__(discord.ui.Button(label="Answer", style=discord.ButtonStyle.primary, custom_id=f"answer:{question}"))
        self.question = question

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]) -> AnswerButton:
        return cls(int(match["question"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AnswerModal(self.question))


class AnswerModal(discord.ui.Modal, title="Your answer"):
    answer = discord.ui.TextInput(label="Answer", style=discord.TextStyle.long, max_length=500)
    mood = discord.ui.Label(text="Mood", component=discord.ui.TextInput(custom_id="mood", required=False))

    def __init__(self, question: int) -> None:
        super().__init__(custom_id=f"answer-modal:{question}")
        self.question = question

    async def on_submit(self, interaction: discord.Interaction) -> None:
        thread = await interaction.client.fetch_channel(self.question)
        mood = f" ({self.mood.component.value})" if self.mood.component.value else ""
        await thread.send(f"{interaction.user.name}: {self.answer.value}{mood}")
        await interaction.response.send_message("Shared in the thread.", ephemeral=True)


class Kindred(app_commands.Group, name="kindred", description="Stay in touch"):
    @app_commands.command(description="Post a question with an answer button")
    async def setup(self, interaction: discord.Interaction, channel: discord.TextChannel, question: str, pin: bool = False) -> None:
        await interaction.client.post_question(channel, question)
        await interaction.response.send_message(f"Posted in {channel.mention} (pin={pin}).", ephemeral=True)

    @app_commands.command(description="Pick a timezone")
    async def timezone(self, interaction: discord.Interaction, zone: str) -> None:
        await interaction.response.send_message(f"Timezone set to {zone}.")

    @timezone.autocomplete("zone")
    async def zone_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in ZONES if z.lower().startswith(current.lower())]

    @app_commands.command(description="A slow report")
    async def report(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        file = discord.File(io.BytesIO(b"1 question, 1 answer"), filename="report.txt")
        await interaction.followup.send("Here is your report.", file=file)

    @app_commands.command(description="Nudge someone by DM")
    async def nudge(self, interaction: discord.Interaction, who: discord.Member) -> None:
        try:
            await who.send(f"{interaction.user.name} is thinking of you.")
        except discord.Forbidden:
            await interaction.response.send_message(f"{who.name} does not accept DMs.", ephemeral=True)
        else:
            await interaction.response.send_message("Nudged.", ephemeral=True)


@app_commands.command(description="Forget everything in this server")
@app_commands.default_permissions(manage_guild=True)
@app_commands.checks.has_permissions(manage_guild=True)
async def reset(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("Reset done.", ephemeral=True)


class Tree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        send = interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
        await send("Something went wrong.", ephemeral=True)


class ToyBot(discord.Client):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.members = True
        super().__init__(intents=intents, guild_ready_timeout=0.05)
        self.tree = Tree(self)
        self.tree.add_command(Kindred())
        self.tree.add_command(reset)
        self.seen: list[str] = []
        self.reactions: list[discord.RawReactionActionEvent] = []
        self.ready_count = 0

    async def setup_hook(self) -> None:
        self.add_dynamic_items(AnswerButton)
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before every IDENTIFY but the first; a test has no need to."""

    async def on_ready(self) -> None:
        self.ready_count += 1

    async def on_message(self, message: discord.Message) -> None:
        if message.author != self.user:
            self.seen.append(message.content)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.reactions.append(payload)

    async def post_question(self, channel: discord.TextChannel, question: str) -> discord.Message:
        """Post once per (channel, question): the nonce makes a repeat return the first message."""
        nonce = hashlib.sha1(f"{channel.id}:{question}".encode()).hexdigest()[:25]
        message = await channel.send(question, nonce=nonce)
        if message.components:
            return message
        message = await message.edit(view=discord.ui.View(timeout=None).add_item(AnswerButton(message.id)))
        await message.add_reaction("🫂")
        await message.create_thread(name="Answers")
        return await channel.fetch_message(message.id)


# -- fixtures ----------------------------------------------------------------------------------------


@dataclass
class Home:
    guild: Guild
    alice: Person
    bob: Person
    us: Channel


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(bot_name="Toy") as emu:
        yield emu
        emu.assert_no_unhandled()


@pytest.fixture
def home(emu: Emulator) -> Home:
    guild = emu.add_guild("Home")
    alice = guild.add_member("alice", admin=True)
    bob = guild.add_member("bob")
    us = guild.add_text_channel("us")
    guild.add_voice_channel("talk")
    return Home(guild, alice, bob, us)


@contextlib.asynccontextmanager
async def running(emu: Emulator) -> AsyncIterator[ToyBot]:
    """Run a fresh ToyBot against the emulator until the block ends."""
    bot = ToyBot()
    task = asyncio.create_task(bot.start("any-token"))
    ready = asyncio.create_task(emu.wait_ready())
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        ready.cancel()
        task.result()
    await asyncio.wait_for(bot.wait_until_ready(), timeout=5)
    try:
        yield bot
    finally:
        await bot.close()
        await task


@pytest.fixture
async def bot(emu: Emulator, home: Home) -> AsyncIterator[ToyBot]:
    async with running(emu) as bot:
        yield bot


async def post_question(home: Home, text: str = "How was your day?") -> Message:
    await home.alice.slash("kindred setup", channel=home.us, question=text)
    return home.us.messages[-1]


# -- tests ----------------------------------------------------------------------------------------------


async def test_bot_logs_in_connects_and_registers_commands(emu: Emulator, home: Home, bot: ToyBot) -> None:
    assert bot.user.id == emu.bot_user.id == emu.application_id
    assert {c["name"] for c in emu.registered_commands()} == {"kindred", "reset"}
    assert emu.requests_to("PUT", rf"/applications/{emu.application_id}/commands$")
    assert bot.get_guild(home.guild.id).name == "Home"
    await emu.wait_for(lambda: bot.get_guild(home.guild.id).get_member(home.bob.id) is not None)  # chunked
    assert emu.connections[0].how == "identify"


async def test_subcommand_posts_question_with_button_reaction_and_thread(emu: Emulator, home: Home, bot: ToyBot) -> None:
    res = await home.alice.slash("kindred setup", channel=home.us, question="How was your day?", pin=True)

    assert res.type == 4 and res.message.ephemeral
    assert res.message.content == f"Posted in <#{home.us.id}> (pin=True)."
    assert res.callback_latency < 3
    [question] = home.us.messages
    assert question.content == "How was your day?"
    assert [b["label"] for b in question.buttons] == ["Answer"]
    assert question.reactions == {"🫂": {emu.bot_user.id}}
    assert emu.thread_of(question).name == "Answers"


async def test_repeated_nonce_returns_the_first_message(emu: Emulator, home: Home, bot: ToyBot) -> None:
    first = await post_question(home)
    await post_question(home)

    assert home.us.messages == [first]
    assert len(emu.requests_to("POST", rf"/channels/{home.us.id}/messages$")) == 2


async def test_button_opens_modal_whose_submit_posts_in_the_thread(emu: Emulator, home: Home, bot: ToyBot) -> None:
    question = await post_question(home)

    res = await home.bob.click(question, "Answer")
    assert res.modal.title == "Your answer"
    thanks = await home.bob.submit_modal(res.modal, {"Answer": "Great, thanks", "Mood": "calm"})

    assert thanks.message.content == "Shared in the thread." and thanks.message.ephemeral
    [answer] = emu.messages_in(emu.thread_of(question))
    assert answer.content == "bob: Great, thanks (calm)"


async def test_persistent_button_works_after_a_restart(emu: Emulator, home: Home) -> None:
    async with running(emu):
        question = await post_question(home)
    async with running(emu):
        res = await home.bob.click(question, f"answer:{question.id}")
        await home.bob.submit_modal(res.modal, "Still here")
    assert emu.messages_in(emu.thread_of(question))[-1].content == "bob: Still here"


async def test_autocomplete_offers_matching_choices(home: Home, bot: ToyBot) -> None:
    choices = await home.alice.autocomplete("kindred timezone", "zone", "europe/be")
    assert [c["value"] for c in choices] == ["Europe/Berlin", "Europe/Belgrade"]


async def test_deferred_reply_is_filled_by_the_followup(home: Home, bot: ToyBot) -> None:
    res = await home.alice.slash("kindred report")
    assert res.deferred

    followup = await res.wait_followup()
    assert followup.content == "Here is your report."
    assert res.message is followup  # the first follow-up replaces the "thinking…" message
    assert [(a.filename, a.data) for a in followup.attachments] == [("report.txt", b"1 question, 1 answer")]


async def test_permission_gated_command(home: Home, bot: ToyBot) -> None:
    res = await home.alice.slash("reset")
    assert res.message.content == "Reset done."
    with pytest.raises(EmulatorError, match="hidden from bob"):
        await home.bob.slash("reset")


async def test_dm_to_a_member_and_closed_dms(emu: Emulator, home: Home, bot: ToyBot) -> None:
    await home.alice.slash("kindred nudge", who=home.bob)
    assert [m.content for m in await home.bob.dm_messages()] == ["alice is thinking of you."]

    emu.close_dms(home.bob)
    res = await home.alice.slash("kindred nudge", who=home.bob)
    assert res.message.content == "bob does not accept DMs."


async def test_reactions_reach_the_raw_listener(emu: Emulator, home: Home, bot: ToyBot) -> None:
    question = await post_question(home)

    await home.bob.react(question, "🫂")
    await emu.wait_for(lambda: any(r.user_id == home.bob.id for r in bot.reactions))
    event = next(r for r in bot.reactions if r.user_id == home.bob.id)
    assert (str(event.emoji), event.member.name, event.message_id) == ("🫂", "bob", question.id)

    await home.bob.unreact(question, "🫂")
    assert question.reactions == {"🫂": {emu.bot_user.id}}


async def test_message_content_needs_the_intent_unless_mentioned_or_in_dm(emu: Emulator, home: Home, bot: ToyBot) -> None:
    await home.bob.say(home.us, "hello everyone")
    await home.bob.say(home.us, "hello bot", mention_bot=True)
    await home.bob.send_dm("a secret")
    await emu.wait_for(lambda: len(bot.seen) == 3)
    assert bot.seen == ["", f"<@{emu.bot_user.id}> hello bot", "a secret"]


async def test_typos_in_commands_and_options_fail_loudly(home: Home, bot: ToyBot) -> None:
    with pytest.raises(EmulatorError, match="no subcommand 'setpu'"):
        await home.alice.slash("kindred setpu")
    with pytest.raises(EmulatorError, match="unknown option"):
        await home.alice.slash("kindred setup", channel=home.us, question="Hi", colour="red")
    with pytest.raises(EmulatorError, match="required option 'question'"):
        await home.alice.slash("kindred setup", channel=home.us)


async def test_late_first_response_is_rejected_and_recorded(emu: Emulator, home: Home, bot: ToyBot) -> None:
    emu.response_deadline = 0.0
    with pytest.raises(AssertionError, match="deadline"):
        await home.alice.slash("kindred timezone", zone="Europe/Berlin")
    assert len(emu.failures) == 1
    emu.failures.clear()


async def test_rate_limit_is_waited_out(emu: Emulator, home: Home, bot: ToyBot) -> None:
    emu.fail("POST", r"/channels/\d+/messages$", 429, retry_after=0.1)
    await post_question(home)
    assert len(emu.requests_to("POST", r"/channels/\d+/messages$")) == 2
    assert len(home.us.messages) == 1


async def test_injected_error_reaches_the_bot(emu: Emulator, home: Home, bot: ToyBot) -> None:
    emu.fail("POST", r"/channels/\d+/messages$", 403, code=50013, message="Missing Permissions")
    res = await home.alice.slash("kindred setup", channel=home.us, question="Hi")
    assert res.message.content == "Something went wrong."


async def test_denied_permission_is_enforced(emu: Emulator, home: Home, bot: ToyBot) -> None:
    quiet = home.guild.add_text_channel("quiet", deny_bot=("add_reactions",))
    res = await home.alice.slash("kindred setup", channel=quiet, question="Hi")
    assert res.message.content == "Something went wrong."
    assert quiet.messages[0].reactions == {}


async def test_dropped_connection_resumes_and_replays_missed_events(emu: Emulator, home: Home, bot: ToyBot) -> None:
    await emu.drop_connection()
    await home.bob.say(home.us, "while you were away", mention_bot=True)

    await emu.wait_resumed()
    await emu.wait_for(lambda: any("while you were away" in s for s in bot.seen))
    assert emu.connections[-1].path == "/gateway/resume/"
    assert emu.identify_count == 1


async def test_lost_session_makes_the_bot_identify_again(emu: Emulator, home: Home, bot: ToyBot) -> None:
    await emu.wait_for(lambda: bot.ready_count == 1)
    await emu.drop_connection(code=None, resumable=False)

    await emu.wait_identified(2)
    await emu.wait_for(lambda: bot.ready_count == 2)  # on_ready runs again: keep one-off work in setup_hook
    assert [c.how for c in emu.connections] == ["identify", "invalid session", "identify"]


async def test_guild_changes_reach_the_bot(emu: Emulator, home: Home, bot: ToyBot) -> None:
    news = home.guild.add_text_channel("news")
    carol = home.guild.add_member("carol")
    await emu.wait_for(lambda: bot.get_channel(news.id) and bot.get_guild(home.guild.id).get_member(carol.id))

    home.guild.delete_channel(news)
    home.guild.remove_member(carol)
    await emu.wait_for(lambda: bot.get_channel(news.id) is None)
    with pytest.raises(discord.NotFound) as gone:
        await bot.fetch_channel(news.id)
    assert gone.value.code == 10003
    assert bot.get_guild(home.guild.id).get_member(carol.id) is None

    emu.remove_bot_from_guild(home.guild)
    await emu.wait_for(lambda: bot.get_guild(home.guild.id) is None)


async def test_unimplemented_routes_are_reported(emu: Emulator, home: Home, bot: ToyBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=home.guild.id))
    assert emu.unhandled == [f"GET /guilds/{home.guild.id}/bans"]
    with pytest.raises(AssertionError, match="unhandled route"):
        emu.assert_no_unhandled()
    emu.unhandled.clear()
