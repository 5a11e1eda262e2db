"""Training the shipped model from the training split (the corpus and the legacy English shares)
with a fixed seed, so `python -m bot train` rebuilds `bot/reading/model.json` byte for byte.

Each label (follow-up, then every feeling) is an L2-regularised logistic regression fitted by
liblinear (scikit-learn, a training-only dependency: the `train` extra), classes weighed inversely to
their frequency. The follow-up regression reads each feature scaled by its naive-Bayes log-count
ratio (Wang and Manning's NB-LR): a word that mostly comes with one label costs less regularisation
to lean on. The shipped weight is the product, so reading a share is unchanged. Features seen in
fewer than `min_count` training shares are left out; weights are rounded to `digits` decimals and
the smallest dropped, which also keeps the file stable across runs. The settings and thresholds below were chosen by cross-validation on the training split
(`python -m bot train --cv`); the held-out split plays no part here.
"""
from __future__ import annotations

import json
import math
import os
import platform
import sys
from collections import Counter
from collections.abc import Callable, Sequence

from . import corpus
from .corpus import Example
from .features import tokens
from .model import FORMAT, Model
from .text import fold

LABELS = ("follow_up",) + corpus.FEELINGS
SETTINGS = {
    "seed": 2026,
    "C": {"follow_up": 100.0, "feelings": 30.0},  # inverse L2 strength
    "nb_alpha": 0.1,  # the follow-up's naive-Bayes smoothing (0: plain logistic regression; see `_nb_ratios`)
    "penalty": {"follow_up": "l2", "feelings": "l2"},
    "language_balance": 0.0,
    "legacy_weight": 1.0,  # how much a legacy English share counts, against one of the corpus
    "min_count": 2,
    "scale_power": 0.5,   # each feature weighs 1 / count ** this
    "digits": 4,          # weights are rounded to this many decimals
    "prune": {"follow_up": 0.01, "feelings": 0.1},  # and dropped below this size
    "feelings_floor": 0.4,  # feelings are weighed only for shares this likely to deserve a follow-up
    "screen_share": 0.4,  # the follow-up probability is 0.6 x the full model's + 0.4 x the screen's
}
# Decision thresholds: the follow-up one, then each feeling's (same order as LABELS).
THRESHOLDS = {"follow_up": 0.5, "worry": 0.4, "stress": 0.5, "sadness": 0.55, "grief": 0.55, "loneliness": 0.45,
              "anger": 0.6, "excitement": 0.4, "pride": 0.5, "gratitude": 0.25,
              "screen": 0.2}  # below this, the screen's word-only probability settles "no follow-up"

Featurize = Callable[[Example], set[str]]


def targets(example: Example) -> list[int]:
    feelings = example.feelings or ()
    return [int(example.follow_up)] + [int(f in feelings) for f in corpus.FEELINGS]


