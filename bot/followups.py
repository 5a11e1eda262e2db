"""Following up: turn a share (or a 🫂/💬 signal, or a /remember note) into nudges for the right
people at the right time, only with consent.

Who (always members in the server's roster): partner mode, the named partner of the admin who set
Kindred up (and that admin, for the partner's shares), nobody until a partner is named; group mode, the sharer's circle (/circle), else members who opted in to
check-in DMs and were seen in the last 30 days, least-nudged first, at most 2. A note's nudge goes
to its author.
When: 18:00 (recipient's time) the day after the event; 2 days after an undated share; 3 hours
after a signal. Quiet hours move a nudge to their end; past the daily cap (3) a nudge moves to the
next day, spread 2 hours apart. Nothing is dropped.
Consent: the sharer allows follow-ups and the share isn't private, or the sharer asked (check_in);
recipients accept check-in DMs and aren't marked unreachable."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from . import guilds, members, roster, reading as moments
from .clock import Clock
from .storage import Database, from_db, to_db
from .errors import UserError
from .i18n import _
from .localtime import at_local, zone
from .scheduling import JobQueue
from .shares import Share

log = logging.getLogger(__name__)
KIND = "followup"
EVENING = time(18, 0)
UNDATED_DELAY = timedelta(days=2)
SIGNAL_DELAY = timedelta(hours=3)
DAILY_CAP = 3
SPREAD = timedelta(hours=2)
RECENT = timedelta(days=30)
GROUP_RECIPIENTS = 2


@dataclass(frozen=True)
class FollowUp:
    id: int
    guild_id: int
    recipient_id: int
    subject_id: int
    share_id: int | None
    signal_id: int | None
    reason: str
    topic: str | None
    event_date: date | None
    event_time: str | None
    due_at: datetime
    round: int
    status: str
    engaged: bool
    dm_channel_id: int | None
    dm_message_id: int | None
    dm_lead: int | None = None  # set while a DM carrying it may be out without Kindred knowing (see nudges)


def _followup(row) -> FollowUp:
    return FollowUp(row["id"], row["guild_id"], row["recipient_id"], row["subject_id"], row["share_id"],
                    row["signal_id"], row["reason"], row["topic"],
                    date.fromisoformat(row["event_date"]) if row["event_date"] else None, row["event_time"],
                    from_db(row["due_at"]), row["round"], row["status"], bool(row["engaged"]), row["dm_channel_id"],
                    row["dm_message_id"], row["dm_lead"])


def _couple(settings: guilds.GuildSettings) -> set[int]:
    """Partner mode's couple: the admin who named a partner, and that partner (empty until named)."""
    return {settings.setup_by, settings.partner_id} if settings.partner_id and settings.setup_by else set()


def job_key(followup_id: int, round_: int) -> str:
    return f"followup:{followup_id}:{round_}"


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


