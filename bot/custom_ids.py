"""custom_id formats of persistent components (at most 100 characters; state rides inside)."""

ANSWER = r"kindred:answer:(?P<prompt_id>\d+):(?P<visibility>group|private)"
SUGGESTION = r"kindred:suggestion:(?P<question_id>\d+):(?P<decision>approve|reject)"


def answer(prompt_id: int, visibility: str) -> str:
    return f"kindred:answer:{prompt_id}:{visibility}"


def suggestion(question_id: int, decision: str) -> str:
    return f"kindred:suggestion:{question_id}:{decision}"
