"""Reading a share: whether a friend should check in later, the feelings in it, and the date of the
event it names, in English, Spanish, Portuguese, French and German.

Offers `read_share(text, now, timezone, locale=None, *, date_always=False) -> Moment` (the follow-up
decision and feelings from the shipped model, whose word-only screen settles plain small talk first;
the date from Kindred's own resolver) and `explain(...)` (the same reading with its evidence). `python -m bot train` rebuilds the model from data/corpus.

Modules: text (folding), features, model (the shipped weights in model.json), prefilter, language,
dates and date_words, reader, corpus (the labelled shares and their split), training, evaluation.
"""
from .reader import FEELINGS, Moment, Reading, explain, read_share
from .text import MAX_SHARE_CHARS

__all__ = ["FEELINGS", "MAX_SHARE_CHARS", "Moment", "Reading", "explain", "read_share"]
