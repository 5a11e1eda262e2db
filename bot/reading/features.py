"""What the model sees of a share: its words, pairs of words, and character n-grams of its words
(of 3 and 5 characters, which carry meaning across typos, endings and missing accents: "nerviosa", "nervioso", "nervous").

Every feature is a short string; a share's features are a set, each weighing 1/sqrt(count) in the
model (see `model`). Features and weights are the same in training and at run time,
and the same in every process (no salted hashing).
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")
CHAR_SIZES = (3, 5)  # 3-grams and 5-grams: as good as 3-, 4- and 5-grams in cross-validation, a third fewer


def tokens(folded: str) -> list[str]:
    """Words (with inner apostrophes) and single marks or emoji, from folded text."""
    return _TOKEN.findall(folded)


def features(folded: str) -> set[str]:
    """The share's features (from `text.fold(share)`)."""
    toks = tokens(folded)
    feats = {"w" + t for t in toks}
    feats.update("b" + a + " " + b for a, b in zip(toks, toks[1:]))
    words = [t for t in toks if t[0].isalnum()]
    if words:
        padded = " " + " ".join(words) + " "
        last = len(padded)
        for n in CHAR_SIZES:
            feats.update(padded[i:i + n] for i in range(last - n + 1))
    if not feats:
        feats.add("<empty>")
    return feats
