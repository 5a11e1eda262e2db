"""Messages that are rendered in a language later: `_("Hi {name}", name=...)`, `_n(one, many, n)`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from .catalogs import command_name, translation
from .languages import DEFAULT, babel_locale

# A quoted slash command ("`/privacy check_ins:true`") or option ("`private:true`"): catalogs keep
# them in the source's words; rendering puts them in the names the reader's client shows.
_COMMAND = re.compile(r"`(/[^`\n]+|[a-z_]+:[^`\n]*)`")


@dataclass(frozen=True)
class Text:
    """A catalog message with its placeholders' values (which may be Texts themselves)."""
    msgid: str
    params: dict = field(default_factory=dict)
    plural: str | None = None
    n: int = 1

    def render(self, language: str, commands: str | None = None) -> str:
        """The message in `language`; quoted commands in the names Discord shows a client in `commands`
        (when the reader's client language is known: a Japanese client in a German server reads German
        text and sees the English command names), else in `language`."""
        t = translation(language)
        message = t.ngettext(self.msgid, self.plural, self.n) if self.plural else t.gettext(self.msgid)
        names = language if commands is None else commands
        if names != DEFAULT and "`" in message:
            message = _COMMAND.sub(lambda m: _command(m[1], names), message)
        if not self.params:
            return message
        return message.format(**{k: render(v, language, commands) for k, v in self.params.items()})

    def __str__(self) -> str:  # logs and `str(UserError)` read English
        return self.render(DEFAULT)


def _command(quoted: str, language: str) -> str:
    """A quoted command or option in the names Discord shows a member whose client speaks `language`
    ("`/privacy check_ins:true`" is "`/privatsphäre hinweise:true`" in German); options keep their values."""
    slash = quoted[:1] == "/"
    parts = []
    for part in quoted[slash:].split(" ") if slash else [quoted]:
        name, colon, value = part.partition(":")
        parts.append((command_name(name, language) or name) + colon + value)
    return "`" + "/" * slash + " ".join(parts) + "`"


@dataclass(frozen=True)
class Number:
    """A count shown with the reader's digit grouping (2,000 / 2.000 / 2 000)."""
    value: int

    def render(self, language: str) -> str:
        return format_decimal(self.value, locale=babel_locale(language))


SKELETONS = {"short": "MMMEd", "year": "yMMMEd"}


@dataclass(frozen=True)
class Day:
    """A date as the reader's language writes it (CLDR, through Babel): `weekday` "Friday" / "viernes",
    `short` "Fri, Dec 4" / "vie, 4 dic", `year` "Fri, Dec 4, 2026", `full` "Friday, December 4, 2026",
    or a Babel pattern ("EEE dd MMM": "Fri 04 Dec" / "vie 04 dic")."""
    value: date
    form: str = "weekday"

    def render(self, language: str) -> str:
        locale = babel_locale(language)
        if self.form == "weekday":
            return format_date(self.value, "EEEE", locale=locale)
        if self.form == "full":
            return format_date(self.value, "full", locale=locale)
        if self.form in SKELETONS:
            return format_skeleton(SKELETONS[self.form], self.value, locale=locale)
        return format_date(self.value, self.form, locale=locale)  # a Babel pattern, e.g. "EEE dd MMM"


@dataclass(frozen=True)
class Listing:
    """Several messages joined with commas, each in the reader's language."""
    items: tuple

    def render(self, language: str) -> str:
        return ", ".join(render(item, language) for item in self.items)


@dataclass(frozen=True)
class LanguageName:
    """A language's name in the reader's language ("German", "alemán", "Deutsch")."""
    code: str

    def render(self, language: str) -> str:
        return babel_locale(self.code).get_display_name(babel_locale(language))


def _(msgid: str, **params: object) -> Text:
    return Text(msgid, params)


def _n(singular: str, plural: str, n: int, **params: object) -> Text:
    """Plural forms by the reader's rules; `{n}` is available in both forms."""
    return Text(singular, {"n": n, **params}, plural, n)


def render(value: object, language: str, commands: str | None = None) -> str:
    """A Text, Number or Day in `language` (`commands`: see `Text.render`); anything else as it is."""
    if isinstance(value, Text):
        return value.render(language, commands)
    if hasattr(value, "render"):
        return value.render(language)
    return "" if value is None else str(value)
