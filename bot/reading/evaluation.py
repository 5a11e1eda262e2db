"""Figures for a reader on labelled shares: follow-up precision, recall and F1, exact event dates,
per language. `python -m bot train` prints them for the held-out split; a test holds the shipped model
to a floor on it; the README shows them."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .corpus import LANGUAGES, Example
from .reader import Moment

Read = Callable[[Example], Moment]


@dataclass
class Figures:
    shares: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dated: int = 0          # shares labelled with an event date
    exact: int = 0          # ... read with exactly that date
    undated: int = 0        # shares labelled without one
    invented: int = 0       # ... read with a date all the same
    feelings_tp: int = 0
    feelings_fp: int = 0
    feelings_fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def dates(self) -> float:
        return self.exact / self.dated if self.dated else 1.0

    @property
    def feelings_f1(self) -> float:
        tp, fp, fn = self.feelings_tp, self.feelings_fp, self.feelings_fn
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def add(self, example: Example, moment: Moment) -> None:
        self.shares += 1
        self.tp += example.follow_up and moment.follow_up
        self.fp += moment.follow_up and not example.follow_up
        self.fn += example.follow_up and not moment.follow_up
        if example.event_date is not None:
            self.dated += 1
            self.exact += moment.event_date == example.event_date
        else:
            self.undated += 1
            self.invented += moment.event_date is not None
        if example.feelings is None:
            return
        got, gold = set(moment.feelings), set(example.feelings)
        self.feelings_tp += len(got & gold)
        self.feelings_fp += len(got - gold)
        self.feelings_fn += len(gold - got)


def measure(examples: Iterable[Example], read: Read) -> dict[str, Figures]:
    """Figures per language and "all"."""
    figures = {lang: Figures() for lang in LANGUAGES}
    figures["all"] = Figures()
    for example in examples:
        moment = read(example)
        figures[example.lang].add(example, moment)
        figures["all"].add(example, moment)
    return {k: v for k, v in figures.items() if v.shares}


def table(held_out: dict[str, Figures], training_sizes: dict[str, int]) -> str:
    """A Markdown table of the figures (with the training split's sizes beside, when given)."""
    lines = [f"| language | {'train / held out' if training_sizes else 'shares'} | precision | recall | F1 | exact dates "
             "| dates invented | feelings F1 |", "|---|---|---|---|---|---|---|---|"]
    for lang, f in held_out.items():
        trained = sum(training_sizes.values()) if lang == "all" else training_sizes.get(lang, 0)
        size = f"{trained} / {f.shares}" if training_sizes else f"{f.shares}"
        lines.append(f"| {lang} | {size} | {f.precision:.3f} | {f.recall:.3f} | "
                     f"{f.f1:.3f} | {f.exact}/{f.dated} = {f.dates:.3f} | {f.invented}/{f.undated} | "
                     f"{f.feelings_f1:.3f} |")
    return "\n".join(lines)
