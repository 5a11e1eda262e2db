"""Members can see, export and erase what Kindred holds about them in one server.

`USER_COLUMNS` names every (table, column) that holds a member's id; a test checks it against the
schema so a new table can't be forgotten here. Notes other members wrote about someone (/remember)
are exported only as a count with dates: their words belong to their authors, who wrote them as
private notes, but the member learns they exist and `/forget` erases them."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from . import guilds, members
from .clock import Clock
from .storage import Database, to_db
from .ports import DiscordPort
from .errors import UserError
from .i18n import _
from .nudges import find_unheard_dm
from .scheduling import PermanentError, TransientError

log = logging.getLogger(__name__)

# (table, column) -> how export and forget treat it.
USER_COLUMNS = {
    ("shares", "author_id"): "shares they wrote (answers, shares, notes about others): exported, erased",
    ("shares", "subject_id"): "notes others wrote about them: counted in the export, erased",
    ("reactions", "user_id"): "their reactions to daily questions: exported, erased",
    ("signals", "user_id"): "their 'reached out' signals: exported, erased",
    ("member_settings", "user_id"): "their privacy choices: exported, erased",
    ("dm_drafts", "user_id"): "DM shares not yet filed under a server: exported, erased",
    ("questions", "author_id"): "questions they added or suggested: exported; the server keeps the question, "
                                "without their name",
    ("followups", "recipient_id"): "nudges to them: exported, erased",
    ("followups", "subject_id"): "nudges about them: exported without who received them, erased",
    ("circles", "owner_id"): "the circle they chose: exported, erased",
    ("circles", "member_id"): "circles they are in: exported as a count, erased",
    ("dm_channels", "user_id"): "their DM channel id and whether DMs reach them: exported; not per server, so "
                                "kept by a per-server /forget",
    ("nudge_dms", "recipient_id"): "check-in DMs Kindred sent them: counted in the export, erased",
    ("nudge_dms", "subject_id"): "check-in DMs to others about them: counted in the export; /forget deletes the "
                                 "DMs and the record",
    ("roster", "user_id"): "that Kindred knows them in this server, how, and when it last saw them: exported, erased",
    ("guilds", "partner_id"): "named as the partner in partner mode: exported, cleared",
    ("guilds", "setup_by"): "ran /kindred setup (one of the couple in partner mode): exported, cleared",
}


def _rows(rows) -> list[dict]:
    return [dict(r) for r in rows]


async def export(db: Database, clock: Clock, guild_id: int, user_id: int) -> dict:
    """Everything Kindred holds about the member in this server, as plain data."""
    settings = await guilds.get(db, guild_id)
    mode, tz = (settings.mode, settings.timezone) if settings else ("group", "UTC")
    choice = await members.get(db, guild_id, user_id, mode, tz)
    own = _rows(await db.fetchall(
        """SELECT s.id, s.source, s.text, s.visibility, s.check_in, s.held, s.created_at, s.updated_at, q.text AS question
           FROM shares s LEFT JOIN prompts p ON p.id = s.prompt_id LEFT JOIN questions q ON q.id = p.question_id
           WHERE s.guild_id = ? AND s.author_id = ? AND s.subject_id IS NULL ORDER BY s.id""", (guild_id, user_id)))
    notes = _rows(await db.fetchall(
        "SELECT id, subject_id AS about_user_id, text, created_at FROM shares "
        "WHERE guild_id = ? AND author_id = ? AND subject_id IS NOT NULL ORDER BY id", (guild_id, user_id)))
    about = await db.fetchall("SELECT created_at FROM shares WHERE guild_id = ? AND subject_id = ? ORDER BY id",
                              (guild_id, user_id))
    reactions = _rows(await db.fetchall(
        """SELECT r.emoji, r.created_at, p.local_date AS question_date FROM reactions r JOIN prompts p ON p.id = r.prompt_id
           WHERE r.guild_id = ? AND r.user_id = ? ORDER BY r.created_at""", (guild_id, user_id)))
    signals = _rows(await db.fetchall(
        "SELECT emoji, created_at, handled_at FROM signals WHERE guild_id = ? AND user_id = ? ORDER BY id",
        (guild_id, user_id)))
    questions = _rows(await db.fetchall(
        "SELECT id, text, category, status, created_at FROM questions WHERE guild_id = ? AND author_id = ? ORDER BY id",
        (guild_id, user_id)))
    drafts = _rows(await db.fetchall("SELECT text, created_at FROM dm_drafts WHERE user_id = ? ORDER BY id", (user_id,)))
    return {
        "about": {"server_id": str(guild_id), "user_id": str(user_id), "exported_at": to_db(clock.now()),
                  "note": "Everything Kindred keeps about you in this server. Times are UTC."},
        "settings": {"default_visibility": choice.default_visibility, "allow_followups": choice.allow_followups,
                     "receive_checkins": choice.receive_checkins, "timezone": choice.timezone,
                     "quiet_hours": f"{choice.quiet_start:%H:%M}-{choice.quiet_end:%H:%M}",
                     "chosen_by_you": choice.customised},
        "shares": own,
        "notes_you_wrote": notes,
        "notes_about_you": {
            "count": len(about), "dates": [r["created_at"] for r in about],
            "explanation": "Other members keep private notes (with /remember) to remember to check in on you. "
                           "Their words and names stay private to them; /forget erases these notes.",
        },
        "reactions": reactions,
        "reached_out": signals,
        "questions_you_wrote": questions,
        "dm_shares_not_filed": drafts,
        "follow_ups": {
            "to_you": _rows(await db.fetchall(
                "SELECT id, subject_id AS about_user_id, reason, event_date, due_at, status FROM followups "
                "WHERE guild_id = ? AND recipient_id = ? ORDER BY id", (guild_id, user_id))),
            "about_you": _rows(await db.fetchall(
                "SELECT reason, event_date, due_at, status FROM followups WHERE guild_id = ? AND subject_id = ? "
                "AND recipient_id <> subject_id AND (share_id IS NULL OR share_id NOT IN "
                "(SELECT id FROM shares WHERE source = 'note')) ORDER BY id", (guild_id, user_id))),
            "reminders_others_set_about_you": (await db.fetchone(
                "SELECT COUNT(*) FROM followups WHERE guild_id = ? AND subject_id = ? AND share_id IN "
                "(SELECT id FROM shares WHERE source = 'note')", (guild_id, user_id)))[0],
        },
        "your_circle": [r["member_id"] for r in await db.fetchall(
            "SELECT member_id FROM circles WHERE guild_id = ? AND owner_id = ? ORDER BY created_at", (guild_id, user_id))],
        "circles_you_are_in": (await db.fetchone("SELECT COUNT(*) FROM circles WHERE guild_id = ? AND member_id = ?",
                                                 (guild_id, user_id)))[0],
        "direct_messages": _rows(await db.fetchall(
            "SELECT channel_id, unreachable_at, introduced_at FROM dm_channels WHERE user_id = ?", (user_id,))),
        "check_in_dms": {
            "sent_to_you": (await db.fetchone("SELECT COUNT(DISTINCT message_id) FROM nudge_dms WHERE guild_id = ? "
                                              "AND recipient_id = ?", (guild_id, user_id)))[0],
            "sent_to_others_about_you": (await db.fetchone(
                "SELECT COUNT(DISTINCT message_id) FROM nudge_dms WHERE guild_id = ? AND subject_id = ? "
                "AND recipient_id <> subject_id", (guild_id, user_id)))[0],
        },
        "roster": _rows(await db.fetchall(
            "SELECT how, last_via, display_name, locale, first_seen_at, last_seen_at, left_at FROM roster "
            "WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))),
        "partner_mode": {"named_as_partner": bool(settings and settings.partner_id == user_id),
                         "set_up_kindred": bool(settings and settings.setup_by == user_id)},
    }


def export_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


@dataclass
class Erased:
    counts: dict[str, int] = field(default_factory=dict)
    deleted_messages: int = 0   # their answers Kindred posted in threads
    deleted_dms: int = 0        # check-in DMs to other members about them
    deleted_notices: int = 0    # notices of their question suggestions in the Kindred channel
    undeleted_messages: list[str] = field(default_factory=list)  # links, for the member to delete by hand
    retrying: int = 0           # Discord didn't answer: housekeeping deletes them later (pending_deletions)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def thread_messages(db: Database, guild_id: int, user_id: int) -> list[tuple[int, int]]:
    """The bot's own thread messages that show this member's answers."""
    rows = await db.fetchall(
        """SELECT p.thread_id, s.posted_message_id FROM shares s JOIN prompts p ON p.id = s.prompt_id
           WHERE s.guild_id = ? AND s.author_id = ? AND s.posted_message_id IS NOT NULL AND p.thread_id IS NOT NULL""",
        (guild_id, user_id))
    return [(r[0], r[1]) for r in rows]


async def _delete_messages(db: Database, port: DiscordPort, guild_id: int, messages: list[tuple[int, int]], what: str,
                           erased: "Erased") -> int:
    """Delete Kindred's own messages. One Discord didn't answer about is queued for housekeeping to
    delete later (`retry_deletions`); one it refused leaves a link, for the member to have it removed."""
    deleted = 0
    for channel_id, message_id in messages:
        try:
            await port.delete_message(channel_id, message_id)
            deleted += 1
        except TransientError as exc:
            await db.execute("INSERT OR IGNORE INTO pending_deletions (message_id, channel_id, what) VALUES (?, ?, ?)",
                             (message_id, channel_id, what))
            erased.retrying += 1
            log.warning("guild %s: could not delete %s message %s yet (%s); housekeeping tries again", guild_id, what,
                        message_id, exc)
        except PermanentError as exc:
            erased.undeleted_messages.append(f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}")
            log.warning("guild %s: could not delete %s message %s: %s", guild_id, what, message_id, exc)
    return deleted


async def retry_deletions(db: Database, port: DiscordPort, limit: int = 100) -> int:
    """The messages /forget queued because Discord didn't answer, tried again (the least tried first,
    `limit` a run, until one still gets no answer): each leaves the queue once deleted or once Discord
    refuses it for good. Returns how many left it."""
    rows = await db.fetchall(
        "SELECT message_id, channel_id, what FROM pending_deletions ORDER BY attempts, message_id LIMIT ?", (limit,))
    settled = 0
    for message_id, channel_id, what in rows:
        try:
            await port.delete_message(channel_id, message_id)
        except TransientError:  # Discord still doesn't answer: the rest wait for the next run, not a timeout each
            await db.execute("UPDATE pending_deletions SET attempts = attempts + 1 WHERE message_id = ?", (message_id,))
            break
        except PermanentError as exc:
            log.warning("could not delete %s message %s, now or later: %s", what, message_id, exc)
        await db.execute("DELETE FROM pending_deletions WHERE message_id = ?", (message_id,))
        settled += 1
    return settled


async def _unheard_dms(db: Database, port: DiscordPort, guild_id: int, user_id: int) -> list[tuple[int, int]]:
    """Check-in DMs about the member that went out without Kindred hearing back (`followups.dm_lead`,
    not yet in nudge_dms): each is looked for among the recipient's newest messages, as the nudge's
    next attempt would (one request per DM)."""
    rows = await db.fetchall(
        """SELECT DISTINCT f.dm_lead, c.channel_id FROM followups f JOIN dm_channels c ON c.user_id = f.recipient_id
           WHERE f.guild_id = ? AND f.subject_id = ? AND f.recipient_id <> f.subject_id AND f.dm_lead IS NOT NULL
             AND c.channel_id IS NOT NULL""",
        (guild_id, user_id))
    found = []
    for lead, channel_id in rows:
        try:
            message_id = await find_unheard_dm(db, port, channel_id, lead)
        except TransientError as exc:  # erasing now would lose the only trace of that DM: nothing is erased
            raise UserError(_("Discord didn't answer while I looked for a check-in DM about you that was just going "
                              "out, so nothing was erased yet. Please run `/forget` again in a few minutes.")) from exc
        if message_id is not None:
            found.append((channel_id, message_id))
    return found


async def forget(db: Database, port: DiscordPort, guild_id: int, user_id: int) -> Erased:
    """Delete Kindred's messages that show the member (their answers in threads, check-in DMs to
    others about them, the notices of their suggestions), then erase everything about them in this
    server in one transaction, then checkpoint so the words are gone from disk too; returns counts."""
    erased = Erased()
    unheard = await _unheard_dms(db, port, guild_id, user_id)  # first: it may stop the erasure before anything goes
    erased.deleted_messages = await _delete_messages(db, port, guild_id, await thread_messages(db, guild_id, user_id),
                                                     "answer", erased)
    dms = await db.fetchall(
        """SELECT DISTINCT channel_id, message_id FROM nudge_dms WHERE guild_id = ? AND subject_id = ?
           AND recipient_id <> subject_id""", (guild_id, user_id))
    dms = [(r[0], r[1]) for r in dms] + unheard
    erased.deleted_dms = await _delete_messages(db, port, guild_id, dms, "nudge DM", erased)
    notices = await db.fetchall(
        "SELECT notice_channel_id, notice_message_id FROM questions WHERE guild_id = ? AND author_id = ? "
        "AND notice_message_id IS NOT NULL", (guild_id, user_id))
    erased.deleted_notices = await _delete_messages(db, port, guild_id, [(r[0], r[1]) for r in notices], "suggestion notice",
                                                    erased)
    nudges = "SELECT id FROM followups WHERE guild_id = ? AND (recipient_id = ? OR subject_id = ?)"
    statements = {  # nudges and their deliveries first: deleting shares would delete the nudges on them
        "nudge deliveries": (f"DELETE FROM jobs WHERE kind = 'followup' AND CAST(json_extract(payload, '$.followup_id') "
                             f"AS INTEGER) IN ({nudges})", (guild_id, user_id, user_id)),
        "nudges to and about you": ("DELETE FROM followups WHERE guild_id = ? AND (recipient_id = ? OR subject_id = ?)",
                                    (guild_id, user_id, user_id)),
        "record of check-in DMs to and about you": (
            "DELETE FROM nudge_dms WHERE guild_id = ? AND (recipient_id = ? OR subject_id = ?)", (guild_id, user_id, user_id)),
        "answers and shares": ("DELETE FROM shares WHERE guild_id = ? AND author_id = ? AND subject_id IS NULL", (guild_id, user_id)),
        "notes you wrote": ("DELETE FROM shares WHERE guild_id = ? AND author_id = ? AND subject_id IS NOT NULL", (guild_id, user_id)),
        "notes about you": ("DELETE FROM shares WHERE guild_id = ? AND subject_id = ?", (guild_id, user_id)),
        "reactions": ("DELETE FROM reactions WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        "reached-out signals": ("DELETE FROM signals WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        "privacy settings": ("DELETE FROM member_settings WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        "unfiled DM shares": ("DELETE FROM dm_drafts WHERE user_id = ?", (user_id,)),
        "questions (name removed)": ("UPDATE questions SET author_id = NULL, notice_channel_id = NULL, "
                                     "notice_message_id = NULL WHERE guild_id = ? AND author_id = ?", (guild_id, user_id)),
        "circle entries": ("DELETE FROM circles WHERE guild_id = ? AND (owner_id = ? OR member_id = ?)", (guild_id, user_id, user_id)),
        "what Kindred knew of you being here": ("DELETE FROM roster WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)),
        "named as the partner": ("UPDATE guilds SET partner_id = NULL WHERE guild_id = ? AND partner_id = ?", (guild_id, user_id)),
        "who set Kindred up": ("UPDATE guilds SET setup_by = NULL WHERE guild_id = ? AND setup_by = ?", (guild_id, user_id)),
    }
    async with db.transaction() as conn:
        for label, (sql, params) in statements.items():
            cur = await conn.execute(sql, params)
            erased.counts[label] = cur.rowcount
    await db.erase_checkpoint()
    return erased
