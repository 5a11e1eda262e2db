"""The shipped model: logistic regressions over a share's features (see `features`), one for the
follow-up decision and one for each feeling, read from `model.json` in this package (no network, no
pickle). `python -m bot train` writes that file (see `training`).

File format (JSON): {"format": 1, "labels": ["follow_up", "worry", ..., "screen"], "bias": [...],
"thresholds": [...], "settings": {...}, "events": ["job interview", ...],
"weights": {feature: [[label index, weight], ...]}}.
A label's probability is sigmoid(bias + sum of its weights over the share's features / count ** p),
p = settings.scale_power (0.5); a feeling's sum runs over the share's words, pairs and date features
only (count still all of them), the screen's over its words and pairs (count of those). The follow-up
probability of a share the screen doesn't settle is a blend: (1 - s) x the full model's + s x the
screen's, s = settings.screen_share.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat

from pathlib import Path

MODEL_FILE = "model.json"
FORMAT = 1
_WEIGHTS_OPEN = ', "weights": {'


@dataclass(frozen=True)
class Scores:
    follow_up: float                       # probability
    feelings: tuple[tuple[str, float], ...]  # (feeling, probability) above its threshold, strongest first


class Model:
    def __init__(self, data: dict) -> None:
        """`data` as the file holds it (with "weights", or without them and `add` called per feature)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self.bias: tuple[float, ...] = tuple(data["bias"])
        self.thresholds: tuple[float, ...] = tuple(data["thresholds"])
        self.settings: dict = data["settings"]
        self.threshold = self.thresholds[0]
        # The screen (a follow-up decision from whole words alone, see `screen`) is the last label, when
        # the model has one; the feelings are the labels between.
        self._screen_index = self.labels.index("screen") if "screen" in self.labels else None
        self._feelings_end = self._screen_index or len(self.labels)
        self.screen_threshold = self.thresholds[self._screen_index] if self._screen_index else 0.0
        self._screen: dict[str, float] = {}
        # The follow-up weights apart (every share needs them); the feelings' as (index, weight) pairs.
        self._follow: dict[str, float] = {}
        self._feel: dict[str, tuple[tuple[int, float], ...]] = {}
        for feature, pairs in data.get("weights", {}).items():
            self.add(feature, pairs)
        # Event phrases the corpus names, by first word: {"job": (("job", "interview"),), ...}.
        self.events: dict[str, tuple[tuple[str, ...], ...]] = {}
        for phrase in data.get("events", ()):
            words = tuple(phrase.split())
            self.events[words[0]] = self.events.get(words[0], ()) + (words,)
        # Below this follow-up probability a share is read as small talk without weighing its feelings.
        self.feelings_floor: float = self.settings.get("feelings_floor", 0.0)
        # A share's features each weigh 1 / count ** power (0.5: the binary vector's length is 1).
        self.power: float = self.settings.get("scale_power", 0.5)
        # How much the screen's probability counts in the follow-up probability (see `scores`).
        self.screen_share: float = self.settings.get("screen_share", 0.0) if self._screen_index else 0.0

    def add(self, feature: str, pairs: list) -> None:
        rest = []
        for index, weight in pairs:
            if index == 0:
                self._follow[feature] = weight
            elif index == self._screen_index:
                self._screen[feature] = weight
            else:
                rest.append((index, weight))
        if rest:
            self._feel[feature] = tuple(rest)

    @classmethod
    def read(cls, lines) -> Model:
        """The model from the file's lines (as `training.dumps` writes them: the settings on the first
        line, then one feature a line), without building the whole document in memory first."""
        lines = iter(lines)
        head = next(lines).rstrip("\n")
        if not head.endswith(_WEIGHTS_OPEN):
            raise ValueError("not a model file: the first line must end with the weights' opening")
        model = cls(json.loads(head[: -len(_WEIGHTS_OPEN)] + "}"))
        decode = json.JSONDecoder().raw_decode
        for line in lines:
            line = line.rstrip("\n")
            if line == "}}":
                return model
            feature, end = decode(line)
            model.add(feature, json.loads(line[end + 1:].rstrip(",")))
        raise ValueError("model file ends early")

    def follow_up_logit(self, feats: set[str]) -> float:
        # One lookup a feature, in C (an unknown feature weighs 0.0).
        return self.bias[0] + sum(map(self._follow.get, feats, repeat(0.0, len(feats)))) / len(feats) ** self.power

    def screen(self, whole: set[str]) -> float | None:
        """The screen's follow-up probability from a share's `whole` features (its words and pairs);
        below `screen_threshold` the share is not worth a follow-up, without the full model. None when
        the model has no screen or the share no tokens."""
        if not self._screen or not whole:
            return None
        z = self.bias[self._screen_index] + sum(map(self._screen.get, whole, repeat(0.0, len(whole)))) / len(whole) ** self.power
        return _sigmoid(z)

    def feelings(self, feats: set[str], part: set[str]) -> tuple[tuple[str, float], ...]:
        """The feelings above their thresholds, from `part`: the share's features that feelings read
        (its words, pairs and the resolver's, as the screen sees them); weighed by `feats`' count."""
        sums = [0.0] * len(self.labels)
        for pairs in filter(None, map(self._feel.get, part)):
            for index, weight in pairs:
                sums[index] += weight
        scale = 1.0 / len(feats) ** self.power
        found = []
        for index in range(1, self._feelings_end):
            p = _sigmoid(self.bias[index] + sums[index] * scale)
            if p >= self.thresholds[index]:
                found.append((self.labels[index], p))
        found.sort(key=lambda item: -item[1])
        return tuple(found)

    def scores(self, feats: set[str], part: set[str], screened: float | None = None) -> Scores:
        """The follow-up probability (blended with the screen's probability `screened`, when given) and
        the feelings (read from `part`, see `feelings`)."""
        p = _sigmoid(self.follow_up_logit(feats))
        if screened is not None:
            p = (1.0 - self.screen_share) * p + self.screen_share * screened
        return Scores(p, self.feelings(feats, part) if p >= self.feelings_floor else ())

    def weightiest(self, feats: set[str], count: int = 8, screen: bool = False) -> list[tuple[str, float]]:
        """The features that moved the follow-up score (or with `screen`, the screen's) most, with
        their share of the logit."""
        table = self._screen if screen else self._follow
        scale = 1.0 / len(feats) ** self.power
        weighed = [(f, table[f] * scale) for f in feats if f in table]
        weighed.sort(key=lambda item: (-abs(item[1]), item[0]))
        return weighed[:count]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def model_path() -> Path:
    return Path(str(resources.files(__package__).joinpath(MODEL_FILE)))


@lru_cache(maxsize=1)
def shipped() -> Model:
    """The model shipped in the package (read once)."""
    with resources.files(__package__).joinpath(MODEL_FILE).open("r", encoding="utf-8") as handle:
        return Model.read(handle)
