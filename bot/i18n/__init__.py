"""Kindred in the members' languages: gettext catalogs (Babel), which language to speak, dates.

`_("...", name=value)` marks a message and returns a `Text`, rendered later in a language with
`render(text, language)` (the domain never needs to know who reads it). Languages are `en` (the
source) plus one `locales/<code>.po` per language, named as Discord spells the locale or its
language (`de`, `es`, `pt-BR`); adding a language is adding its catalog (and `data/questions/<code>.json`).
`python -m bot.i18n update` re-extracts the strings and merges them into every catalog."""
from .languages import DEFAULT, available, babel_locale, match, native_name, resolve
from .text import Day, LanguageName, Listing, Number, Text, _, _n, render
from .dates import day_name, timestamp

__all__ = ["DEFAULT", "Day", "LanguageName", "Listing", "Number", "Text", "_", "_n", "available", "babel_locale", "day_name", "match",
           "native_name", "render", "resolve", "timestamp"]
