"""The Bot: setup_hook opens everything once; close() shuts it down in order."""
from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import random

import discord
from discord.ext import commands

from . import __version__, data_rights, housekeeping, questions
from .answers import AnswerService
from .clock import Clock
from .config import Config
from .daily import DailyService
from .storage import CHECKPOINT_SECONDS, Database
from .discord_adapter import MAX_RATELIMIT_WAIT, DiscordAdapter
from .followups import FollowUps
from .i18n import catalogs
from .i18n.commands import KindredTranslator
from .i18n.seen import Locales
from .nudges import Deliveries
from .rate import Rate
from .replies import KindredTree
from .roster import Roster
from .scheduling import SWEEP_INTERVAL_SECONDS, AlarmClock, JobQueue, Sweeper
from .service import health, lifecycle, ratelimits

log = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 3600
SEND_GRACE_SECONDS = 6.0  # at shutdown, how long a send in flight may take to finish (the total limit is 10 s)
# Requests leave a little unevenly (the loop is busy, latency varies): aim just under Discord's limit.
RATE_HEADROOM = 0.95

EXTENSIONS = ("cogs.setup", "cogs.roster", "cogs.daily", "cogs.questions", "cogs.sharing", "cogs.privacy",
              "cogs.checkins")


def intents(config: Config) -> discord.Intents:
    """No privileged intents, except message content (KINDRED_MESSAGE_CONTENT) and server members
    (KINDRED_MEMBERS_INTENT) when asked for."""
    chosen = discord.Intents.default()
    chosen.message_content = config.message_content
    chosen.members = config.members_intent
    return chosen