def fit(examples: Sequence[Example], featurize: Featurize, settings: dict = SETTINGS,
        thresholds: dict = THRESHOLDS) -> dict:
    """The model (as the JSON-ready dict `Model` reads) trained on `examples`."""
    from scipy.sparse import csr_matrix, diags
    from sklearn.linear_model import LogisticRegression

    from . import reader

    docs = [featurize(e) for e in examples]
    counts = Counter(f for d in docs for f in d)
    vocabulary = sorted(f for f, c in counts.items() if c >= settings["min_count"])
    index = {f: i for i, f in enumerate(vocabulary)}

    def as_matrix(sets: list[set[str]], scaled_by: list[set[str]] | None = None):
        """One row a share: its features in `sets`, each weighing 1 / count ** p, the count being the
        share's features in `scaled_by` (default: the same sets)."""
        data, columns, pointers = [], [], [0]
        for d, whole in zip(sets, scaled_by or sets):
            ids = sorted(index[f] for f in d if f in index)
            columns.extend(ids)
            data.extend([1.0 / max(len(whole), 1) ** settings["scale_power"]] * len(ids))
            pointers.append(len(columns))
        return csr_matrix((data, columns, pointers), shape=(len(sets), len(vocabulary)))

    matrix = as_matrix(docs)
    ys = [targets(e) for e in examples]
    per_language = Counter(e.lang for e in examples)
    balance = settings["language_balance"]
    # Each language weighs (per_language ** -balance): 0 counts every share alike, 1 every language alike.
    sample_weight = [(len(examples) / len(per_language) / per_language[e.lang]) ** balance
                     * (settings["legacy_weight"] if e.kind == "legacy" else 1.0) for e in examples]
    weights, bias = [], []
    # Feelings are learnt from words, pairs of words and the resolver's features only (not character
    # n-grams): a tenth of the weights for a few points of feeling F1, and at run time a share's
    # feelings are read from the set its screen already has (`reader._read`'s `whole`).
    words = [reader.training_words(e) for e in examples]
    feeling_matrix = as_matrix([w | {f for f in d if f[0] == "@"} for w, d in zip(words, docs)], scaled_by=docs)
    for k, label in enumerate(LABELS):
        group = "follow_up" if label == "follow_up" else "feelings"
        regression = LogisticRegression(C=settings["C"][group], l1_ratio=1.0 if settings["penalty"][group] == "l1" else 0.0,
                                        solver="liblinear", class_weight="balanced", max_iter=1000,
                                        random_state=settings["seed"], intercept_scaling=10.0)
        if group == "follow_up":
            ratios = _nb_ratios(matrix, [y[k] for y in ys], settings["nb_alpha"])
            regression.fit(matrix @ diags(ratios), [y[k] for y in ys], sample_weight=sample_weight)
            weights.append((regression.coef_[0] * ratios).tolist())
        else:  # shares without labelled feelings (the legacy ones) don't count for them
            known = [w if e.feelings is not None else 0.0 for w, e in zip(sample_weight, examples)]
            regression.fit(feeling_matrix, [y[k] for y in ys], sample_weight=known)
            weights.append(regression.coef_[0].tolist())
        bias.append(float(regression.intercept_[0]))
    # The screen: the follow-up decision from the share's words and pairs alone (no character n-grams,
    # no dates), weighed by their own count. A share it finds clearly not worth a follow-up is read as
    # such without its n-grams or dates (see `Model.screen`).
    regression = LogisticRegression(C=settings["C"]["follow_up"], solver="liblinear", class_weight="balanced",
                                    max_iter=1000, random_state=settings["seed"], intercept_scaling=10.0)
    regression.fit(as_matrix(words), [y[0] for y in ys], sample_weight=sample_weight)
    weights.append(regression.coef_[0].tolist())
    bias.append(float(regression.intercept_[0]))

    digits, prune = settings["digits"], settings["prune"]
    table = {}
    for i, feature in enumerate(vocabulary):
        pairs = [[k, round(weights[k][i], digits)] for k in range(len(LABELS) + 1)
                 if abs(weights[k][i]) >= prune["feelings" if 0 < k < len(LABELS) else "follow_up"]]
        if pairs:
            table[feature] = pairs
    return {"format": FORMAT, "labels": list(LABELS) + ["screen"], "bias": [round(b, digits) for b in bias],
            "events": event_phrases(examples),
            "thresholds": [thresholds[label] for label in LABELS + ("screen",)],
            "settings": {"feelings_floor": settings["feelings_floor"], "scale_power": settings["scale_power"],
                         "screen_share": settings["screen_share"],
                         "features": "words, word pairs, "
                         "character 4- and 5-grams (feelings: words and pairs), the resolver's date features; "
                         "weight 1/sqrt(count)", "trained_on": len(examples)},
            "weights": table}


def _nb_ratios(matrix, labels: list[int], alpha: float):
    """Each column's naive-Bayes log-count ratio, log((p_f / |p|) / (q_f / |q|)), where p_f counts the
    positive shares with feature f plus `alpha` (q_f the negative ones); all ones when `alpha` is 0."""
    import numpy as np

    if not alpha:
        return np.ones(matrix.shape[1])
    present = (matrix > 0).astype(float)
    y = np.asarray(labels)
    p = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    # Sums and logarithms in Python (math.fsum is exact, math.log is the C library's), not numpy's:
    # numpy picks its logarithm by the CPU (AVX-512 or not), and its last bits differ, so a model
    # built on one machine would not rebuild byte for byte on another.
    p_total, q_total = math.fsum(p.tolist()), math.fsum(q.tolist())
    return np.array([math.log((a / p_total) / (b / q_total)) for a, b in zip(p.tolist(), q.tolist())])


def event_phrases(examples: Sequence[Example]) -> list[str]:
    """The labelled event phrases that appear word for word in their share (folded), for topics."""
    found = set()
    for e in examples:
        if not e.event:
            continue
        phrase = tokens(fold(e.event))
        words = tokens(fold(e.text))
        n = len(phrase)
        if phrase and any(words[i:i + n] == phrase for i in range(len(words) - n + 1)):
            found.add(" ".join(phrase))
    return sorted(found)


