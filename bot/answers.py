"""Answering the day's question: store the answer, then show, update or hide it in the thread.

With reveal = together (partner mode), a group-visible answer stays hidden until another member
has answered the same prompt; then every hidden answer is posted at once. An answer given alone
after the prompt's local day has ended is kept but never revealed, and the member is told so.

The day's thread is opened when its first answer is shown. When Discord refuses (a permission
missing, an outage), the answer is kept, the member is told it isn't in the thread yet, and a
`thread` job keeps trying until the thread is open and every waiting answer is shown."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from . import guilds, i18n, questions, shares
from .clock import Clock
from .daily import Prompt
from .storage import DRIVER_ERRORS, Database
from .localtime import end_of_local_day
from .followups import FollowUps
from .i18n import Day, Text, _
from .ports import AnswerCard, DiscordPort
from .problems import readable_problem
from .scheduling import MAX_BACKOFF_SECONDS, Job, JobQueue, Obsolete, PermanentError, TransientError, backoff
from .shares import Share

log = logging.getLogger(__name__)
THREAD_KIND = "thread"
THREAD_RELEVANCE = timedelta(days=7)  # how long Kindred keeps trying to open a day's thread


def thread_key(prompt_id: int, share_id: int) -> str:
    """One per answer that couldn't be shown; whichever runs first shows them all."""
    return f"thread:{prompt_id}:{share_id}"


@dataclass(frozen=True)
class Outcome:
    share: Share
    replaced: bool
    message: str  # what to tell the member, ephemerally, in the language they asked in