class FollowUps:
    def __init__(self, db: Database, clock: Clock, queue: JobQueue, on_scheduled=None) -> None:
        self.db, self.clock, self.queue = db, clock, queue
        self.on_scheduled = on_scheduled

    # -- who -------------------------------------------------------------------------------------
    async def recipients(self, settings: guilds.GuildSettings, sharer_id: int) -> list[int]:
        """Candidates before consent checks (see the module note), all in the server's roster."""
        guild_id = settings.guild_id
        present = set(await roster.present(self.db, guild_id))
        if settings.mode == "partner":  # the other of the named couple, if the sharer is one of them
            couple = _couple(settings)
            return sorted((couple - {sharer_id}) & present) if sharer_id in couple else []
        circle = await self.db.fetchall("SELECT member_id FROM circles WHERE guild_id = ? AND owner_id = ? ORDER BY created_at",
                                        (guild_id, sharer_id))
        if circle:
            return [r["member_id"] for r in circle if r["member_id"] in present]
        since = to_db(self.clock.now() - RECENT)
        rows = await self.db.fetchall(
            """SELECT uid FROM (
                   SELECT m.user_id AS uid,
                          (SELECT COUNT(*) FROM followups f WHERE f.guild_id = m.guild_id AND f.recipient_id = m.user_id
                             AND f.created_at >= ?) AS load,
                          (SELECT MAX(created_at) FROM followups f WHERE f.guild_id = m.guild_id AND f.recipient_id = m.user_id) AS last
                   FROM member_settings m JOIN roster r ON r.guild_id = m.guild_id AND r.user_id = m.user_id
                   WHERE m.guild_id = ? AND m.receive_checkins = 1 AND m.user_id <> ?
                     AND r.left_at IS NULL AND r.last_seen_at >= ?) AS candidates
               ORDER BY load, last IS NOT NULL, last, uid""",
            (since, guild_id, sharer_id, since))
        return [r["uid"] for r in rows][:GROUP_RECIPIENTS]

    async def still_for(self, f: FollowUp, settings: guilds.GuildSettings) -> bool:
        """Whether the recipient is still the one to nudge about the subject: the partner may have
        changed, a circle been chosen or changed, the mode switched. (A /remember reminder is always
        its author's; consent and membership are checked apart.)"""
        if settings.mode == "partner":
            return {f.recipient_id, f.subject_id} == _couple(settings)
        circle = await self.circle(settings.guild_id, f.subject_id)
        return f.recipient_id in circle if circle else True

    async def recipients_changed(self, guild_id: int, subject_id: int | None = None) -> int:
        """Cancel the planned nudges (about `subject_id`, or anyone) whose recipient is no longer the
        one to nudge (see `still_for`)."""
        settings = await guilds.get(self.db, guild_id)
        if settings is None:
            return 0
        rows = await self.db.fetchall(
            """SELECT * FROM followups WHERE guild_id = ? AND status = 'planned' AND recipient_id <> subject_id
               AND subject_id = COALESCE(?, subject_id)
               AND (share_id IS NULL OR share_id NOT IN (SELECT id FROM shares WHERE source = 'note'))""",
            (guild_id, subject_id))
        stale = [f.id for f in map(_followup, rows) if not await self.still_for(f, settings)]
        for fid in stale:
            await self.cancel("id = ?", (fid,))
        if stale:
            log.info("guild %s: %d planned nudges cancelled: their recipients changed", guild_id, len(stale))
        return len(stale)

    async def _accepts(self, guild_id: int, mode: str, server_tz: str, user_id: int) -> members.MemberSettings | None:
        """The recipient's settings if they accept check-in DMs and can be reached, else None."""
        choice = await members.get(self.db, guild_id, user_id, mode, server_tz)
        if not choice.receive_checkins:
            return None
        row = await self.db.fetchone("SELECT unreachable_at FROM dm_channels WHERE user_id = ?", (user_id,))
        if row is not None and row["unreachable_at"]:
            return None
        return choice

    # -- when ------------------------------------------------------------------------------------
    def after_quiet_hours(self, recipient: members.MemberSettings, when: datetime) -> datetime:
        """`when`, or the end of the recipient's quiet hours if it falls inside them."""
        tz = zone(recipient.timezone)
        local = when.astimezone(tz)
        if not in_quiet_hours(local.time(), recipient.quiet_start, recipient.quiet_end):
            return when
        day = local.date() if local.time() < recipient.quiet_end else local.date() + timedelta(days=1)
        return at_local(day, recipient.quiet_end, tz)

    async def allowed_time(self, recipient: members.MemberSettings, wanted: datetime, exclude: int | None = None) -> datetime:
        """`wanted`, moved out of quiet hours and past the daily cap (spread), never earlier than now."""
        tz = zone(recipient.timezone)
        due = max(wanted, self.clock.now())
        moved = False
        for _ in range(400):  # a year of days at most; each pass moves forward
            later = self.after_quiet_hours(recipient, due)
            if later != due:
                due = later
                continue
            local = due.astimezone(tz)
            day_start = at_local(local.date(), time(0), tz)
            day_end = at_local(local.date() + timedelta(days=1), time(0), tz)
            rows = await self.db.fetchall(
                """SELECT due_at FROM followups WHERE recipient_id = ? AND status IN ('planned', 'sent')
                   AND due_at >= ? AND due_at < ? AND id IS NOT ?""",
                (recipient.user_id, to_db(day_start), to_db(day_end), exclude))
            dues = [from_db(r["due_at"]) for r in rows]
            if len(dues) >= DAILY_CAP:
                due, moved = max(max(dues) + SPREAD, at_local(local.date() + timedelta(days=1), recipient.quiet_end, tz)), True
                continue
            near = [d for d in dues if abs(d - due) < SPREAD]
            if moved and near:  # moved by the cap: keep it apart from the others that day
                due = max(near) + SPREAD
                continue
            return due
        return due

    # -- planning --------------------------------------------------------------------------------
    async def plan_share(self, share: Share) -> list[FollowUp]:
        """Plan the nudges a share deserves (none if it doesn't, or without consent)."""
        settings = await guilds.get(self.db, share.guild_id)
        if settings is None or settings.removed_at:
            return []
        sharer = await members.get(self.db, share.guild_id, share.author_id, settings.mode, settings.timezone)
        moment = moments.read_share(share.text, share.created_at or self.clock.now(), sharer.timezone,
                                    date_always=share.check_in or share.source == "note")
        if share.source == "note":
            recipients, subject = [share.author_id], share.subject_id
        else:
            consented = share.check_in or (sharer.allow_followups and share.visibility == "group")
            if not consented or not (moment.follow_up or share.check_in) or share.held:
                return []
            recipients, subject = await self.recipients(settings, share.author_id), share.author_id
        if not (moment.follow_up or share.check_in or share.source == "note"):
            return []
        planned = []
        for recipient_id in recipients:
            recipient = await self._accepts(share.guild_id, settings.mode, settings.timezone, recipient_id) \
                if share.source != "note" else await members.get(self.db, share.guild_id, recipient_id, settings.mode,
                                                                 settings.timezone)
            if recipient is None:
                continue
            if moment.event_date is not None:
                wanted = at_local(moment.event_date + timedelta(days=1), EVENING, zone(recipient.timezone))
            else:
                wanted = (share.created_at or self.clock.now()) + UNDATED_DELAY
            if share.visibility == "private" and share.source != "note":
                # The sharer asked for a check-in but keeps their words: nothing read from them is kept
                # on the nudge (it shows in the DM and /checkins), only the time it was due.
                created = await self._insert(share.guild_id, recipient, subject, "asked for a check-in", None, None,
                                             None, wanted, share_id=share.id)
            else:
                reason = moment.reason if moment.follow_up else "asked for a check-in"
                created = await self._insert(share.guild_id, recipient, subject, reason, moment.topic,
                                             moment.event_date, moment.event_time, wanted, share_id=share.id)
            if created:
                planned.append(created)
        return planned

    async def plan_signal(self, signal_id: int) -> list[FollowUp]:
        row = await self.db.fetchone("SELECT * FROM signals WHERE id = ?", (signal_id,))
        settings = await guilds.get(self.db, row["guild_id"]) if row else None
        if row is None or settings is None or settings.removed_at:
            return []
        reason = "could use some support" if row["emoji"] == "🫂" else "would like to talk"
        planned = []
        for recipient_id in await self.recipients(settings, row["user_id"]):
            recipient = await self._accepts(row["guild_id"], settings.mode, settings.timezone, recipient_id)
            if recipient is None:
                continue
            created = await self._insert(row["guild_id"], recipient, row["user_id"], reason, None, None, None,
                                         from_db(row["created_at"]) + SIGNAL_DELAY, signal_id=signal_id)
            if created:
                planned.append(created)
        return planned

    async def _insert(self, guild_id: int, recipient: members.MemberSettings, subject_id: int, reason: str,
                      topic: str | None, event_date: date | None, event_time: time | None, wanted: datetime, *,
                      share_id: int | None = None, signal_id: int | None = None) -> FollowUp | None:
        due = await self.allowed_time(recipient, wanted)
        now = to_db(self.clock.now())
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                """INSERT OR IGNORE INTO followups (guild_id, recipient_id, subject_id, share_id, signal_id, reason, topic,
                       event_date, event_time, due_at, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                (guild_id, recipient.user_id, subject_id, share_id, signal_id, reason[:200], topic,
                 event_date.isoformat() if event_date else None, f"{event_time:%H:%M}" if event_time else None,
                 to_db(due), now, now))
            row = await cur.fetchone()
        if row is None:
            return None  # planned already for this share and recipient
        followup = _followup(row)
        await self.queue.schedule(KIND, job_key(followup.id, 0), due, guild_id, {"followup_id": followup.id})
        if self.on_scheduled:
            self.on_scheduled(due)
        log.info("guild %s: follow-up %s planned for %s about %s at %s", guild_id, followup.id, recipient.user_id,
                 subject_id, to_db(due))
        return followup

    # -- changes ---------------------------------------------------------------------------------
    async def cancel(self, where: str, params: tuple) -> int:
        """Cancel planned follow-ups matching `where` and their pending jobs."""
        rows = await self.db.fetchall(f"SELECT id, round FROM followups WHERE status = 'planned' AND ({where})", params)
        if not rows:
            return 0
        now = to_db(self.clock.now())
        async with self.db.transaction() as conn:
            for row in rows:
                await conn.execute("UPDATE followups SET status = 'cancelled', updated_at = ? WHERE id = ?", (now, row["id"]))
                await conn.execute("UPDATE jobs SET status = 'cancelled', updated_at = ? WHERE dedupe_key = ? AND status = 'pending'",
                                   (now, job_key(row["id"], row["round"])))
        return len(rows)

    async def replan_share(self, share: Share | None, share_id: int) -> list[FollowUp]:
        """The share was edited (or deleted, share None): its planned nudges follow."""
        await self.cancel("share_id = ?", (share_id,))
        await self.db.execute("DELETE FROM followups WHERE share_id = ? AND status = 'cancelled'", (share_id,))
        return await self.plan_share(share) if share is not None else []

    async def consent_withdrawn(self, guild_id: int, user_id: int, *, followups_about: bool = False,
                                checkins_to: bool = False) -> int:
        """Consent changes take effect at once: no more follow-ups about the member, or no more check-in
        DMs to them, cancels what was planned. A member's own /remember reminders stay theirs."""
        not_note = "(share_id IS NULL OR share_id NOT IN (SELECT id FROM shares WHERE source = 'note'))"
        cancelled = 0
        if followups_about:
            cancelled += await self.cancel(f"guild_id = ? AND subject_id = ? AND recipient_id <> subject_id AND {not_note}",
                                           (guild_id, user_id))
        if checkins_to:
            cancelled += await self.cancel(f"guild_id = ? AND recipient_id = ? AND {not_note}", (guild_id, user_id))
        return cancelled

    async def member_left(self, guild_id: int, user_id: int) -> int:
        return await self.cancel("guild_id = ? AND (recipient_id = ? OR subject_id = ?)", (guild_id, user_id, user_id))

    async def engaged_with_message(self, message_id: int, user_id: int) -> None:
        """The member reacted or replied to a message showing a share: their nudge about it says so."""
        await self.db.execute(
            """UPDATE followups SET engaged = 1 WHERE recipient_id = ? AND status = 'planned'
               AND share_id IN (SELECT id FROM shares WHERE posted_message_id = ? OR source_message_id = ?)""",
            (user_id, message_id, message_id))

    # -- circles ---------------------------------------------------------------------------------
    async def circle_add(self, guild_id: int, owner_id: int, member_id: int) -> None:
        if owner_id == member_id:
            raise UserError(_("Your circle is the people who look out for you; you're already you."))
        count = (await self.db.fetchone("SELECT COUNT(*) FROM circles WHERE guild_id = ? AND owner_id = ?",
                                        (guild_id, owner_id)))[0]
        if count >= 10:
            raise UserError(_("A circle holds up to 10 people. Remove someone first with `/circle remove`."))
        await self.db.execute("INSERT OR IGNORE INTO circles (guild_id, owner_id, member_id, created_at) VALUES (?, ?, ?, ?)",
                              (guild_id, owner_id, member_id, to_db(self.clock.now())))
        await self.recipients_changed(guild_id, owner_id)  # nudges planned for the opted-in pool now go nowhere

    async def circle_remove(self, guild_id: int, owner_id: int, member_id: int) -> bool:
        removed = bool(await self.db.execute("DELETE FROM circles WHERE guild_id = ? AND owner_id = ? AND member_id = ?",
                                             (guild_id, owner_id, member_id)))
        await self.recipients_changed(guild_id, owner_id)
        return removed

    async def circle(self, guild_id: int, owner_id: int) -> list[int]:
        rows = await self.db.fetchall("SELECT member_id FROM circles WHERE guild_id = ? AND owner_id = ? ORDER BY created_at",
                                      (guild_id, owner_id))
        return [r["member_id"] for r in rows]

    # -- reading ---------------------------------------------------------------------------------
    async def get(self, followup_id: int) -> FollowUp | None:
        row = await self.db.fetchone("SELECT * FROM followups WHERE id = ?", (followup_id,))
        return _followup(row) if row else None

    async def for_recipient(self, guild_id: int, user_id: int, limit: int = 15) -> list[FollowUp]:
        """Coming nudges first (soonest first), then recent ones (newest first)."""
        rows = await self.db.fetchall(
            """SELECT * FROM followups WHERE guild_id = ? AND recipient_id = ? AND status NOT IN ('cancelled')
               ORDER BY status <> 'planned', CASE WHEN status = 'planned' THEN due_at END, due_at DESC LIMIT ?""",
            (guild_id, user_id, limit))
        return [_followup(r) for r in rows]
