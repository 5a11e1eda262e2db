"""Answering the day's question: store the answer, then show, update or hide it in the thread.

With reveal = together (partner mode), a group-visible answer stays hidden until another member
has answered the same prompt; then every hidden answer is posted at once. An answer given alone
after the prompt's local day has ended is kept but never revealed, and the member is told so."""
from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from . import guilds, shares
from .clock import Clock
from .daily import Prompt
from .db import Database
from .localtime import end_of_local_day
from .followups import FollowUps
from .ports import AnswerCard, DiscordPort
from .scheduling import PermanentError, TransientError
from .shares import Share

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    share: Share
    replaced: bool
    message: str  # what to tell the member, ephemerally


class AnswerService:
    def __init__(self, db: Database, clock: Clock, port: DiscordPort, followups: FollowUps | None = None) -> None:
        self.db, self.clock, self.port, self.followups = db, clock, port, followups

    async def submit(self, prompt: Prompt, question: str, author_id: int, author_name: str,
                     author_avatar: str | None, raw: str, visibility: str) -> Outcome:
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
        outcome = await self._publish(prompt, question, author_name, author_avatar, share, previous, visibility, hold,
                                      settings, others)
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
                       settings, others) -> Outcome:
        verb = "updated" if previous else "saved"
        if visibility == "private":
            problem = await self._hide(prompt, share, previous)
            return Outcome(share, bool(previous), f"🔒 Your private answer is {verb}. Only you can see it.{problem}")
        if hold:
            problem = await self._hide(prompt, share, previous)
            if self.clock.now() >= end_of_local_day(prompt.local_date, settings.tz):
                text = (f"Your answer is {verb}, but that day is over and your partner didn't answer it, so it won't "
                        "be posted. It stays in your `/memories`.")
            else:
                text = (f"🤫 Your answer is {verb} and hidden until your partner answers too; then both appear "
                        "in the thread together.")
            return Outcome(share, bool(previous), text + problem)
        card = AnswerCard(author_name, author_avatar, share.text, question)
        problem = await self._show(prompt, share, previous, card)
        waiting = [s for s in others if s.held]
        for other in waiting:
            problem = problem or await self._show(prompt, other, None, AnswerCard(other.about_name or "Your partner",
                                                                                  None, other.text, question))
        if problem:  # saved, but not (all) shown: say only that
            return Outcome(share, bool(previous), f"💛 Your answer is {verb}.{problem}")
        revealed = " Your partner's answer was waiting and is posted now too." if waiting else ""
        return Outcome(share, bool(previous), f"💛 Your answer is {verb} and posted in the day's thread.{revealed}")

    async def _show(self, prompt: Prompt, share: Share, previous: Share | None, card: AnswerCard) -> str:
        """Post or edit the answer in the thread; returns a note for the member when that failed."""
        if prompt.thread_id is None:
            return " (The day's thread is missing, so it's only saved; an admin can check `/kindred status`.)"
        old_message = previous.posted_message_id if previous else None
        try:
            if old_message:
                try:
                    await self.port.edit_answer(prompt.thread_id, old_message, card)
                    return ""
                except PermanentError:
                    pass  # the old message is gone: post a new one
            message_id = await self.port.post_answer(prompt.thread_id, card)
        except (PermanentError, TransientError) as exc:
            log.warning("guild %s: answer %s not shown in thread %s: %s", share.guild_id, share.id, prompt.thread_id, exc)
            return f" I couldn't post it in the day's thread, though ({exc}). Your answer is safe; try again later."
        try:
            await shares.set_posted_message(self.db, share.id, message_id)
        except sqlite3.Error:
            return await self._take_back(prompt, share, message_id)
        return ""

    async def _take_back(self, prompt: Prompt, share: Share, message_id: int) -> str:
        """The card went out but the database refused to record it: unrecorded, it could never be
        hidden or erased again, so it comes down."""
        log.error("guild %s: answer %s posted as %s but not recorded; taking the post back", share.guild_id,
                  share.id, message_id)
        try:
            await self.port.delete_message(prompt.thread_id, message_id)
        except (PermanentError, TransientError) as exc:
            log.warning("guild %s: could not take back answer message %s: %s", share.guild_id, message_id, exc)
            link = f"https://discord.com/channels/{share.guild_id}/{prompt.thread_id}/{message_id}"
            return (" Kindred's memory stopped accepting changes just after posting it in the thread, and I couldn't "
                    f"take that post back: please delete it yourself ({link}), then answer again in a minute.")
        return (" Kindred's memory stopped accepting changes just after posting it in the thread, so I took the post "
                "back. Answer again in a minute to post it.")

    async def _hide(self, prompt: Prompt, share: Share, previous: Share | None) -> str:
        """Remove an earlier public version of this answer from the thread."""
        old_message = previous.posted_message_id if previous else None
        if not old_message or prompt.thread_id is None:
            return ""
        try:
            await self.port.delete_message(prompt.thread_id, old_message)
        except (PermanentError, TransientError) as exc:
            log.warning("guild %s: could not remove answer message %s: %s", share.guild_id, old_message, exc)
            return f" I couldn't remove your earlier public answer from the thread ({exc}); delete it there or try again."
        await self.db.execute("UPDATE shares SET posted_message_id = NULL WHERE id = ?", (share.id,))
        return ""