class AnswerService:
    def __init__(self, db: Database, clock: Clock, port: DiscordPort, followups: FollowUps | None = None,
                 queue: JobQueue | None = None) -> None:
        self.db, self.clock, self.port, self.followups = db, clock, port, followups
        self.queue = queue or JobQueue(db, clock)

    async def submit(self, prompt: Prompt, question: str, author_id: int, author_name: str,
                     author_avatar: str | None, raw: str, visibility: str, language: str = i18n.DEFAULT) -> Outcome:
        """Store the answer, show it (or hide it) in the thread in the server's language; the member is
        told what happened in `language`. `question` is the question's text in the server's language."""
        settings = await guilds.get(self.db, prompt.guild_id)
        couple = {settings.setup_by, settings.partner_id} if settings and settings.partner_id else None
        # Only the couple's answers wait for each other (and only the other of them reveals one).
        unlocks = couple is None or author_id in couple
        together = (visibility == "group" and settings is not None and settings.mode == "partner"
                    and settings.reveal == "together" and unlocks)
        day_end = end_of_local_day(prompt.local_date, settings.tz) if settings else None
        share, previous = await shares.save_answer(self.db, self.clock, prompt.guild_id, prompt.id, author_id, raw,
                                                   visibility, together=together, about_name=author_name,
                                                   day_end=day_end, unlocked_by=couple)
        hold = share.held
        # A held answer saved after the day ended was told it won't be posted: it never is.
        others = [s for s in await shares.answers_to(self.db, prompt.id)
                  if s.author_id != author_id and s.visibility == "group"
                  and not (s.held and (not unlocks or (day_end is not None and s.updated_at >= day_end)))]
        log.info("guild %s: %s answer %s to prompt %s by %s", share.guild_id, share.visibility, share.id, prompt.id,
                 author_id)
        share_, replaced, message = await self._publish(prompt, question, author_name, author_avatar, share, previous,
                                                        visibility, hold, settings, others)
        outcome = Outcome(share_, replaced, i18n.render(message, language))
        if self.followups is not None:
            try:  # after the answer is saved and shown: a failure here must not tell the member otherwise
                await self.followups.replan_share(await shares.get(self.db, share.id), share.id)
                for other in others:
                    if other.held:  # revealed now: its nudges can be planned
                        await self.followups.plan_share(await shares.get(self.db, other.id))
            except Exception:
                log.exception("guild %s: could not plan follow-ups for answer %s", share.guild_id, share.id)
        return outcome

    async def _publish(self, prompt, question, author_name, author_avatar, share, previous, visibility, hold,
                       settings, others) -> tuple[Share, bool, Text]:
        updated = bool(previous)
        if visibility == "private":
            problem = await self._hide(prompt, share, previous)
            text = (_("🔒 Your private answer is updated. Only you can see it.{problem}", problem=problem) if updated
                    else _("🔒 Your private answer is saved. Only you can see it.{problem}", problem=problem))
            return share, updated, text
        if hold:
            problem = await self._hide(prompt, share, previous)
            if self.clock.now() >= end_of_local_day(prompt.local_date, settings.tz):
                text = (_("Your answer is updated, but that day is over and your partner didn't answer it, so it won't "
                          "be posted. It stays in your `/memories`.{problem}", problem=problem) if updated else
                        _("Your answer is saved, but that day is over and your partner didn't answer it, so it won't "
                          "be posted. It stays in your `/memories`.{problem}", problem=problem))
            else:
                text = (_("🤫 Your answer is updated and hidden until your partner answers too; then both appear "
                          "in the thread together.{problem}", problem=problem) if updated else
                        _("🤫 Your answer is saved and hidden until your partner answers too; then both appear "
                          "in the thread together.{problem}", problem=problem))
            return share, updated, text
        language = settings.language if settings else i18n.DEFAULT
        card = AnswerCard(author_name, author_avatar, share.text, question, language)
        problem = await self._show(prompt, share, previous, card)
        waiting = [s for s in others if s.held]
        for other in waiting:
            partner = other.about_name or i18n.render(_("Your partner"), language)
            problem = problem or await self._show(prompt, other, None, AnswerCard(partner, None, other.text, question,
                                                                                  language))
        if problem:  # saved, but not (all) shown: say only that
            text = (_("💛 Your answer is updated.{problem}", problem=problem) if updated
                    else _("💛 Your answer is saved.{problem}", problem=problem))
            return share, updated, text
        revealed = _(" Your partner's answer was waiting and is posted now too.") if waiting else ""
        text = (_("💛 Your answer is updated and posted in the day's thread.{revealed}", revealed=revealed) if updated
                else _("💛 Your answer is saved and posted in the day's thread.{revealed}", revealed=revealed))
        return share, updated, text

    async def _show(self, prompt: Prompt, share: Share, previous: Share | None, card: AnswerCard) -> Text | str:
        """Post or edit the answer in the thread (opening the thread first if this is its first
        answer); returns a note for the member when that failed, and keeps trying (see `complete`)."""
        old_message = previous.posted_message_id if previous else None
        try:
            thread_id = await self.open_thread(prompt, card.language)
            if old_message:
                try:
                    await self.port.edit_answer(thread_id, old_message, card)
                    return ""
                except PermanentError:
                    pass  # the old message is gone: post a new one
            message_id = await self.port.post_answer(thread_id, card)
        except (PermanentError, TransientError) as exc:
            log.warning("guild %s: answer %s not shown yet on prompt %s: %s", share.guild_id, share.id, prompt.id, exc)
            await self._retry_later(prompt, share, str(exc))
            return _(" I couldn't put it in the day's thread yet ({problem}). It's safe, and I'll post it there as soon "
                     "as Discord lets me.", problem=readable_problem(str(exc)))
        try:
            await shares.set_posted_message(self.db, share.id, message_id)
        except DRIVER_ERRORS:
            return await self._take_back(thread_id, share, message_id)
        return ""

    async def open_thread(self, prompt: Prompt, language: str) -> int:
        """The day's thread, opened on the prompt when its first answer is shown; returns its id.
        Raises PermanentError or TransientError when Discord won't open it."""
        row = await self.db.fetchone("SELECT message_id, thread_id FROM prompts WHERE id = ?", (prompt.id,))
        if row["thread_id"] is not None:
            return row["thread_id"]
        if row["message_id"] is None:
            raise TransientError("the question itself isn't posted yet")
        name = i18n.render(_("Answers · {day}", day=Day(prompt.local_date, "short")), language)
        thread_id = await self.port.start_thread(prompt.channel_id, row["message_id"], name)
        await self.db.execute("UPDATE prompts SET thread_id = ? WHERE id = ?", (thread_id, prompt.id))
        log.info("guild %s: opened thread %s for prompt %s", prompt.guild_id, thread_id, prompt.id)
        return thread_id

    async def _take_back(self, thread_id: int, share: Share, message_id: int) -> Text:
        """The card went out but the database refused to record it: unrecorded, it could never be
        hidden or erased again, so it comes down."""
        log.error("guild %s: answer %s posted as %s but not recorded; taking the post back", share.guild_id,
                  share.id, message_id)
        try:
            await self.port.delete_message(thread_id, message_id)
        except (PermanentError, TransientError) as exc:
            log.warning("guild %s: could not take back answer message %s: %s", share.guild_id, message_id, exc)
            link = f"https://discord.com/channels/{share.guild_id}/{thread_id}/{message_id}"
            return _(" Kindred's memory stopped accepting changes just after posting it in the thread, and I couldn't "
                     "take that post back: please delete it yourself ({link}), then answer again in a minute.", link=link)
        return _(" Kindred's memory stopped accepting changes just after posting it in the thread, so I took the post "
                 "back. Answer again in a minute to post it.")

    # -- finishing a thread Discord refused earlier ------------------------------------------------
    async def _retry_later(self, prompt: Prompt, share: Share, error: str) -> None:
        now, key = self.clock.now(), thread_key(prompt.id, share.id)
        await self.queue.schedule(THREAD_KIND, key, now + backoff(1), prompt.guild_id, {"prompt_id": prompt.id},
                                  expires_at=now + THREAD_RELEVANCE)
        await self.db.execute("UPDATE jobs SET last_error = ? WHERE dedupe_key = ? AND status = 'pending'", (error, key))

    async def complete(self, job: Job) -> None:
        """The job handler: open the day's thread and post the answers waiting to be shown. A refusal
        (e.g. a permission missing) is retried every few minutes: fixing it is enough; `/kindred resume`
        makes it happen at once."""
        row = await self.db.fetchone("SELECT * FROM prompts WHERE id = ?", (job.payload["prompt_id"],))
        settings = await guilds.get(self.db, job.guild_id)
        if row is None or settings is None:
            raise Obsolete("the question or its server was erased")
        prompt = Prompt(row["id"], row["guild_id"], row["kind"], date.fromisoformat(row["local_date"]),
                        row["question_id"], row["channel_id"], row["message_id"], row["thread_id"])
        question = await questions.get(self.db, prompt.guild_id, prompt.question_id, settings.language)
        try:
            thread_id = await self.open_thread(prompt, settings.language)
            for share in await self._waiting(prompt.id):
                card = AnswerCard(share.about_name or i18n.render(_("Your partner"), settings.language), None,
                                  share.text, question.text, settings.language)
                message_id = await self.port.post_answer(thread_id, card)
                await shares.set_posted_message(self.db, share.id, message_id)
        except PermanentError as exc:  # may be fixed any time: look again in a while
            raise TransientError(str(exc), retry_after=MAX_BACKOFF_SECONDS) from exc

    async def _waiting(self, prompt_id: int) -> list[Share]:
        """Group-visible answers not in the thread yet (never one still held for a reveal)."""
        return [s for s in await shares.answers_to(self.db, prompt_id)
                if s.visibility == "group" and s.posted_message_id is None and not s.held]

    async def _hide(self, prompt: Prompt, share: Share, previous: Share | None) -> Text | str:
        """Remove an earlier public version of this answer from the thread."""
        old_message = previous.posted_message_id if previous else None
        row = await self.db.fetchone("SELECT thread_id FROM prompts WHERE id = ?", (prompt.id,))
        if not old_message or row["thread_id"] is None:
            return ""
        try:
            await self.port.delete_message(row["thread_id"], old_message)
        except (PermanentError, TransientError) as exc:
            log.warning("guild %s: could not remove answer message %s: %s", share.guild_id, old_message, exc)
            return _(" I couldn't remove your earlier public answer from the thread ({problem}); delete it there or try "
                     "again.", problem=readable_problem(str(exc)))
        await self.db.execute("UPDATE shares SET posted_message_id = NULL WHERE id = ?", (share.id,))
        return ""
