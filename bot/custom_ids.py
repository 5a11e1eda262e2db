"""custom_id formats of persistent components (at most 100 characters; state rides inside)."""

ANSWER = r"kindred:answer:(?P<prompt_id>\d+):(?P<visibility>group|private)"
SIGNAL = r"kindred:signal:(?P<prompt_id>\d+):(?P<signal>resonates|news|support|talk)"
SUGGESTION = r"kindred:suggestion:(?P<question_id>\d+):(?P<decision>approve|reject)"


def answer(prompt_id: int, visibility: str) -> str:
    return f"kindred:answer:{prompt_id}:{visibility}"


def signal(prompt_id: int, name: str) -> str:
    """One of the four signal buttons on a daily question (see `ports.SIGNALS`)."""
    return f"kindred:signal:{prompt_id}:{name}"


def suggestion(question_id: int, decision: str) -> str:
    return f"kindred:suggestion:{question_id}:{decision}"

MEMORIES = r"kindred:memories:(?P<subject_id>\d+):(?P<page>\d+):(?P<direction>prev|next)"
DM_SHARE = r"kindred:dmshare:(?P<draft_id>\d+):(?P<guild_id>\d+)"
FORGET = r"kindred:forget:(?P<user_id>\d+):(?P<decision>yes|no)"


def memories(subject_id: int, page: int, direction: str) -> str:
    return f"kindred:memories:{subject_id}:{page}:{direction}"


def dm_share(draft_id: int, guild_id: int) -> str:
    return f"kindred:dmshare:{draft_id}:{guild_id}"


def forget(user_id: int, decision: str) -> str:
    return f"kindred:forget:{user_id}:{decision}"

FOLLOWUP = r"kindred:fu:(?P<followup_id>\d+):(?P<action>done|snooze|skip)"


def followup(followup_id: int, action: str) -> str:
    return f"kindred:fu:{followup_id}:{action}"

ANSWER_MODAL = r"kindred:answer-modal:(?P<prompt_id>\d+):(?P<visibility>group|private):(?P<user_id>\d+)"


def answer_modal(prompt_id: int, visibility: str, user_id: int) -> str:
    """Per member: discord.py keys open modals by custom_id alone."""
    return f"kindred:answer-modal:{prompt_id}:{visibility}:{user_id}"

STOP_CHECKINS = r"kindred:stop:(?P<guild_id>\d+):(?P<followup_id>\d+)"


def stop_checkins(guild_id: int, followup_id: int) -> str:
    """On the first nudge DM: check-in DMs from that server off (for whoever presses: it is their DM)."""
    return f"kindred:stop:{guild_id}:{followup_id}"
