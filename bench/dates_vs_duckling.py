"""Kindred's date resolver (bot.reading.dates) against Duckling (pyduckling-native-phihos, its Rust
binding of the Haskell parser) on the corpus's labelled event dates, per language: exact dates among
shares labelled with one, dates invented for shares labelled without one, and time per share.

Not part of `python -m bench` (Duckling isn't a dependency); run it where Duckling is installed:

    pip install pyduckling-native-phihos && python -m bench.dates_vs_duckling [--held-out]

Duckling's reading of a share: its first time entity that isn't latent, on or after the share's
local day (Duckling has no notion of a past-tense clause, so a past date is simply skipped). Kindred's:
`dates.event_date` in the share's labelled language, as read_share does after language detection.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict
from datetime import date, datetime

from bot.reading import corpus, dates
from bot.reading.text import fold

_LOCALES = {"en": "EN_US", "es": "ES_ES", "pt": "PT_BR", "fr": "FR_FR", "de": "DE_DE"}


class Duckling:
    def __init__(self) -> None:
        import duckling

        self.d = duckling
        self.zones = duckling.load_time_zones("/usr/share/zoneinfo")
        self.dims = duckling.parse_dimensions(["time"])
        self.locales = {lang: duckling.parse_locale(code, duckling.default_locale_lang(duckling.parse_lang(lang.upper())))
                        for lang, code in _LOCALES.items()}

    def event_date(self, e: corpus.Example) -> date | None:
        ref = self.d.parse_ref_time(self.zones, e.timezone, int(e.now.timestamp()))
        found = self.d.parse(e.text, self.d.Context(ref, self.locales[e.lang]), self.dims, False)
        today = e.local_today
        for entity in found:
            if entity.get("latent"):
                continue
            value = entity["value"]
            raw = value.get("value") or (value.get("from") or {}).get("value") or (value.get("to") or {}).get("value")
            if not raw:
                continue
            day = datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
            if day >= today:
                return day
        return None


def kindred(e: corpus.Example) -> date | None:
    return dates.event_date(fold(e.text), e.local_today, e.lang)


def measure(examples, read) -> tuple[dict, float]:
    figures = defaultdict(lambda: [0, 0, 0, 0])   # dated, exact, undated, invented
    read(examples[0])  # loads, compiles
    start = time.process_time()  # CPU time: the figure stays true on a busy machine
    got = [(e, read(e)) for e in examples]
    seconds = time.process_time() - start
    for e, day in got:
        f = figures[e.lang]
        if e.event_date is not None:
            f[0] += 1
            f[1] += day == e.event_date
        else:
            f[2] += 1
            f[3] += day is not None
    return dict(figures), seconds / len(examples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held-out", action="store_true", help="only the held-out split")
    args = parser.parse_args()
    examples = corpus.load()
    if args.held_out:
        examples = corpus.split(examples)[1]
    duck = Duckling()
    for name, read in (("kindred", kindred), ("duckling", duck.event_date)):
        figures, per_share = measure(examples, read)
        print(f"{name}: {per_share * 1e6:.0f} us of CPU a share")
        for lang in corpus.LANGUAGES:
            dated, exact, undated, invented = figures.get(lang, [0, 0, 0, 0])
            if dated:
                print(f"  {lang}: exact {exact}/{dated} = {exact / dated:.3f}, invented {invented}/{undated}")


if __name__ == "__main__":
    main()
