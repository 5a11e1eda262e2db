"""What the model sees of a share: its words, pairs of words, and character n-grams of its words
(of 4 and 5 characters, which carry meaning across typos, endings and missing accents: "nerviosa", "nervioso", "nervous").

Every feature is a short string; a share's features are a set, each weighing 1/sqrt(count) in the
model (see `model`). Features and weights are the same in training and at run time,
and the same in every process (no salted hashing).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CHAR_SIZES = (4, 5)  # 4- and 5-grams: better than 3 and 5, 3 and 4, 4 and 6, or one size alone in cross-validation
_WORD = "w".__add__
_PAIR = "b{} {}".format


def tokens(folded: str) -> list[str]:
    """Words (with inner apostrophes) and single symbols or emoji, from folded text; no punctuation."""
    return _token_pattern().findall(folded)


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern:
    """Punctuation (Unicode category P*) is not a token: in the corpus it was its writers' habit, not a
    sign of what a share means (they ended worries with a period and small talk with a question mark,
    and a model trained with it read "bought new socks today." as worth a follow-up and "mum's in
    hospital again, can someone call me?" as small talk). Emoji and other symbols stay. Built on first
    use (about 25 ms, a scan of the Basic Multilingual Plane), not at start-up."""
    punctuation = "".join(c for c in map(chr, range(0x10000)) if unicodedata.category(c).startswith("P"))
    return re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s" + re.escape(punctuation) + "]")


def words(toks: list[str]) -> list[str]:
    """The tokens that are words (not marks or emoji)."""
    return [t for t in toks if t[0].isalnum()]


def word_features(toks: list[str]) -> set[str]:
    """The features made of whole tokens: words (w) and pairs of words (b)."""
    feats = set(map(_WORD, toks))
    feats.update(map(_PAIR, toks, toks[1:]))
    return feats


def features(folded: str, toks: list[str] | None = None, whole: set[str] | None = None) -> set[str]:
    """The share's features (from `text.fold(share)`; `toks` its `tokens` and `whole` their
    `word_features`, when already known)."""
    if toks is None:
        toks = tokens(folded)
    feats = set(whole) if whole is not None else word_features(toks)
    found = words(toks)
    if found:
        padded = " " + " ".join(found) + " "
        for n in CHAR_SIZES:  # slicing in a comprehension: twice as fast as a regex lookahead's findall
            feats.update({padded[i:i + n] for i in range(len(padded) - n + 1)})
    if not feats:
        feats.add("<empty>")
    return feats
