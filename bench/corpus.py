"""Shares to analyse: generated from templates with a seeded random source, so every run reads
the same text and no two shares need be alike (dates, names and wording vary).

- small talk: what most shares are; a few contain a date or feeling word that the pre-filter
  lets through ("this morning", "so tired") without making them worth a follow-up;
- dated: an event with a time expression in one of the forms people use (tomorrow, on Thursday,
  the 14th, Dec 3, 12/18, in 3 days, next week, ...), usually with a topic or a feeling;
- feelings: a feeling said without a date.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

ZONES = ("Europe/Berlin", "America/New_York", "Europe/London", "Asia/Kolkata", "America/Los_Angeles",
         "Australia/Sydney", "UTC")

_FOODS = ("lasagna", "banana bread", "ramen", "a curry", "pancakes", "sourdough", "tacos", "soup", "risotto")
_SHOWS = ("the new season", "that documentary", "the baking show", "the anime you mentioned", "the detective series")
_PLACES = ("the park", "the river", "the market", "grandma's", "the beach", "the new cafe", "the library")
_PEOPLE = ("my sister", "my brother", "mum", "dad", "my neighbour", "an old friend", "my cousin", "the kids")
_THINGS = ("a plant", "new headphones", "a bike", "a second-hand couch", "a puzzle", "a board game", "some paint")
_SMALL_TALK = (
    "just made {food} for dinner, turned out pretty good",
    "anyone watched {show}? no spoilers please",
    "the cat knocked my coffee off the table again",
    "went for a long walk by {place}, the leaves are gorgeous",
    "{person} sent me a photo of their new puppy",
    "bought {thing}, pretty pleased with it",
    "the bakery near {place} has the best croissants",
    "listening to the same album on repeat, it's that good",
    "our tomatoes are finally turning red",
    "tried {food} at {place}, would recommend",
    "rain all day here, perfect excuse to read",
    "I think the dog understands more words than we give him credit for",
    "rearranged the living room and it feels like a new flat",
    "learning to knit, it's a mess but a cute mess",
    "{person} and I played cards until midnight",
    "the sunset from the balcony was unreal",
    "made it to the gym this morning, small win",
    "finished the puzzle, only one piece missing of course",
    "kids built a blanket fort and refuse to leave it",
    "got a library card again after years",
    "found my old diary from school, so much cringe",
    "the neighbour's cat visits every afternoon now",
    "trying to keep the plants alive, three so far",
    "hot chocolate season has officially started",
    "cleaned out the fridge, found things I won't describe",
    "first snow of the year here ❄️",
    "switched to oat milk and honestly can't tell the difference",
    "watched the birds at the feeder for way too long",
    "{person} taught me a card trick, I'll show you",
    "walked past the house I grew up in",
    "good coffee, quiet street, nice start",
    "the playlist you sent is on all the time here",
    "we should do a picnic when it's warmer",
    "painted the bathroom a very bold green",
    "made a terrible pun at work and nobody laughed",
    "just a bit tired, nothing new",
    "quiet weekend, lots of tea",
)

_TOPICS = ("job interview", "exam", "surgery", "dentist appointment", "presentation", "driving test", "biopsy results",
           "flight home", "thesis defence", "first day at the new job", "MRI", "court hearing", "audition",
           "performance review", "vet appointment", "wedding", "visa interview", "marathon")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
_FEELING_TAILS = ("and I'm honestly terrified", "kind of nervous", "so stressed about it", "😬", "pray for me",
                  "can't stop thinking about it", "and I'm so excited", "wish me luck", "trying not to panic",
                  "feeling really anxious", "", "", "")


def _when(rng: random.Random) -> str:
    kind = rng.randrange(16)
    if kind == 0:
        return "tomorrow"
    if kind == 1:
        return f"on {rng.choice(_WEEKDAYS)}"
    if kind == 2:
        return f"this {rng.choice(_WEEKDAYS)}"
    if kind == 3:
        return f"next {rng.choice(_WEEKDAYS)}"
    if kind == 4:
        day = rng.randrange(1, 29)
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
        return f"on the {day}{suffix}"
    if kind == 5:
        return f"on {rng.choice(_MONTHS)} {rng.randrange(1, 29)}"
    if kind == 6:
        return f"on {rng.randrange(1, 29)} {rng.choice(_MONTHS)}"
    if kind == 7:
        return f"in {rng.randrange(2, 12)} days"
    if kind == 8:
        return "next week"
    if kind == 9:
        return "this weekend"
    if kind == 10:
        return "tonight"
    if kind == 11:
        return f"on {rng.randrange(1, 13)}/{rng.randrange(1, 29)}"
    if kind == 12:
        return "the day after tomorrow"
    if kind == 13:
        return "at the end of the month"
    if kind == 14:
        return f"tmrw at {rng.randrange(1, 12)}{rng.choice(('am', 'pm'))}"
    return f"on {rng.choice(_WEEKDAYS)} at {rng.randrange(8, 18)}:{rng.choice(('00', '15', '30', '45'))}"


_DATED = (
    "my {topic} is {when} {tail}",
    "{topic} {when} {tail}",
    "{when_cap} is the {topic}. {tail}",
    "got the {topic} {when}, hoping it goes ok",
    "{person} has a {topic} {when}, I'm worried for them",
    "reminder to self: {topic} {when}",
    "moving house {when}, boxes everywhere {tail}",
    "flying home {when}!! can't wait to see everyone",
    "the {topic} got moved to {when_bare}, ugh",
    "I have my {topic} {when} and I haven't slept properly in days",
)
_FEELINGS = (
    "I'm so overwhelmed with everything right now",
    "feeling really lonely since the move",
    "honestly so proud of myself, I finally finished it",
    "can't stop thinking about what {person} said",
    "work has been so stressful lately, I'm exhausted",
    "I miss {person} a lot",
    "so grateful for you all, thank you for being there",
    "not doing great, everything feels heavy",
    "I'm burned out and I don't know what to do",
    "heartbroken, we had to put our dog down",
    "so excited, I got the job!!",
    "really anxious about money at the moment",
    "fed up with my landlord, so done with this place",
    "kind of sad, nobody texts me anymore",
)


def _dated(rng: random.Random) -> str:
    when = _when(rng)
    text = rng.choice(_DATED).format(topic=rng.choice(_TOPICS), when=when, when_cap=when[0].upper() + when[1:],
                                     when_bare=when.removeprefix("on ").removeprefix("at "),
                                     tail=rng.choice(_FEELING_TAILS), person=rng.choice(_PEOPLE))
    return " ".join(text.split())


def _small_talk(rng: random.Random) -> str:
    return rng.choice(_SMALL_TALK).format(food=rng.choice(_FOODS), show=rng.choice(_SHOWS), place=rng.choice(_PLACES),
                                          person=rng.choice(_PEOPLE), thing=rng.choice(_THINGS))


def _feeling(rng: random.Random) -> str:
    return rng.choice(_FEELINGS).format(person=rng.choice(_PEOPLE))


def _context(rng: random.Random) -> tuple[datetime, str]:
    """When and where a share was written: within the four weeks before the benchmark's now."""
    now = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc) - timedelta(minutes=rng.randrange(28 * 24 * 60))
    return now, rng.choice(ZONES)


def mixed(count: int, seed: int = 11) -> list[tuple[str, datetime, str]]:
    """(text, now, timezone): 80% small talk, 12% dated events, 8% feelings without a date."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll = rng.random()
        text = _small_talk(rng) if roll < 0.8 else _dated(rng) if roll < 0.92 else _feeling(rng)
        out.append((text, *_context(rng)))
    return out


def dated(count: int, seed: int = 12) -> list[tuple[str, datetime, str]]:
    """(text, now, timezone): every share names an upcoming event with a time expression."""
    rng = random.Random(seed)
    return [(_dated(rng), *_context(rng)) for _ in range(count)]


def texts(count: int, seed: int = 13) -> list[str]:
    """Just the words, in the mixed proportions (for history rows and /share payloads)."""
    return [t for t, _, _ in mixed(count, seed)]
