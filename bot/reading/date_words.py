"""The words of dates in each language, folded (lower case, no accents): what `dates` reads.

Each language gives regular-expression pieces; `dates` joins them into one pattern per language.
Group names say what a piece means: `tomorrow`, `after` (the day after tomorrow), `today`,
`weekend`, `nweekend` (next weekend), `eom` (end of the month), `n` with `days`/`weeks` (in N days
or weeks), `wd` (a weekday) with `pastwd` (last Thursday), `dom` (a day of the month) with `month`,
and `past` (yesterday, last week, three days ago: a past time, never an event ahead).
"""
from __future__ import annotations

NUMBERS = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2, "a couple": 2, "a couple of": 2},
    "es": {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15},
    "pt": {"um": 1, "uma": 1, "dois": 2, "duas": 2, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
           "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "quinze": 15},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15},
    "de": {"ein": 1, "eine": 1, "einem": 1, "einer": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
           "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12,
           "zwoelf": 12, "vierzehn": 14,
           "eis": 1, "eire": 1, "ere": 1, "zwoi": 2, "dru": 3, "foif": 5, "sachs": 6, "sibe": 7, "nun": 9, "zah": 10},
}

WEEKDAYS = {
    "en": {"monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2, "wed": 2,
           "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "thurs.": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
           "sunday": 6, "sun": 6},
    "es": {"lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6},
    "pt": {"segunda": 0, "segunda-feira": 0, "segunda feira": 0, "terca": 1, "terca-feira": 1, "terca feira": 1,
           "quarta": 2, "quarta-feira": 2, "quarta feira": 2, "quinta": 3, "quinta-feira": 3, "quinta feira": 3,
           "sexta": 4, "sexta-feira": 4, "sexta feira": 4, "sabado": 5, "sab": 5, "domingo": 6, "dom": 6,
           "seg": 0, "ter": 1, "qua": 2, "qui": 3, "sex": 4},
    "fr": {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6},
    "de": {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
           "sonntag": 6, "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6,
           # Swiss German
           "mantig": 0, "maantig": 0, "zischtig": 1, "ziischtig": 1, "mittwuch": 2, "mitwuch": 2, "donnschtig": 3,
           "dunschtig": 3, "donschtig": 3, "fritig": 4, "friitig": 4, "samschtig": 5, "sunntig": 6, "suntig": 6},
}

MONTHS = {
    "en": {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
           "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
           "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12},
    "es": {"enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
           "agosto": 8, "septiembre": 9, "setiembre": 9, "sept": 9, "octubre": 10, "oct": 10, "noviembre": 11,
           "nov": 11, "diciembre": 12, "dic": 12},
    "pt": {"janeiro": 1, "jan": 1, "fevereiro": 2, "fev": 2, "marco": 3, "abril": 4, "maio": 5, "junho": 6,
           "julho": 7, "agosto": 8, "setembro": 9, "set": 9, "outubro": 10, "out": 10, "novembro": 11, "nov": 11,
           "dezembro": 12, "dez": 12},
    "fr": {"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
           "juillet": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
           "decembre": 12, "dec": 12},
    "de": {"januar": 1, "janner": 1, "jan": 1, "februar": 2, "feb": 2, "marz": 3, "maerz": 3, "april": 4,
           "mai": 5, "juni": 6, "juli": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "oktober": 10,
           "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12},
}


def _alt(words) -> str:
    return "|".join(sorted((w.replace(" ", r"\s+").replace(".", r"\.") for w in words), key=len, reverse=True))


def _num(lang: str) -> str:
    return r"(?P<n>\d{1,3}|" + _alt(NUMBERS[lang]) + ")"


def _wd(lang: str, name: str | None = "wd", words=None) -> str:
    """A weekday name, captured as `name` (or not captured)."""
    return (f"(?P<{name}>" if name else "(?:") + _alt(words if words is not None else WEEKDAYS[lang]) + ")"


def _month(lang: str) -> str:
    return r"(?P<month>" + _alt(MONTHS[lang]) + r")\.?"


HOLIDAYS = {  # only days that name one date; "christmas plans" or "noël" alone is no date
    "en": {"christmas eve": (12, 24), "xmas eve": (12, 24), "christmas day": (12, 25), "boxing day": (12, 26),
           "new year's eve": (12, 31), "new years eve": (12, 31), "nye": (12, 31), "new year's day": (1, 1),
           "new years day": (1, 1), "valentine's day": (2, 14), "valentines day": (2, 14)},
    "es": {"nochebuena": (12, 24), "nochevieja": (12, 31), "dia de reyes": (1, 6), "san valentin": (2, 14)},
    "pt": {"vespera de natal": (12, 24), "vespera de ano novo": (12, 31), "virada": (12, 31), "reveillon": (12, 31),
           "dia dos namorados": (6, 12)},
    "fr": {"reveillon de noel": (12, 24), "veille de noel": (12, 24), "saint-sylvestre": (12, 31),
           "jour de l'an": (1, 1), "saint-valentin": (2, 14)},
    "de": {"heiligabend": (12, 24), "heiliger abend": (12, 24), "silvester": (12, 31), "silveschter": (12, 31),
           "neujahr": (1, 1), "valentinstag": (2, 14)},
}


def _holiday(lang: str) -> str:
    return r"(?P<holiday>" + _alt(HOLIDAYS[lang]) + ")"


_DOM = r"(?P<dom>[12]\d|3[01]|0?[1-9])"

# English short weekdays that are also words ("we sat", "the sun") count only with a preposition.
_EN_PLAIN_WD = {w: i for w, i in WEEKDAYS["en"].items() if w not in ("mon", "wed", "sat", "sun")}
_EN_ORD = r"(?:st|nd|rd|th)"
_EN_NOT_A_DAY = (r"(?!\s+(?:floor|time|place|grade|round|try|season|episode|birthday|anniversary|century|percentile"
                 r"|page|chapter|level|year|week|day|one|gen|generation|attempt|date|baby|child|kid|go|trimester"
                 r"|month)\b)")

PATTERNS = {
    "en": [
        _holiday("en"),
        r"(?P<after>(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw|tmr|tomorow))",
        r"(?P<past>yesterday|yday|last\s+(?:night|week|weekend|month|year|time)|earlier\s+today"
        r"|(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|couple\s+of)\s+(?:days?|weeks?|months?|years?)\s+ago)",
        r"(?P<figurative>tomorrow\s+is\s+(?:another|a\s+new)\s+day|(?:see\s+(?:you|ya|u)|catch\s+(?:you|ya|u)|talk)\s+tomorrow)",
        r"(?P<tomorrow>tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmw|tmro|2moro|2morrow|tomoz)",
        r"(?P<today>today|tonight|tonite|2nite|2day|this\s+(?:afternoon|evening|arvo)|later\s+today)",
        r"(?P<nweekend>next\s+(?:weekend|wknd|wkend))",
        r"(?P<weekend>(?:this|the)\s+(?:coming\s+)?(?:weekend|wknd|wkend))",
        r"(?P<eom>end\s+of\s+(?:the\s+|this\s+)?month)",
        r"in\s+" + _num("en") + r"\s+(?:(?P<days>days?)|(?P<weeks>weeks?|wks?))",
        _num("en") + r"\s+(?:more\s+)?(?:(?P<days>days?|sleeps)|(?P<weeks>weeks?|wks?))\s+(?:from\s+(?:today|now)"
        r"|away|to\s+go|left|until|till|til|before)",
        r"(?:(?:on\s+)?" + _wd("en") + r",?\s+)?(?:on\s+)?(?:the\s+)?" + _DOM + _EN_ORD + r"?\s+(?:of\s+)?"
        + _month("en") + r"(?!\w)",
        r"(?:(?:on\s+)?" + _wd("en") + r",?\s+)?(?:on\s+)?" + _month("en") + r"\s+(?:the\s+)?" + _DOM + _EN_ORD
        + r"?(?!\w|:)",
        _wd("en") + r",?\s+(?:the\s+)?" + _DOM + _EN_ORD + _EN_NOT_A_DAY + r"(?!\w)",
        r"(?P<fortnight>in\s+a\s+fortnight|a\s+fortnight\s+from\s+(?:today|now))",
        r"(?:(?:on|by|until|till|til|before|due|for|is|from)\s+)?the\s+" + _DOM + _EN_ORD + _EN_NOT_A_DAY + r"(?!\w)",
        r"(?P<pastwd>last\s+|since\s+(?:last\s+)?)" + _wd("en"),
        r"(?:happy|a|every|each|any|my|your|our|the|lazy|perfect|manic|rainy)\s+" + _wd("en", None) + r"(?:\s+eve)?",
        _wd("en", None, [w for w in WEEKDAYS["en"] if w.endswith("day")]) + r"s|" + _wd("en", None) + r"\s+(?:again|vibes|mood|feeling|blues|scaries)",
        r"(?:(?:next|this\s+coming|this|coming|on|by|until|till|til|before)\s+)" + _wd("en"),
        r"(?<!\bi\s)(?<!\bwe\s)(?<!\bhe\s)(?<!\bthey\s)(?<!\bshe\s)(?<!\bthe\s)(?<!\ba\s)(?P<wd>mon|wed|sat)"
        r"(?=\s*(?:[,.!?]|$)|\s+(?:and|is|at|\d))",
        r"(?P<wd>mon|wed|sat|sun)(?=\s+(?:night|morning|afternoon|evening|arvo|at)\b)",
        _wd("en", words=_EN_PLAIN_WD) + r"(?:'s)?",
    ],
    "es": [
        _holiday("es"),
        r"(?P<after>pasado\s+manana|pasao\s+manana)",
        r"(?P<past>ayer|anoche|antier|anteayer|la\s+semana\s+pasada|el\s+(?:finde|fin\s+de\s+semana|mes)\s+pasado"
        r"|el\s+ano\s+pasado|hace\s+(?:\d{1,3}|un|una|dos|tres|cuatro|cinco|unos|unas|pocos|varios)\s*\w*)",
        r"(?P<figurative>manana\s+(?:sera|es)\s+otro\s+dia|hasta\s+manana)",
        r"(?:un|unos|los|cada|todos\s+los|algun)\s+" + _wd("es", None),
        r"(?:esta|la|por\s+la|de\s+la|cada|toda\s+la|las|en\s+la|una|buena)\s+manana",
        r"(?P<tomorrow>manana|mana|mñn|mnn)",
        r"(?P<today>hoy|esta\s+noche|esta\s+tarde|hoy\s+en\s+la\s+noche|hoy\s+por\s+la\s+(?:noche|tarde))",
        r"(?P<nweekend>(?:el\s+)?(?:(?:proximo|otro)\s+(?:finde|fin\s+de\s+semana)|(?:finde|fin\s+de\s+semana)"
        r"\s+que\s+viene))",
        r"(?P<weekend>(?:este|el)\s+(?:finde|fin\s+de\s+semana|fds|fin\s+de\s+seman))",
        r"(?P<eom>(?:a\s+)?(?:fin(?:al)?(?:es)?)\s+de(?:l)?\s+mes)",
        r"(?:en|dentro\s+de|faltan|falta|quedan|queda)\s+" + _num("es") + r"\s+(?:(?P<days>dias?)|(?P<weeks>semanas?))",
        r"(?:de\s+hoy\s+en|de\s+aqui\s+a)\s+" + _num("es") + r"\s+(?:(?P<days>dias?)|(?P<weeks>semanas?))",
        _num("es") + r"\s+(?:(?P<days>dias?)|(?P<weeks>semanas?))\s+(?:a\s+partir\s+de\s+hoy|desde\s+hoy)",
        r"(?:(?:el\s+)?" + _wd("es") + r",?\s+)?(?:el\s+)?(?:dia\s+)?" + _DOM + r"\s+de\s+" + _month("es"),
        r"(?:el\s+)?" + _wd("es") + r",?\s+(?:dia\s+)?" + _DOM + r"(?!\w|:|\s*(?:h\b|hs|horas?|am|pm))",
        r"(?:el|del|para\s+el|hasta\s+el)\s+(?:dia\s+)?" + _DOM + r"(?!\w|:|\s*(?:h\b|hs|horas?|am|pm|de\s+la|%))",
        _wd("es") + r"\s+(?P<pastwd>pasado)",
        r"(?P<pastwd>desde\s+(?:el\s+)?)" + _wd("es"),
        r"(?:(?:el|este|esta|para\s+el|hasta\s+el|el\s+proximo|el\s+otro|proximo|cada|los)\s+)?" + _wd("es")
        + r"(?:\s+que\s+viene|\s+proximo)?",
    ],
    "pt": [
        _holiday("pt"),
        r"(?P<after>depois\s+de\s+amanha|dps\s+de\s+amanha)",
        r"(?P<past>ontem|anteontem|antes\s+de\s+ontem|(?:na\s+)?semana\s+passada|(?:no\s+)?(?:fim\s+de\s+semana|fds"
        r"|mes|ano)\s+passado|ha\s+(?:\d{1,3}|um|uma|dois|duas|tres|quatro|cinco|uns|umas|poucos|varios)\s*\w*"
        r"|faz\s+(?:\d{1,3}|um|uma|dois|duas|tres|uns|umas)\s+\w+)",
        r"(?P<figurative>amanha\s+(?:e|sera)\s+outro\s+dia|ate\s+amanha)",
        r"(?:um|uma|toda|todo|aos|as|cada)\s+" + _wd("pt", None, [w for w in WEEKDAYS["pt"] if len(w) > 3]),
        r"(?P<tomorrow>amanha|amanh|amnh|amanhã)",
        r"(?P<today>hoje\s+(?:a|de)\s+noite|hoje|hj|essa\s+noite|esta\s+noite|hoje\s+mais\s+tarde)",
        r"(?P<nweekend>(?:no\s+)?(?:proximo|outro)\s+(?:fim\s+de\s+semana|fds|final\s+de\s+semana)"
        r"|(?:fim\s+de\s+semana|fds)\s+que\s+vem)",
        r"(?P<weekend>(?:esse|este|nesse|neste|no|o)\s+(?:fim\s+de\s+semana|fds|final\s+de\s+semana))",
        r"(?P<eom>(?:no\s+)?(?:fim|final)\s+do\s+mes)",
        r"(?:em|daqui\s+a|daqui|faltam|falta|so\s+faltam)\s+" + _num("pt") + r"\s+(?:(?P<days>dias?)|(?P<weeks>semanas?))",
        r"(?:segunda|terca|quarta|quinta|sexta)\s+(?:vez|vezes|serie|ano|lugar|opcao|mao|geracao|etapa|fase)",
        _num("pt") + r"\s+(?:(?P<days>dias?)|(?P<weeks>semanas?))\s+(?:a\s+partir\s+de\s+hoje|de\s+hoje)",
        r"(?:(?:n?a\s+)?" + _wd("pt") + r",?\s+)?(?:(?:n?o\s+)?dia\s+)?" + _DOM + r"(?:o|º)?\s+de\s+" + _month("pt"),
        r"(?:n?a\s+|n?o\s+)?" + _wd("pt") + r",?\s+(?:dia\s+)?" + _DOM + r"(?!\w|:|\s*(?:h\b|hs|horas?))",
        r"(?:(?:n?o|ate\s+o|pro|para\s+o)\s+)?dia\s+" + _DOM + r"(?!\w|:|\s*(?:h\b|hs|horas?))",
        r"(?:n?a\s+|n?o\s+)?" + _wd("pt") + r"\s+(?P<pastwd>passad[ao])",
        r"(?P<pastwd>desde\s+(?:a\s+|o\s+)?)" + _wd("pt"),
        r"(?:(?:na|no|nessa|nesse|nesta|neste|essa|esse|esta|este|ate|a|o|pra|para|proxima|proximo|na\s+proxima"
        r"|no\s+proximo|toda|todo)\s+)?" + _wd("pt", words=[w for w in WEEKDAYS["pt"] if len(w) > 3])
        + r"(?:\s+que\s+vem|\s+agora)?",
    ],
    "fr": [
        _holiday("fr"),
        r"(?P<after>apres[\s-]demain|aprem[\s-]demain)",
        r"(?P<past>hier|avant[\s-]hier|la\s+semaine\s+derniere|le\s+(?:week-?end|we|mois)\s+dernier"
        r"|l'annee\s+derniere|il\s+y\s+a\s+(?:\d{1,3}|un|une|deux|trois|quatre|cinq|quelques)\s+\w+)",
        r"(?P<figurative>demain\s+(?:est|sera|c'est)\s+un\s+autre\s+jour|a\s+demain)",
        r"(?:un|les|chaque|tous\s+les)\s+" + _wd("fr", None),
        r"(?P<tomorrow>demain|dmain|dem1|2main)",
        r"(?P<today>aujourd'hui|aujourd\s?hui|auj|ajd|ce\s+soir|ce\s+soir-la|cet\s+aprem|cet\s+apres-midi"
        r"|cette\s+apres-midi|tout\s+a\s+l'heure)",
        r"(?P<nweekend>(?:le\s+)?(?:week-?end|we|weekend)\s+prochain|le\s+prochain\s+(?:week-?end|we))",
        r"(?P<weekend>ce\s+(?:week-?end|we|weekend|wkd))",
        r"(?P<eom>(?:a\s+la\s+|en\s+|d'ici\s+la\s+)?fin\s+(?:du|de|d')\s*mois)",
        r"(?:dans|d'ici)\s+" + _num("fr") + r"\s+(?:(?P<days>jours?|j)|(?P<weeks>semaines?|sem))(?!\w)",
        r"(?:(?:le\s+)?" + _wd("fr") + r",?\s+)?(?:le\s+)?" + _DOM + r"(?:er)?\s+" + _month("fr"),
        r"(?:le\s+)?" + _wd("fr") + r",?\s+" + _DOM + r"(?:er)?(?!\w|:|\s*(?:h\b|heures?|%))",
        r"(?:le|pour\s+le|jusqu'au|avant\s+le|d'ici\s+le)\s+" + _DOM + r"(?:er)?(?!\w|:|\s*(?:h\b|heures?|%|ans|fois"
        r"|euros?|minutes?|personnes?|min))",
        _wd("fr") + r"\s+(?P<pastwd>dernier|passe)",
        r"(?P<pastwd>depuis\s+(?:le\s+)?)" + _wd("fr"),
        r"(?:(?:ce|le|pour|d'ici|jusqu'a|avant|des|le\s+prochain|tous\s+les)\s+)?" + _wd("fr")
        + r"(?:\s+prochain|\s+qui\s+vient)?(?!\w)",
    ],
    "de": [
        _holiday("de"),
        r"(?P<after>ubermorgen|uebermorgen|uber\s+morgen|ubermorn|uebermorn)",
        r"(?P<past>gestern|vorgestern|letzte\s+woche|letztes\s+(?:wochenende|jahr)|letzten\s+monat"
        r"|(?:vor|seit)\s+(?:\d{1,3}|einer|einem|zwei|drei|vier|funf|ein\s+paar|paar|wenigen)\s+\w+)",
        r"(?:guten|jeden|am|heute|diesen|schonen|einen|den|ganzen)\s+morgen",
        r"(?P<figurative>morgen\s+ist\s+(?:auch\s+)?(?:noch\s+)?ein\s+(?:neuer\s+|anderer\s+)?tag|bis\s+morgen|bis\s+morn)",
        r"(?:jeden|einem|an\s+einem|jeder)\s+" + _wd("de", None, [w for w in WEEKDAYS["de"] if len(w) > 2]),
        r"(?P<tomorrow>morgen|morgn|morn)",
        r"(?P<today>heute\s+(?:abend|nachmittag|nacht|mittag)|heute|heut|heut\s+abend|heute\s+noch|hut\s+(?:znacht"
        r"|abig|namittag)|hut|hute)",
        r"(?P<nweekend>(?:am\s+)?nachste[ns]?\s+wochenende|(?:am\s+)?naechste[ns]?\s+wochenende"
        r"|ubernachste[ns]?\s+wochenende)",
        r"(?P<weekend>(?:am|dieses|diesem|das|ubers|ubers|uber\s+das|(?:an\s+)?diesem|kommendes|am\s+kommenden)"
        r"\s+(?:wochenende|we)(?!\w))",
        r"(?P<eom>(?:am\s+|zum\s+|bis\s+zum\s+|bis\s+)?(?:ende\s+(?:des\s+|dieses\s+)?monats|monatsende|ende\s+monat))",
        r"(?:in|i)\s+" + _num("de") + r"\s+(?:(?P<days>tagen?|tag)|(?P<weeks>wochen?|wuche|wuchä))(?!\w)",
        r"(?:(?:am\s+)?" + _wd("de") + r",?\s+(?:den\s+)?)?(?:am\s+|den\s+)?" + _DOM + r"\.\s*" + _month("de"),
        r"(?:(?:am\s+)?" + _wd("de") + r",?\s+(?:den\s+)?)?(?:am\s+|den\s+)?" + _DOM + r"\.?\s+" + _month("de"),
        r"(?:am\s+)?" + _wd("de") + r",?\s+(?:den\s+|de\s+)?" + _DOM + r"\.(?!\d)",
        r"(?:am|bis\s+zum|zum|ab\s+dem|bis\s+(?:zum\s+)?)\s+" + _DOM + r"\.(?!\d)",
        r"(?P<pastwd>letzte[nrsm]?\s+|seit\s+(?:dem\s+|letztem\s+)?)" + _wd("de", words=[w for w in WEEKDAYS["de"] if len(w) > 2]),
        r"(?:(?:am|diesen|nachsten|naechsten|nochschte|nochste|kommenden|bis|ab|ubernachsten|diesen\s+kommenden)\s+)?"
        + _wd("de", words=[w for w in WEEKDAYS["de"] if len(w) > 2]) + r"(?!s\b)(?!\w)",
    ],
}

# Past markers: a date mention in a clause with one of these is about something that happened.
PAST = {
    "en": r"\bgot\s+\w+ed\b|\b(?:was|wasn't|wasnt|were|weren't|werent|had|hadn't|hadnt|didnt|went|did|didn't|ran|came|saw|took|won|lost|sat|felt|said|told"
          r"|finished|happened|ended|passed|left|found|met|heard|spent|bought|gave|called|texted|ago|died|broke"
          r"|fell|forgot|woke|wrote|drove|flew|ate|drank|slept|threw|caught|brought|fought|began|sang|spoke|kept"
          r"|sent|knew|sold|taught|became|got\s+(?:back|home|fired|dumped|laid\s+off|rejected)|went\s+(?:well|fine"
          r"|ok|okay|great|badly)|turned\s+out|last\s+(?:night|week|weekend|month|year)|yesterday|nailed|aced"
          r"|bombed|crushed|survived|tanked|flunked|failed|visited|moved\s+in|showed\s+up|went\s+through)\b",
    "es": r"\b(?:fue|fui|fuimos|fueron|tuve|tuvo|tuvimos|tuvieron|estuve|estuvo|hice|hizo|hicimos|ayer|anoche"
          r"|pasado|pasada|hace|sali|salio|salieron|termine|termino|aprobe|aprobo|reprobe|suspendi|me\s+fue"
          r"|le\s+fue|nos\s+fue|fue\s+(?:bien|mal)|pase|paso\s+(?:bien|mal)|dio|dieron|llego|llegue|vino|vine|vimos|vi"
          r"|opero|operaron|murio|se\s+murio|perdi|perdio|gane|gano|ganamos|dije|dijo|tocaba|era|estaba|habia"
          r"|(?:he|ha|hemos|han|has)\s+(?:\w+\s+)?\w+(?:ado|ido))\b",
    "pt": r"\b(?:foi|fui|fomos|foram|tive|teve|tivemos|fiz|fez|fizemos|ontem|passado|passada|deu|deram"
          r"|passei|passou|terminei|terminou|acabou|acabei|saiu|chegou|cheguei|veio|vim|vi|vimos|operou"
          r"|morreu|perdi|perdeu|ganhei|ganhou|ganhamos|disse|falou|era|estava|tinha|rolou|correu|consegui"
          r"|conseguiu|reprovei|reprovou|fiquei|ficou|teve|aconteceu)\b",
    "fr": r"\b(?:hier|dernier|derniere|etait|c'etait|a\s+ete|ai\s+ete|avons\s+ete|ont\s+ete|suis\s+alle|suis\s+allee"
          r"|est\s+alle|est\s+allee|s'est|me\s+suis|j'ai\s+(?:eu|fait|passe|vu|rate|reussi|perdu|gagne|fini|termine"
          r"|su|dit|recu|appris)|a\s+(?:eu|fait|passe|vu|rate|reussi|perdu|gagne|fini|dit|recu)|avait|avaient"
          r"|il\s+y\s+a|on\s+a\s+(?:eu|fait|passe|vu|perdu|gagne|fini)|ca\s+s'est|s'est\s+(?:bien|mal))\b",
    "de": r"\b(?:gestern|vorgestern|war|waren|warst|hatte|hatten|hattest|vor\s+\w+\s+(?:tagen|wochen"
          r"|monaten|jahren)|ging|gingen|lief|kam|kamen|sah|fand|gewonnen|verloren|gemacht|gehabt|gewesen"
          r"|bestanden|geschafft|vorbei|gelaufen|gegangen|gestorben)\b"
          # the perfect: an auxiliary, then a participle closing the clause ("hab am Montag ... gemacht")
          r"|\b(?:hab|habe|hat|haben|hast|bin|ist|sind|bist)\s+(?:\S+\s+){0,6}ge(?!burt|sprach|richt|schenk|halt|fuhl|sundheit|schaft|meinde|biet|fahr|danke|duld|setz|brauch"
          r"|stalt|bet|schicht|heimnis|schwister|legenheit|nehmigung|hirn|wicht|spenst)\w+(?:t|en)\W*$",
}

# Past forms that only the accents tell apart, read on the share as written (lower case): Spanish
# preterites ("pagó", "arreglé") and French participles after an auxiliary ("on a dispersé", "j'ai raté").
PAST_ACCENTED = {
    "es": r"\b(?!(?:caf|beb|pur|jos|andr|ren|ol)[éó]\b)\w+[^aeiouáéíóú\W][éó]\b",
    "fr": r"\b(?:ai|as|a|avons|avez|ont|suis|es|est|sommes|sont)\s+(?:\w+\s+)?\w{2,}(?:é|ée|és|ées)\b",
}

# What splits a share into clauses for the past test.
CLAUSE_WORDS = {
    "en": r"but|and|because|though|although|so",
    "es": r"pero|y|porque|aunque|asi\s+que|pq|xq",
    "pt": r"mas|e|porque|porem|entao|pq",
    "fr": r"mais|et|parce\s+que|car|donc|alors|pcq",
    "de": r"aber|und|weil|obwohl|also|doch|denn",
}
