"""Discord errors that retrying can't fix, with what the admin should do; stored in English (for
logs and `channel_problem`), shown in the reader's language."""
from __future__ import annotations

import re

from .i18n import Text, _

PROBLEMS = {
    10003: _("the channel was deleted. Run `/kindred setup` with another channel."),
    10008: _("the message was deleted."),
    50001: _("Kindred can't see the channel (missing View Channel). Give Kindred access, then run `/kindred resume`."),
    50013: _("Kindred is missing a permission in the channel. `/kindred status` names it; fix it, then run `/kindred resume`."),
    50007: _("the member doesn't accept direct messages from Kindred."),
    50083: _("the thread is archived."),
}
_KNOWN = re.compile(r"^Discord said (\d+): ")


def readable_problem(stored: str | None) -> Text | str:
    """A stored problem ("Discord said 50013: ...") as a message, when Kindred knows the code."""
    found = _KNOWN.match(stored or "")
    if found and int(found[1]) in PROBLEMS:
        return _("Discord said {code}: {problem}", code=found[1], problem=PROBLEMS[int(found[1])])
    return stored or ""
