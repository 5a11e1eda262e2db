"""The fast pre-filter: does a share hold anything a date could be made of (a digit, or a date
word of any of the five languages)? Most small talk doesn't, and is then read by the model alone:
no language detection and no date patterns. The words come from `date_words`, so the filter can't
miss what the resolver reads (a test holds it to that over the whole corpus).
"""
from __future__ import annotations

import re

from .date_words import HOLIDAYS, WEEKDAYS

# Words of the relative expressions, per language: every word a pattern can start from without a digit.
_RELATIVE = """
today tonight tonite 2nite 2day tomorrow tomorow tommorow tommorrow tmrw tmr tmw tmro 2moro 2morrow tomoz
yesterday yday afternoon evening arvo later weekend wknd wkend month days week weeks wks wk sleeps ago fortnight
manana mana mnn hoy noche tarde finde semana semanas fds dias ayer anoche antier anteayer hace
amanha amanh amnh hoje hj noite depois dps ontem anteontem fim daqui faz faltam falta
demain dmain dem1 2main apres aprem aujourd'hui aujourd auj ajd soir week-end mois jours
semaine semaines hier avant d'ici
morgen morgn morn ubermorgen uebermorgen ubermorn uebermorn heute heut hut hute abend wochenende monats
monatsende ende tagen tag woche wochen wuche gestern vorgestern seit letzte letzten letztes
last since desde depuis earlier pasado pasada passado passada annee l'annee dernier derniere
""".split()
# Short words that are common in other senses count only in the phrases a pattern reads them in
# ("mon" is French for "my", "dia" Portuguese for "day" in "bom dia").
_PHRASES = (r"(?:ce|le)\s+we|we\s+prochain|new\s+years?|il\s+y\s+a|tout\s+a\s+l'heure|day\s+after|dia\s+(?:de\s+reyes|dos\s+namorados)"
            r"|ha\s+(?:um|uma|dois|duas|tres|quatro|cinco|uns|umas|poucos|varios)|dans\s+\w+\s+(?:j|sem)(?![a-z])"
            r"|de(?:l)?\s+mes|do\s+mes|ano\s+pas|final(?:es)?\s+d|vor\s+(?:einer|einem|zwei|drei|vier|funf|ein|paar|wenigen)"
            r"|(?:on|this|next|coming|by|until|till|til|before|every|last|since|happy|a|the|my|your|our)\s+(?:mon|wed|sat|sun)"
            r"|(?:mon|wed|sat|sun)(?=\s+(?:night|morning|afternoon|evening|arvo|at|and|is|\d)|\s*(?:[,.!?]|$))"
            r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues?|thu(?:rs?)?|weds|fri")


def _words() -> list[str]:
    """Relative words, holidays' first words, and weekday names (short ones only in English: elsewhere
    they are read only next to a day of the month, which has a digit)."""
    words = set(_RELATIVE)
    for lang_words in HOLIDAYS.values():
        words.update(w.split()[0].split("-")[0] for w in lang_words)
    for lang, names in WEEKDAYS.items():
        if lang != "en":  # English ones are in _PHRASES
            words.update(w.split()[0].split("-")[0] for w in names if len(w) >= 4)
    return sorted(words, key=len, reverse=True)


_CUE = re.compile(r"\d|(?<![a-z])(?:" + _PHRASES + "|" + "|".join(re.escape(w) for w in _words()) + r")(?![a-z])")


def may_have_date(folded: str) -> bool:
    """False only when no date pattern of any language can match `folded`."""
    return _CUE.search(folded) is not None
