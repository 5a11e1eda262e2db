"""Delivering follow-ups: one DM per recipient for what is due at once, written like a thoughtful
friend, with buttons I checked in / Remind me tomorrow / Not for me.

Exactly-once: the job is claimed before the DM goes out and marked after, and the follow-ups a DM
carries are recorded (`dm_lead`) just before it is sent. An attempt that never heard back (a crash,
a timeout) is retried with the same nonce, which Discord answers with the first message while it
remembers it; after that, whichever job delivers any of those follow-ups next first looks for that
DM among the recipient's newest messages. A closed DM (50007) ends the nudge as undeliverable, marks
the recipient unreachable and cancels their other nudges; they are told the next time they use a
command, and from then on DMs are tried again. Private words never appear: a quote is shown only
for a share visible to the group (or the recipient's own note)."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from . import custom_ids, guilds, members, shares
from .clock import Clock
from .storage import Database, from_db, to_db
from .errors import UserError
from .i18n import Day, Text, _, _n, render
from .i18n.seen import Locales
from .followups import KIND, FollowUp, FollowUps, job_key
from .localtime import zone
from . import roster
from .roster import Roster
from .rate import Rate
from .scheduling import Job, JobQueue, Obsolete, PermanentError, Postpone, TransientError
from .text import MESSAGE, clip, quote

log = logging.getLogger(__name__)
CANNOT_DM = 50007
QUOTE_LIMIT = 200
ACTIONS = {"done": _("✅ You checked in. That matters."), "snooze": _("⏰ I'll remind you tomorrow."),
           "skip": _("Okay, not this one.")}
STATUSES = {"planned": _("planned"), "sending": _("sending"), "sent": _("sent"), "done": _("done"),
            "skipped": _("skipped"), "cancelled": _("cancelled"), "undeliverable": _("undeliverable"),
            "failed": _("failed"), "expired": _("expired")}
# The reasons a follow-up stores, as /checkins shows them.
REASONS = {"could use some support": _("could use some support"), "would like to talk": _("would like to talk"),
           "asked for a check-in": _("asked for a check-in"),
           # what the reader found (bot.reading: the strongest feeling, or "moment" when it named none)
           "worry": _("a worry"), "stress": _("stress"), "sadness": _("sadness"),
           "grief": _("grief"), "loneliness": _("loneliness"), "anger": _("something upsetting"),
           "excitement": _("exciting news"), "pride": _("something they're proud of"),
           "gratitude": _("gratitude"), "moment": _("something that matters")}
# What a 🫂 or 💬 signal's stored reason says, as a whole line.
SIGNAL_LINES = {
    "could use some support": _("{said} {name} reacted to the daily question: they could use some support."),
    "would like to talk": _("{said} {name} reacted to the daily question: they would like to talk."),
}


@dataclass(frozen=True)
class Nudge:
    """What one follow-up says, already safe to show its recipient."""
    followup: FollowUp
    subject_name: str | Text
    said_on: datetime | None
    quote: str | None
    asked: bool
    own_note: bool = False


def suggestion(f: FollowUp) -> Text:
    if f.topic:
        return _("ask how the {topic} went?", topic=f.topic)
    if f.signal_id:
        return _("a short message to ask how they're doing could mean a lot.")
    return _("ask how they're doing?")


def said_when(said_on: datetime, today: datetime, language: str = "en") -> str:
    """'Earlier today', 'On Monday' within the last week, else 'On Fri 27 Nov' (in `language`)."""
    local = said_on.astimezone(today.tzinfo)
    days = (today.date() - local.date()).days
    if days <= 0:
        return render(_("Earlier today"), language)
    when = Day(local.date()) if days < 7 else Day(local.date(), "short")
    return render(_("On {day}", day=when), language)


def _line(n: Nudge, said: str, name: str) -> Text:
    f = n.followup
    if f.signal_id:
        known = SIGNAL_LINES.get(f.reason)
        if known:
            return replace(known, params={"said": said, "name": name})
        return _("{said} {name} reacted to the daily question: they {reason}.", said=said, name=name, reason=f.reason)
    if n.own_note:
        return _("{said} you noted about {name}: “{quote}”", said=said, name=name, quote=n.quote)
    if n.quote:
        return _("{said} {name} shared: “{quote}”", said=said, name=name, quote=n.quote)
    if n.asked:
        return _("{said} {name} asked for someone to check in with them.", said=said, name=name)
    return _("{said} {name} shared something that matters to them.", said=said, name=name)


def compose(nudges: list[Nudge], now: datetime, tz_name: str, language: str = "en") -> str:
    """The DM text for one recipient in `language` (kept under Discord's 2,000 characters)."""
    tz = zone(tz_name)
    today = now.astimezone(tz)
    parts = []
    for n in nudges:
        f = n.followup
        said = said_when(n.said_on, today, language) if n.said_on else render(_("Recently"), language)
        line = render(_line(n, said, f"**{quote(render(n.subject_name, language), 80)}**"), language)
        line = line[:1].upper() + line[1:]  # a day's name may open the sentence ("lundi, …")
        if f.event_date:
            line += " " + render(_("({topic}: {date})", topic=f.topic or _("it"), date=Day(f.event_date, "full")),
                                 language)
        next_line = render(_("It's {day}: {suggestion}", day=Day(today.date()), suggestion=suggestion(f)), language)
        if f.engaged:
            next_line += " " + render(_("You already responded to it in the thread; a check-in could still mean a lot."),
                                      language)
        parts.append(f"{line}\n{next_line}")
    header = render(_n("💛 A gentle nudge from Kindred", "💛 {n} gentle nudges from Kindred", len(parts)), language)
    return clip(header + "\n\n" + "\n\n".join(parts), MESSAGE)


async def find_unheard_dm(db: Database, port, channel_id: int, lead: int) -> int | None:
    """The DM with follow-up `lead`'s buttons that went out without Kindred hearing back, among the
    recipient's newest messages (one request); one already in nudge_dms is an earlier round's, not
    it. None when it isn't there or the DM channel is gone (sending says why); TransientError when
    Discord doesn't answer."""
    try:
        found = await port.find_own_message(channel_id, custom_ids.followup(lead, "done"))
    except PermanentError:
        return None
    if found is not None and await db.fetchone("SELECT 1 FROM nudge_dms WHERE message_id = ?", (found,)):
        return None
    return found


class Deliveries:
    """The job handler for follow-ups, and the buttons' actions."""

    def __init__(self, db: Database, clock: Clock, queue: JobQueue, followups: FollowUps, port,
                 dm_rate: Rate | None = None, roster: Roster | None = None, locales: Locales | None = None) -> None:
        self.db, self.clock, self.queue, self.followups, self.port = db, clock, queue, followups, port
        self.dm_rate = dm_rate  # shared by every DM in flight: mass DMs get bots flagged
        self.roster = roster or Roster(db, clock, port)
        self.locales = locales or Locales(db, clock)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # recipient -> (lock, jobs holding or awaiting it)

    async def _nudge(self, f: FollowUp, settings: guilds.GuildSettings, recipient: members.MemberSettings) -> Nudge:
        """Build what the recipient may see: never the words of a private share or someone else's note.
        Raises Obsolete when it may no longer be sent: the subject left, or either of them withdrew consent."""
        share = await shares.get(self.db, f.share_id) if f.share_id else None
        own_note = share is not None and share.source == "note"
        if not own_note:
            if not recipient.receive_checkins:
                raise Obsolete("the recipient turned check-in DMs off")
            if not await self.followups.still_for(f, settings):
                raise Obsolete("the recipient is no longer the one to nudge (partner, circle or mode changed)")
            subject = await members.get(self.db, f.guild_id, f.subject_id, settings.mode, settings.timezone)
            if not subject.allow_followups and not (share is not None and share.check_in):
                raise Obsolete("the member turned follow-ups about them off")
        if f.subject_id != f.recipient_id and not await self.roster.confirm(f.guild_id, f.subject_id):
            await self.followups.member_left(f.guild_id, f.subject_id)
            raise Obsolete("the member it is about left the server")
        if f.signal_id:
            row = await self.db.fetchone("SELECT user_name, created_at FROM signals WHERE id = ?", (f.signal_id,))
            return Nudge(f, (row and row["user_name"]) or _("Someone in your server"), from_db(row["created_at"]) if row else None,
                         None, False)
        if share is None:
            raise Obsolete("the share was deleted")
        if own_note:  # the recipient wrote it themselves
            subject = share.about_name or await self._name(f.guild_id, f.subject_id)
            return Nudge(f, subject, share.created_at, quote(share.text, QUOTE_LIMIT), False, own_note=True)
        visible = share.visibility == "group" and not share.held
        return Nudge(f, share.about_name or await self._name(f.guild_id, f.subject_id), share.created_at,
                     quote(share.text, QUOTE_LIMIT) if visible else None, share.check_in)

    async def _name(self, guild_id: int, user_id: int) -> str | Text:
        row = await self.db.fetchone(
            """SELECT about_name AS name FROM shares WHERE guild_id = ? AND author_id = ? AND subject_id IS NULL
                 AND about_name IS NOT NULL
               UNION ALL SELECT user_name FROM signals WHERE guild_id = ? AND user_id = ? AND user_name IS NOT NULL LIMIT 1""",
            (guild_id, user_id, guild_id, user_id))
        return row["name"] if row else _("someone in your server")

    async def deliver(self, job: Job) -> None:
        """The job handler. One recipient's nudges are delivered one at a time (several due at once
        become one DM), while other recipients' go out concurrently."""
        f = await self.followups.get(job.payload["followup_id"])
        if f is None:
            raise Obsolete("the follow-up was deleted")
        lock, users = self._locks.get(f.recipient_id, (asyncio.Lock(), 0))
        self._locks[f.recipient_id] = (lock, users + 1)
        try:
            async with lock:
                await self._deliver(job)
        finally:
            lock, users = self._locks[f.recipient_id]
            if users == 1:
                del self._locks[f.recipient_id]
            else:
                self._locks[f.recipient_id] = (lock, users - 1)

    async def _deliver(self, job: Job) -> None:
        f = await self.followups.get(job.payload["followup_id"])
        if f is not None and f.status == "sent":
            raise Obsolete("delivered together with another nudge", "sent")
        if f is None or f.status != "planned":
            raise Obsolete("the follow-up was cancelled, answered or deleted")
        if job.dedupe_key != job_key(f.id, f.round):  # "Remind me tomorrow" was pressed since: that round's job sends
            raise Obsolete("the member asked to be reminded later", "cancelled")
        settings = await guilds.get(self.db, f.guild_id)
        if settings is None or settings.removed_at:
            await self._set_status([f.id], "cancelled")
            raise Obsolete("the server is gone")
        recipient = await members.get(self.db, f.guild_id, f.recipient_id, settings.mode, settings.timezone)
        quiet_end = self.followups.after_quiet_hours(recipient, self.clock.now())
        if quiet_end > self.clock.now():  # late after downtime or retries, or quiet hours changed since
            await self.db.execute("UPDATE followups SET due_at = ? WHERE id = ?", (to_db(quiet_end), f.id))
            raise Postpone(quiet_end, "the recipient's quiet hours")
        # A DM that went out unheard is looked for first, even if the recipient has left since: it
        # quotes the subject, so it must be on record for their /forget.
        batch = await self._not_yet_sent(f, [f] + await self._due_with(f))
        if not await self.roster.confirm(f.guild_id, f.recipient_id):
            await self.followups.member_left(f.guild_id, f.recipient_id)
            raise Obsolete("the recipient left the server")
        nudges = []
        for item in batch:  # every nudge in the DM is checked again, not only the first
            try:
                nudges.append(await self._nudge(item, settings, recipient))
            except Obsolete as exc:
                log.info("guild %s: follow-up %s dropped at delivery: %s", item.guild_id, item.id, exc)
                await self._set_status([item.id], "cancelled")
        if not nudges:
            raise Obsolete("nothing left to say")
        language = await self.locales.for_dm(f.recipient_id, settings)
        content = compose(nudges, self.clock.now(), recipient.timezone, language)
        intro = await self._introduction(f.recipient_id, settings, language)
        if intro:
            content = clip(f"{intro}\n\n{content}", MESSAGE)
        ids, lead = [n.followup.id for n in nudges], nudges[0].followup.id  # the DM's buttons are the lead's
        try:
            channel_id = await self._dm_channel(f.recipient_id)
            if self.dm_rate is not None:
                await self.dm_rate.turn()
            await self._in_flight(ids, lead)
            message_id = await self.port.send_dm(channel_id, content, lead, job.nonce,
                                                 stop_guild_id=f.guild_id if intro else None, language=language)
        except PermanentError as exc:
            if exc.code == CANNOT_DM:
                await self._unreachable(f.recipient_id, ids)
            else:
                await self._set_status(ids, "failed")
            raise
        await self._sent(ids, f.recipient_id, channel_id, message_id, introduced=bool(intro))
        log.info("guild %s: nudge DM %s sent to %s for follow-ups %s", f.guild_id, message_id, f.recipient_id, ids)

    async def _in_flight(self, ids: list[int], lead: int) -> None:
        """Recorded before the DM goes out: these follow-ups are in a DM whose buttons are `lead`'s."""
        marks = ", ".join("?" * len(ids))
        await self.db.execute(f"UPDATE followups SET dm_lead = ? WHERE id IN ({marks})", (lead, *ids))

    async def _not_yet_sent(self, f: FollowUp, batch: list[FollowUp]) -> list[FollowUp]:
        """Of `batch`, what is still to send. A follow-up with `dm_lead` set was in a DM that an earlier
        attempt made without hearing back (a timeout, a crash, after Discord forgot its nonce): that DM
        is looked for among the recipient's newest messages, once per lead. If it is there, what it
        carried is marked sent; if not, they are cleared to be sent now. A DM already recorded as
        delivered (an earlier round's, before "Remind me tomorrow") doesn't count."""
        leads = sorted({item.dm_lead for item in batch if item.dm_lead is not None})
        if not leads:
            return batch
        row = await self.db.fetchone("SELECT channel_id FROM dm_channels WHERE user_id = ?", (f.recipient_id,))
        channel_id = row["channel_id"] if row else None
        for lead in leads:
            carried = await self.db.fetchall(  # cancelled ones too: the DM may have named their subject
                "SELECT id, status FROM followups WHERE dm_lead = ? AND recipient_id = ? ORDER BY id",
                (lead, f.recipient_id))
            planned = [r["id"] for r in carried if r["status"] == "planned"]
            found = await find_unheard_dm(self.db, self.port, channel_id, lead) if channel_id else None
            if found is None:
                await self._clear_lead(lead, f.recipient_id)
                continue
            await self._sent(planned, f.recipient_id, channel_id, found, introduced=True,
                             about=[r["id"] for r in carried])
            await self._clear_lead(lead, f.recipient_id)  # the cancelled ones' too: this DM is settled
            log.info("guild %s: nudge DM %s found already sent to %s for follow-ups %s", f.guild_id, found,
                     f.recipient_id, planned)
        fresh = {item.id: await self.followups.get(item.id) for item in batch}  # the look-backs took a while
        mine = fresh[f.id]
        if mine is not None and mine.status == "sent":
            raise Obsolete("delivered by an earlier attempt", "sent")
        if mine is None or mine.status != "planned":
            raise Obsolete("the follow-up was cancelled, answered or deleted")
        return [item for item in fresh.values() if item is not None and item.status == "planned"]

    async def _clear_lead(self, lead: int, recipient_id: int) -> None:
        await self.db.execute("UPDATE followups SET dm_lead = NULL WHERE dm_lead = ? AND recipient_id = ?",
                              (lead, recipient_id))

    async def _sent(self, ids: list[int], recipient_id: int, channel_id: int, message_id: int,
                    introduced: bool, about: list[int] | None = None) -> None:
        """The DM `message_id` carried these follow-ups: they are sent, and their other jobs are done.
        It is kept for /forget with the subject of each follow-up it carried (`about`, default `ids`:
        one cancelled since was still named in it). `introduced`: it may have opened with the
        introduction (kept when the recipient already had one)."""
        now = to_db(self.clock.now())
        about = about if about is not None else ids
        if ids:
            await self._set_status(ids, "sent", channel_id, message_id)
        if about:
            marks = ", ".join("?" * len(about))
            await self.db.execute(  # kept for /forget, whatever happens to the shares and nudges later
                "INSERT OR IGNORE INTO nudge_dms (guild_id, recipient_id, subject_id, channel_id, message_id, sent_at) "
                f"SELECT guild_id, recipient_id, subject_id, ?, ?, ? FROM followups WHERE id IN ({marks})",
                (channel_id, message_id, now, *about))
        if introduced:
            await self.db.execute("UPDATE dm_channels SET introduced_at = COALESCE(introduced_at, ?) WHERE user_id = ?",
                                  (now, recipient_id))
        if ids:
            marks = ", ".join("?" * len(ids))
            for row in await self.db.fetchall(f"SELECT id, round FROM followups WHERE id IN ({marks})", tuple(ids)):
                await self.db.execute("UPDATE jobs SET status = 'sent', updated_at = ? WHERE dedupe_key = ? "
                                      "AND status = 'pending'", (now, job_key(row["id"], row["round"])))

    async def expire(self, job: Job) -> str:
        """A day late and still not delivered: the nudge is `expired` (as /checkins shows it), unless
        the DM of an attempt that never heard back is there after all."""
        f = await self.followups.get(job.payload["followup_id"])
        if f is not None and f.status == "planned":
            if f.dm_lead is not None:
                try:
                    await self._not_yet_sent(f, [f])
                except Obsolete as exc:
                    return "sent" if exc.status == "sent" else "expired"
                except TransientError as exc:  # Discord can't say: expired, as without the look-back
                    log.info("guild %s: follow-up %s expired without knowing whether its DM went out: %s",
                             f.guild_id, f.id, exc)
            await self._set_status([f.id], "expired")
        return "expired"

    async def _introduction(self, user_id: int, settings: guilds.GuildSettings, language: str = "en") -> str | None:
        """The line that opens the first DM Kindred ever sends a member: what it is and who set it up."""
        row = await self.db.fetchone("SELECT introduced_at FROM dm_channels WHERE user_id = ?", (user_id,))
        if row is not None and row["introduced_at"]:
            return None
        admin = await roster.name_of(self.db, settings.guild_id, settings.setup_by) if settings.setup_by else None
        server = self.port.guild_name(settings.guild_id)
        who = f"**{quote(admin, 80)}**" if admin else _("an admin")
        where = f"**{quote(server, 100)}**" if server else _("your server")
        return render(_("👋 I'm Kindred, a bot {who} set up in {where} so its members remember to check in on each "
                        "other. I'll DM you now and then; **Stop these** turns that off.", who=who, where=where), language)

    async def _due_with(self, f: FollowUp) -> list[FollowUp]:
        """Other follow-ups for the same recipient in the same server that are due now too."""
        rows = await self.db.fetchall(
            """SELECT id FROM followups WHERE recipient_id = ? AND guild_id = ? AND status = 'planned' AND id <> ?
               AND due_at <= ? ORDER BY due_at LIMIT 4""",
            (f.recipient_id, f.guild_id, f.id, to_db(self.clock.now())))
        return [await self.followups.get(r["id"]) for r in rows]

    async def _dm_channel(self, user_id: int) -> int:
        row = await self.db.fetchone("SELECT channel_id FROM dm_channels WHERE user_id = ?", (user_id,))
        if row is not None and row["channel_id"]:
            return row["channel_id"]
        channel_id = await self.port.open_dm(user_id)
        await self.db.execute("INSERT INTO dm_channels (user_id, channel_id) VALUES (?, ?) "
                              "ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id", (user_id, channel_id))
        return channel_id

    async def _set_status(self, ids: list[int], status: str, channel_id: int | None = None, message_id: int | None = None) -> None:
        now = to_db(self.clock.now())
        async with self.db.transaction() as conn:
            for fid in ids:
                await conn.execute(
                    "UPDATE followups SET status = ?, dm_channel_id = COALESCE(?, dm_channel_id), "
                    "dm_message_id = COALESCE(?, dm_message_id), dm_lead = NULL, updated_at = ? WHERE id = ?",
                    (status, channel_id, message_id, now, fid))

    async def _unreachable(self, user_id: int, ids: list[int]) -> None:
        await self._set_status(ids, "undeliverable")
        await self.db.execute("INSERT INTO dm_channels (user_id, unreachable_at, notice_pending) VALUES (?, ?, 1) "
                              "ON CONFLICT (user_id) DO UPDATE SET unreachable_at = excluded.unreachable_at, "
                              "notice_pending = 1", (user_id, to_db(self.clock.now())))
        cancelled = await self.followups.cancel("recipient_id = ?", (user_id,))
        log.warning("member %s doesn't accept DMs: marked unreachable, %d more nudges cancelled", user_id, cancelled)

    async def member_is_back(self, user_id: int) -> bool:
        """The member used Kindred: DMs to them are tried again. True while they still need to be told
        that a nudge couldn't reach them (then call `told` once the notice was delivered)."""
        row = await self.db.fetchone("SELECT unreachable_at, notice_pending FROM dm_channels WHERE user_id = ?", (user_id,))
        if row is None:
            return False
        if row["unreachable_at"] is not None:
            await self.db.execute("UPDATE dm_channels SET unreachable_at = NULL WHERE user_id = ?", (user_id,))
        return bool(row["notice_pending"])

    async def told(self, user_id: int) -> None:
        await self.db.execute("UPDATE dm_channels SET notice_pending = 0 WHERE user_id = ?", (user_id,))

    # -- the buttons -------------------------------------------------------------------------------
    async def act(self, followup_id: int, user_id: int, action: str, language: str = "en") -> str:
        """Apply a button press to every follow-up in that DM; returns the line to show, in `language`."""
        f = await self.followups.get(followup_id)
        if f is None or f.recipient_id != user_id:
            raise UserError(_("This nudge isn't in Kindred's memory any more (it may have been erased)."))
        rows = await self.db.fetchall("SELECT id FROM followups WHERE dm_message_id IS ? AND recipient_id = ? AND status = 'sent'",
                                      (f.dm_message_id, user_id)) if f.dm_message_id else [{"id": f.id}]
        ids = [r["id"] for r in rows]
        if not ids:
            return render(_("Already answered: this nudge is {status}.", status=STATUSES.get(f.status, f.status)),
                          language)
        if action == "done":
            await self._set_status(ids, "done")
        elif action == "skip":
            await self._set_status(ids, "skipped")
        elif action == "snooze":
            settings = await guilds.get(self.db, f.guild_id)
            recipient = await members.get(self.db, f.guild_id, user_id, settings.mode if settings else "group",
                                          settings.timezone if settings else "UTC")
            for fid in ids:
                item = await self.followups.get(fid)
                due = await self.followups.allowed_time(recipient, self.clock.now() + timedelta(days=1), exclude=fid)
                await self.db.execute("UPDATE followups SET status = 'planned', round = round + 1, due_at = ?, "
                                      "dm_message_id = NULL, dm_lead = NULL, updated_at = ? WHERE id = ?",
                                      (to_db(due), to_db(self.clock.now()), fid))
                await self.queue.schedule(KIND, job_key(fid, item.round + 1), due, f.guild_id, {"followup_id": fid})
        else:
            raise ValueError(action)
        return render(ACTIONS[action], language)