def dumps(data: dict) -> str:
    """The model file's text: stable key order, one feature per line so diffs stay readable."""
    head = {k: v for k, v in data.items() if k != "weights"}
    lines = ["{" + json.dumps(head, ensure_ascii=False, sort_keys=True)[1:-1] + ', "weights": {']
    items = sorted(data["weights"].items())
    for n, (feature, pairs) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        lines.append(json.dumps(feature, ensure_ascii=False) + ": " + json.dumps(pairs, separators=(",", ":")) + comma)
    lines.append("}}")
    return "\n".join(lines) + "\n"


def as_model(data: dict) -> Model:
    """The model as it will read once written and loaded (rounded as in the file)."""
    return Model(json.loads(dumps(data)))


def _same_blas_kernels() -> None:
    """liblinear's solver calls the BLAS that numpy and scipy ship (OpenBLAS), which picks its kernels
    by the CPU at start-up; its AVX-512 kernels' last bits differ from its AVX2 ones, and the solver's
    iterations carry those bits into the weights, so a model trained on one x86 machine would not
    rebuild byte for byte on another. Training asks for the AVX2 ones (Haswell's), which x86 CPUs
    have had since 2013, where the CPU has them and before numpy is loaded."""
    if "numpy" in sys.modules or platform.machine().lower() not in ("x86_64", "amd64"):
        return
    try:
        flags = next((line.split() for line in open("/proc/cpuinfo", encoding="utf-8") if line.startswith("flags")), [])
    except OSError:
        return
    if "avx2" in flags and "fma" in flags:
        os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")


def main(argv: list[str]) -> int:
    """`python -m bot train [--check] [--cv] [--corpus DIR] [--output FILE]`."""
    import argparse
    from pathlib import Path

    _same_blas_kernels()

    from . import evaluation, reader
    from .model import model_path

    parser = argparse.ArgumentParser(prog="python -m bot train",
                                     description="Rebuild the shipped model from the corpus's training split.")
    parser.add_argument("--corpus", type=Path, default=corpus.CORPUS_DIR, help="folder of shares.<lang>.jsonl")
    parser.add_argument("--output", type=Path, default=None, help="where to write the model (default: the package's)")
    parser.add_argument("--check", action="store_true", help="rebuild and compare with the shipped file; write nothing")
    parser.add_argument("--cv", action="store_true", help="4-fold cross-validation on the training split; write nothing")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    examples = corpus.load(args.corpus)
    if not examples:
        print(f"no shares.<lang>.jsonl in {args.corpus}", file=sys.stderr)
        return 2
    legacy = corpus.load_legacy(args.corpus / "legacy.en.jsonl")
    training, held = corpus.split(examples + legacy)
    held = [e for e in held if e.kind != "legacy"]
    featurize = reader.training_features
    if args.cv:
        figures = cross_validate(training, featurize)
        print(evaluation.table(figures, {}))
        return 0
    text = dumps(fit(training, featurize))
    target = args.output or model_path()
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print(f"{target}: {'identical to a rebuild' if same else 'DIFFERS from a rebuild'}")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    model = as_model(json.loads(text))
    sizes = Counter(e.lang for e in training if e.kind != "legacy")
    print(f"wrote {target} ({len(text.encode('utf-8')) / 1e6:.1f} MB) from {len(training)} training shares "
          f"({len(training) - sum(sizes.values())} of them legacy English)")
    print(evaluation.table(evaluation.measure(held, lambda e: reader.read_example(e, model)), dict(sizes)))
    fresh = corpus.load_fresh(args.corpus)
    if fresh:
        print("fresh test set (written after training; see bot/reading/corpus.py):")
        print(evaluation.table(evaluation.measure(fresh, lambda e: reader.read_example(e, model)), {}))
    return 0


def cross_validate(training: Sequence[Example], featurize: Featurize, folds: int = 4, settings: dict = SETTINGS,
                   thresholds: dict = THRESHOLDS) -> dict:
    """Out-of-fold figures on the training split (each fold by a hash of the id, as the split is)."""
    import hashlib

    from . import evaluation, reader

    def fold_of(e: Example) -> int:
        return int(hashlib.sha256(("cv:" + e.id).encode("utf-8")).hexdigest()[:8], 16) % folds

    moments = {}
    for k in range(folds):
        model = as_model(fit([e for e in training if fold_of(e) != k], featurize, settings, thresholds))
        for e in training:
            if fold_of(e) == k:
                moments[e.id] = reader.read_example(e, model)
    return evaluation.measure(training, lambda e: moments[e.id])
