"""The one rule kept beside the model: a terse share that names a strong feeling of its own
("exam tomorrow, so stressed", "surgery Friday, worried", "mañana examen, q miedo") deserves a
follow-up. The corpus was written with long, paraphrased shares (positives average 83 characters), so
the model has seen few shares of three or four words and reads them as small talk; this rule covers
them until the corpus does. A feeling word after a negation ("not stressed", "sin miedo", "pas peur",
"keine Angst") doesn't count.
"""
from __future__ import annotations

MAX_WORDS = 8

# Folded (lower case, no accents). Each word gives the feeling it names.
_WORDS = {
    "worry": """worried worrying anxious nervous scared terrified afraid dreading panicking freaking petrified
               nerviosa nervioso miedo preocupada preocupado ansiosa ansioso asustada asustado aterrada aterrado
               nervosa nervoso medo preocupada preocupado ansiosa ansioso apavorada apavorado
               peur angoissee angoisse inquiete inquiet nerveuse nerveux flippe stresse
               angst nervos aufgeregt sorgen panik schiss""",
    "stress": """stressed overwhelmed exhausted burnt burned estresada estresado agobiada agobiado
                 estressada estressado sobrecarregada sobrecarregado stressee debordee deborde gestresst
                 uberfordert""",
    "sadness": """sad heartbroken devastated crying triste llorando chorando pleure deprimee traurig""",
    "loneliness": """lonely alone sola sozinha sozinho seule seul einsam allein""",
    "anger": """furious livid fuming furiosa furioso furiosa furieuse furieux wutend sauer""",
}
FEELING_OF = {word: feeling for feeling, words in _WORDS.items() for word in words.split()}
NEGATORS = frozenset("""not no never dont don't isnt isn't wasnt wasn't aint ain't zero nada sin ni nunca tampoco
                        nao nem sem jamais pas aucun aucune rien nicht kein keine keinen nie ohne""".split())


def terse_feeling(words: list[str]) -> str | None:
    """The feeling a terse share names (its words, folded), or None."""
    if len(words) > MAX_WORDS:
        return None
    for i, word in enumerate(words):
        feeling = FEELING_OF.get(word)
        if feeling and not NEGATORS.intersection(words[max(0, i - 3):i]):
            return feeling
    return None