class KindredBot(commands.Bot):
    def __init__(self, config: Config, db: Database, clock: Clock | None = None, *,
                 sweep_interval: float = SWEEP_INTERVAL_SECONDS, rng: random.Random | None = None,
                 bank: list[dict] | None = None, start_schedule: bool = True, dm_pace: float | None = None,
                 **options) -> None:
        """`dm_pace`: seconds between nudge DMs (default from KINDRED_DMS_PER_SECOND; 0: no pace)."""
        options.setdefault("max_ratelimit_timeout", MAX_RATELIMIT_WAIT)
        super().__init__(command_prefix=commands.when_mentioned, intents=intents(config), help_command=None,
                         tree_cls=KindredTree, allowed_mentions=discord.AllowedMentions.none(), **options)
        ratelimits.sweep_at_most_every(self.http)
        self.config = config
        self.db = db
        self.clock = clock or Clock()
        self.rng = rng or random.Random()
        self.bank = bank
        self.start_schedule = start_schedule  # False for `python -m bot sync`: commands only
        self.port = DiscordAdapter(self, Rate(config.requests_per_second * RATE_HEADROOM))
        dm_pace = 1 / config.dms_per_second if dm_pace is None else dm_pace
        self.queue = JobQueue(db, self.clock, config.shards)
        self.daily = DailyService(db, self.clock, self.queue, self.port, self.rng, on_scheduled=self._wake)
        self.followups = FollowUps(db, self.clock, self.queue, on_scheduled=self._wake)
        self.answers = AnswerService(db, self.clock, self.port, self.followups, self.queue)
        self.roster = Roster(db, self.clock, self.port)
        self.locales = Locales(db, self.clock)
        self.deliveries = Deliveries(db, self.clock, self.queue, self.followups, self.port,
                                     dm_rate=Rate(1 / dm_pace) if dm_pace else None, roster=self.roster,
                                     locales=self.locales)
        self.sweeper = Sweeper(self.queue, {"daily": self.daily.deliver, "followup": self.deliveries.deliver,
                                            "thread": self.answers.complete},
                               expiries={"daily": self.daily.expire, "followup": self.deliveries.expire})
        self.alarm = AlarmClock(self.sweeper, sweep_interval, ready=self.wait_until_ready)
        self.health_file = None if str(config.database) == ":memory:" else health.path_for(config.database, config.shards)
        self._waiting: asyncio.Task | None = None  # writes "not connected" to the health file while login retries
        self._connected_once = False

    async def serving(self) -> set[int]:
        """The servers Kindred is in (a DM share may go to one of them)."""
        return {g.id for g in self.guilds}

    def _wake(self, due) -> None:
        self.alarm.wake_at(due)

    async def setup_hook(self) -> None:
        await questions.sync_bank(self.db, self.clock, self.bank if self.bank is not None else questions.load_bank())
        catalogs.load_all()
        await self.tree.set_translator(KindredTranslator())
        for name in EXTENSIONS:
            try:
                await self.load_extension(name)
            except Exception:
                log.exception("extension %s failed to load", name)
                raise
        if not self.start_schedule:
            return
        try:
            log.info("commands: %s", await self.sync_commands())
        except discord.HTTPException as exc:  # the commands Discord has still work; next start tries again
            log.warning("could not sync the slash commands (%s); they sync at the next start", exc)
        self.alarm.start()  # here, never in on_ready: on_ready fires again on every reconnect
        self.alarm.every(HOUSEKEEPING_SECONDS, self.housekeeping, "housekeeping")
        self.alarm.every(CHECKPOINT_SECONDS, self.heartbeat, "checkpoint")
        gc.collect()
        gc.freeze()  # what start-up loaded stays: full collections (~50 ms pauses) no longer walk it

    async def login(self, token: str) -> None:
        """Log in, retrying with capped backoff while Discord can't be reached (a bad token raises)."""
        async def reset() -> None:
            await self.http.close()
            self.http.connector = discord.utils.MISSING  # a closed session closed its connector too

        # Until the heartbeat takes over (once connected), the health file says "running, not connected".
        self._waiting = asyncio.create_task(self._not_connected_yet()) if self.health_file is not None else None
        try:
            await lifecycle.until_reachable(lambda: super(KindredBot, self).login(token), reset)
        finally:
            self._stop_waiting()

    def _stop_waiting(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()
            self._waiting = None

    async def _not_connected_yet(self) -> None:
        while True:
            health.write(self.health_file, self.clock.now(), False)
            await asyncio.sleep(CHECKPOINT_SECONDS)

    async def on_message(self, message: discord.Message) -> None:
        """Kindred has no prefix commands: a mention is read by the cogs' listeners, never parsed as a
        command (which would log CommandNotFound for every "@Kindred ..." in a thread)."""

    async def command_hash(self) -> str:
        """Of what a sync sends, translations included (a new translation is a change to sync)."""
        translator = self.tree.translator
        payload = [await c.get_translated_payload(self.tree, translator) if translator else c.to_dict(self.tree)
                   for c in self.tree.get_commands()]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Note the member's and the server's Discord locales: DMs and posts are written in them later."""
        try:
            await self.locales.seen(interaction.user.id, interaction.locale, interaction.guild_id,
                                    interaction.guild_locale)
        except Exception:  # noqa: BLE001 - never in the way of the interaction itself
            log.warning("could not note the locale of interaction %s", interaction.id, exc_info=True)

    async def sync_commands(self, force: bool = False) -> str:
        """Sync to the development server when set; globally only when the commands changed."""
        if self.config.dev_guild_id:
            guild = discord.Object(self.config.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
            return f"synced to development server {self.config.dev_guild_id}"
        digest = await self.command_hash()
        row = await self.db.fetchone("SELECT value FROM meta WHERE key = 'command_hash'")
        if not force and row is not None and row["value"] == digest:
            return "commands unchanged; no sync needed"
        await self.tree.sync()
        await self.db.execute("INSERT INTO meta (key, value) VALUES ('command_hash', ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (digest,))
        return "synced globally (Discord may take up to an hour to show changes everywhere)"

    async def housekeeping(self) -> None:
        """Purge servers left 30+ days ago, apply retention, drop stale DM drafts, delete the messages
        /forget couldn't (Discord didn't answer then)."""
        purged = await housekeeping.purge_removed(self.db, self.clock)
        expired = await housekeeping.apply_retention(self.db, self.clock)
        deleted = await data_rights.retry_deletions(self.db, self.port)
        if purged or expired or deleted:
            log.info("housekeeping: %d servers purged, %d shares past retention deleted, %d messages /forget "
                     "queued settled", len(purged), expired, deleted)

    async def heartbeat(self) -> None:
        """Every CHECKPOINT_SECONDS: checkpoint the WAL and rewrite the health file."""
        await self.db.checkpoint()
        if self.health_file is not None:
            connected = self.is_ready() and self.ws is not None and self.ws.open
            health.write(self.health_file, self.clock.now(), connected)

    async def on_ready(self) -> None:
        if self._connected_once:
            log.info("reconnected to Discord as %s", self.user)
            return
        self._connected_once = True
        count = len(self.guilds)
        shards = f" on shards {','.join(map(str, self.config.shards.ids))} of {self.config.shards.count}" \
            if self.config.shards else ""
        log.info("Kindred %s started as %s: %d server%s%s, database %s", __version__, self.user, count,
                 "" if count == 1 else "s", shards, self.db.target)
        if self.start_schedule:
            await self.heartbeat()

    async def on_resumed(self) -> None:
        log.info("resumed the Discord session after a disconnect")

    async def close(self) -> None:
        """Stop claiming work and wait up to SEND_GRACE_SECONDS for a send in flight, then close the
        gateway and the database (which checkpoints the WAL away). Safe to call twice."""
        self._stop_waiting()  # stopped while still waiting for Discord: no health file rewritten after this
        await self.alarm.stop(grace=SEND_GRACE_SECONDS)
        await super().close()
        await self.db.close()
        if self.health_file is not None:
            self.health_file.unlink(missing_ok=True)


class ShardedKindredBot(KindredBot, commands.AutoShardedBot):
    """Kindred over some of Discord's shards (KINDRED_SHARD_COUNT, KINDRED_SHARD_IDS): discord.py's
    AutoShardedBot runs them in this process, and its job queue claims only their servers' jobs, so
    several processes (each with its own shards) share one PostgreSQL database."""

    def __init__(self, config: Config, db: Database, clock: Clock | None = None, **options) -> None:
        if config.shards is None:
            raise ValueError("a sharded bot needs KINDRED_SHARD_COUNT")
        super().__init__(config, db, clock, shard_count=config.shards.count, shard_ids=list(config.shards.ids),
                         **options)

    async def serving(self) -> set[int]:
        """DMs reach shard 0 only, so its process files every DM share: its own servers, and those of
        other processes' shards that are set up with Kindred and not left (from the database)."""
        others = await self.db.fetchall("SELECT guild_id FROM guilds WHERE removed_at IS NULL")
        return {g.id for g in self.guilds} | {r["guild_id"] for r in others if not self.config.shards.owns(r["guild_id"])}


def bot_class(config: Config) -> type[KindredBot]:
    """KindredBot, or ShardedKindredBot when shards are set: with no shard settings nothing changes."""
    return ShardedKindredBot if config.shards is not None else KindredBot
