"""Rules of bot.moments, and the follow-up decision measured on the labelled set."""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import moments
from bot.moments import FEELINGS, MAX_SHARE_CHARS, Moment, read_share

LABELLED = Path(__file__).parent / "data" / "moments_labelled.jsonl"
MONDAY = "2026-12-07T10:15"  # Monday 7 Dec 2026, 10:15 in Berlin


def read(text: str, now: str = MONDAY, tz: str = "Europe/Berlin") -> Moment:
    """read_share with `now` as a local wall time in `tz` (or ISO with an offset)."""
    when = datetime.fromisoformat(now)
    return read_share(text, when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz)), tz)


def labelled_rows() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------ date forms

@pytest.mark.parametrize("text, expected", [
    ("interview on Thursday", date(2026, 12, 10)),
    ("exam tmrw", date(2026, 12, 8)),
    ("exam tomorrow morning", date(2026, 12, 8)),
    ("exam the day after tomorrow", date(2026, 12, 9)),
    ("surgery on the 14th", date(2026, 12, 14)),
    ("surgery on the 7th", date(2026, 12, 7)),         # today counts
    ("surgery on the 3rd", date(2027, 1, 3)),          # the 3rd has passed this month
    ("flying home Dec 3", date(2027, 12, 3)),          # Dec 3 has passed this year
    ("flying home Dec 7", date(2026, 12, 7)),
    ("flight home on 3 December 2027", date(2027, 12, 3)),
    ("surgery on the 3rd of january", date(2027, 1, 3)),
    ("surgery on december the 21st", date(2026, 12, 21)),
    ("surgery on Feb 29", date(2028, 2, 29)),          # waits for a leap year
    ("surgery 2027-01-05", date(2027, 1, 5)),
    ("surgery on 5/1", date(2027, 1, 5)),              # day/month outside the US
    ("exam in 3 days", date(2026, 12, 10)),
    ("exam in two weeks", date(2026, 12, 21)),
    ("exam in a couple of days", date(2026, 12, 9)),
    ("exam, 3 more days to go", date(2026, 12, 10)),
    ("recital tonight", date(2026, 12, 7)),
    ("interview this afternoon", date(2026, 12, 7)),
    ("moving this weekend", date(2026, 12, 12)),
    ("moving next weekend", date(2026, 12, 19)),
    ("deadline next week", date(2026, 12, 14)),
    ("deadline end of the week", date(2026, 12, 11)),
    ("deadline end of the month", date(2026, 12, 31)),
    ("surgery on christmas eve", date(2026, 12, 24)),
])
def test_date_forms(text, expected):
    assert read(text).event_date == expected


def test_slash_dates_are_month_first_in_us_zones():
    assert read("court date is 12/18", tz="America/New_York").event_date == date(2026, 12, 18)
    assert read("court date is 18/12").event_date == date(2026, 12, 18)


def test_new_year_rollover():
    assert read("flight home on Jan 2", now="2026-12-30T14:00").event_date == date(2027, 1, 2)
    assert read("surgery on the 5th", now="2026-12-30T10:00", tz="Australia/Sydney").event_date == date(2027, 1, 5)


def test_thanksgiving_is_the_fourth_thursday_of_november():
    assert read("thanksgiving with my family, dreading it", now="2026-11-10T18:00",
                tz="America/Los_Angeles").event_date == date(2026, 11, 26)


@pytest.mark.parametrize("text, expected", [
    ("exam tomorrow at 3pm", time(15, 0)),
    ("exam tomorrow at 3 pm", time(15, 0)),
    ("exam tomorrow at 15:30", time(15, 30)),
    ("exam tomorrow at 8:30", time(8, 30)),
    ("exam tomorrow at noon", time(12, 0)),
    ("exam tomorrow at midnight", time(0, 0)),
    ("exam tomorrow at 9", time(9, 0)),
    ("exam tomorrow at 2", time(14, 0)),               # a bare 1-7 reads as pm
    ("exam tomorrow at 7 in the morning", time(7, 0)),
    ("placement interview monday 10am", time(10, 0)),
    ("exam tomorrow", None),
])
def test_times(text, expected):
    assert read(text).event_time == expected


def test_in_hours_gives_date_and_time():
    moment = read("phone interview in 2 hours")
    assert (moment.event_date, moment.event_time) == (date(2026, 12, 7), time(12, 15))
    late = read("flight in 3 hours", now="2026-12-07T22:30")
    assert (late.event_date, late.event_time) == (date(2026, 12, 8), time(1, 30))


# ------------------------------------------------------------------------------------ weekdays

@pytest.mark.parametrize("text, now, expected", [
    ("interview on thursday", "2026-12-07T10:00", date(2026, 12, 10)),         # Mon -> this week
    ("interview on thursday", "2026-12-10T10:00", date(2026, 12, 17)),         # Thu -> next week
    ("interview thursday, today is the day", "2026-12-10T10:00", date(2026, 12, 10)),
    ("interview this thursday", "2026-12-10T10:00", date(2026, 12, 10)),       # "this" includes today
    ("interview this coming friday", "2026-12-07T10:00", date(2026, 12, 11)),
    ("interview next tuesday", "2026-12-07T10:00", date(2026, 12, 15)),        # Mon -> next week's Tue
    ("interview next thursday", "2026-12-12T10:00", date(2026, 12, 17)),       # Sat -> next week's Thu
    ("interview next friday", "2026-12-13T10:00", date(2026, 12, 18)),         # Sun -> next week's Fri
    ("driving test thurs", "2026-12-07T10:00", date(2026, 12, 10)),
    ("surgery weds", "2026-12-07T10:00", date(2026, 12, 9)),
    ("moving this weekend", "2026-12-12T10:00", date(2026, 12, 12)),           # Sat -> today
    ("moving this weekend", "2026-12-13T10:00", date(2026, 12, 13)),           # Sun -> today
])
def test_weekday_semantics(text, now, expected):
    assert read(text, now=now).event_date == expected


@pytest.mark.parametrize("text, expected", [
    ("beach this sat?", date(2026, 12, 12)),
    ("wed is my last chemo session", date(2026, 12, 9)),
    ("who's watching the game sat?", date(2026, 12, 12)),
    ("exam sat at 9", date(2026, 12, 12)),
])
def test_short_weekdays_as_days(text, expected):
    assert read(text).event_date == expected


# ------------------------------------------------------------------------------------ time zones

def test_late_sunday_tomorrow_is_monday_local():
    moment = read("interview tomorrow", now="2026-12-13T22:30:00+00:00")  # 23:30 Sunday in Berlin
    assert moment.event_date == date(2026, 12, 14)


def test_utc_already_next_day_in_new_york():
    moment = read("biopsy is tomorrow morning", now="2026-12-08T03:30:00+00:00", tz="America/New_York")
    assert moment.event_date == date(2026, 12, 8)                       # 22:30 Monday local


def test_local_already_next_day_in_tokyo():
    moment = read("results come out today", now="2026-12-07T20:00:00+00:00", tz="Asia/Tokyo")
    assert moment.event_date == date(2026, 12, 8)                       # 05:00 Tuesday local


@pytest.mark.parametrize("now, tz, expected", [
    ("2026-03-28T22:30:00+00:00", "Europe/Berlin", date(2026, 3, 29)),        # Sat 23:30 CET
    ("2026-03-29T01:30:00+00:00", "Europe/Berlin", date(2026, 3, 30)),        # Sun 03:30 CEST
    ("2026-03-08T04:45:00+00:00", "America/New_York", date(2026, 3, 8)),      # Sat 23:45 EST
    ("2026-10-24T21:50:00+00:00", "Europe/Berlin", date(2026, 10, 25)),       # Sat 23:50 CEST
    ("2026-11-01T06:30:00+00:00", "America/New_York", date(2026, 11, 2)),     # Sun 01:30 EST
])
def test_dst_edges(now, tz, expected):
    assert read("surgery tomorrow", now=now, tz=tz).event_date == expected


def test_validation():
    with pytest.raises(ValueError, match="timezone-aware"):
        read_share("exam tmrw", datetime(2026, 12, 7, 10), "Europe/Berlin")
    with pytest.raises(ValueError, match="unknown IANA time zone 'Mars/Olympus'"):
        read_share("exam tmrw", datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("UTC")), "Mars/Olympus")
    with pytest.raises(ValueError, match="unknown IANA time zone"):
        read_share("hi", datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("UTC")), "")


# ------------------------------------------------------------------------------------ traps

@pytest.mark.parametrize("text", [
    "I may be late", "May is my sister", "a second chance", "we sat down", "march on", "I ate 3 tacos",
    "I can't wait to try it sometime", "sun's finally out ☀️", "the sat nav took us through a field 😂",
    "wedding planning is fun", "these fries are unreal", "c'mon mon, the bus is here",
    "the 4th floor vending machine", "the 2nd season is better", "my 3rd coffee", "watched it, 10/10",
    "he was born in march 1998", "may the force be with you", "top 10 anime betrayals",
    "happy monday everyone", "ugh mondays", "jan from accounting says hi", "give me a second, brb",
])
def test_date_word_traps(text):
    moment = read(text)
    assert not moment.follow_up
    assert moment.event_date is None


def test_negated_feeling_on_a_day_is_no_follow_up():
    moment = read("not worried about Friday at all")
    assert (moment.follow_up, moment.feelings, moment.event_date) == (False, (), date(2026, 12, 11))


@pytest.mark.parametrize("text", ["no stress, take your time", "don't worry about it!",
                                  "not sad at all, honestly relieved", "nothing to worry about"])
def test_negated_feelings(text):
    assert read(text).feelings == ()


def test_negated_feeling_keeps_a_significant_event():
    assert read("I'm not anxious about tomorrow's interview").follow_up


@pytest.mark.parametrize("text", ["worried? me? never 😎", "nervous? nah", "stressed about it? not at all",
                                  "I'm no longer worried", "he doesn't seem worried", "stopped worrying about it"])
def test_more_negations(text):
    assert read(text).feelings == ()


@pytest.mark.parametrize("text", ["i'm not NOT nervous about friday", "my hands won't stop shaking", "i've never been so nervous",
                                  "not gonna lie i'm terrified"])
def test_negation_words_that_do_not_negate(text):
    moment = read(text)
    assert moment.feelings == ("worry",) and moment.follow_up


def test_oh_no_is_not_a_negation():
    assert read("oh no I'm so nervous").feelings == ("worry",)


# ------------------------------------------------------------------------------------ past events

def test_past_weekday_is_not_upcoming():
    moment = read("I had my interview on Monday and it went fine", now="2026-12-09T19:40")
    assert (moment.follow_up, moment.event_date) == (False, None)
    assert moment.reason == "past event, nothing lingering"


@pytest.mark.parametrize("text", ["the dentist appointment yesterday was fine", "last week's exam went ok",
                                  "we went to the wedding on saturday", "since monday I've been at it",
                                  "finished the race today"])
def test_past_mentions(text):
    assert read(text, now="2026-12-09T19:40").event_date is None


@pytest.mark.parametrize("text", ["visited grandma at the home on sunday, she was in great spirits",
                                  "presented my project on friday and the team loved it",
                                  "walked the 10k on saturday, legs are dead", "we all sat down on monday"])
def test_regular_past_tense_is_past(text):
    moment = read(text, now="2026-12-09T19:40")
    assert (moment.follow_up, moment.event_date) == (False, None)


@pytest.mark.parametrize("text, expected", [
    ("the exam got moved to friday, ugh", date(2026, 12, 11)),         # moved to: still ahead
    ("we decided to move the party to friday", date(2026, 12, 11)),
    ("I booked the flight home for the 19th", date(2026, 12, 19)),
])
def test_past_verbs_that_point_ahead(text, expected):
    assert read(text).event_date == expected


def test_a_past_verb_makes_today_past():
    moment = read("my dog died this morning")
    assert moment.follow_up and moment.event_date is None
    assert moment.reason == "strong sadness after a past event"


@pytest.mark.parametrize("text", ["it's so cold today, wear a jacket", "today's vibe: cozy socks and tea",
                                  "my cat looked at me with such disappointment today, i'm devastated lol"])
def test_bare_today_without_an_event_is_no_date(text):
    moment = read(text)
    assert not moment.follow_up and moment.event_date is None


@pytest.mark.parametrize("text", ["exam today at 2", "2 years sober today 💪", "results come out today",
                                  "big day today, first shift at the hospital"])
def test_today_with_an_event_is_a_date(text):
    assert read(text).event_date == date(2026, 12, 7)


def test_lingering_feeling_after_a_past_event():
    moment = read("the interview yesterday went badly and I can't stop thinking about it")
    assert moment.follow_up and moment.event_date is None
    assert moment.reason == "strong worry after a past event"


def test_feeling_in_the_past_does_not_count():
    assert read("I was worried about the results but they came back clear").feelings == ()


# ------------------------------------------------------------------------------------ feelings

@pytest.mark.parametrize("text, feeling", [
    ("I'm so worried", "worry"), ("honestly heartbroken", "sadness"), ("so stressed rn", "stress"),
    ("feeling really lonely", "loneliness"), ("I'm so excited!!", "excitement"), ("so proud of myself", "pride"),
    ("I'm so grateful for you all", "gratitude"), ("I'm furious", "anger"),
])
def test_each_feeling_strong_alone_follows_up(text, feeling):
    moment = read(text)
    assert moment.feelings == (feeling,)
    assert moment.follow_up and moment.reason == f"strong {feeling}"


def test_feelings_come_in_feelings_order():
    moment = read("so grateful for you guys but honestly so stressed and lonely")
    assert moment.feelings == tuple(f for f in FEELINGS if f in moment.feelings)
    assert moment.feelings == ("stress", "loneliness", "gratitude")


@pytest.mark.parametrize("text", ["thanks for the recipe!", "kinda annoyed", "I can't wait to try it",
                                  "lol I'm so stressed", "I'm so excited for the new zelda game",
                                  "our team lost, so gutted"])
def test_mild_joking_or_entertainment_feelings_do_not_follow_up(text):
    assert not read(text).follow_up


@pytest.mark.parametrize("text, feeling", [
    ("grandma's in the icu again", "worry"), ("dad had a fall, he's in hospital overnight", "worry"),
    ("the biopsy came back and it's malignant", "worry"), ("my cat's been missing since sunday", "worry"),
    ("we're getting evicted", "worry"), ("my dad's not picking up his phone and he's not answering the door", "worry"),
    ("she didn't recognize me. mum's been getting worse", "worry"), ("my grandpa doesn't remember my name", "sadness"),
    ("i bombed the presentation, fully blanked", "sadness"), ("got my results back and i failed chem", "sadness"),
    ("my girlfriend broke up with me last night", "sadness"), ("i got let go. 6 years", "sadness"),
    ("i can't do this anymore", "sadness"), ("no one showed up to my birthday dinner", "loneliness"),
    ("can't cover my bills this month", "stress"), ("I GOT IN!!!!! med school here i come", "pride"),
    ("passed my JLPT N2!!!", "pride"),
])
def test_situations_carry_strong_feelings(text, feeling):
    moment = read(text)
    assert moment.follow_up and feeling in moment.feelings


@pytest.mark.parametrize("text", ["the sequel bombed at the box office", "lol i passed out on the couch after the party",
                                  "we broke up the party at 2am", "my dream job would be professional napper",
                                  "terminal 2 at heathrow is a maze", "the dog had a fall off the couch, he's fine lol",
                                  "my ex dumped me 5 years ago and honestly best thing ever",
                                  "we had a fall festival at school today, so cute"])
def test_situation_words_in_passing_do_not_follow_up(text):
    assert not read(text).follow_up


def test_a_situation_is_not_muted_by_sports_talk():
    assert read("my dad had a heart attack at the match").follow_up


@pytest.mark.parametrize("text", ["nba finals game 7 tonight, i'm so nervous", "footy finals next weekend!! go swans",
                                  "esports finals this weekend, team liquid gonna choke",
                                  "world cup final tomorrow!!! so excited ⚽"])
def test_sports_finals_are_not_significant(text):
    assert not read(text).follow_up


def test_exam_finals_are():
    assert read("finals start next week and i've been sick the whole semester").follow_up


@pytest.mark.parametrize("text", ["honestly not worried about the dentist on tuesday, it's just a cleaning",
                                  "my cat has a vet checkup tuesday, just his yearly shots"])
def test_a_routine_visit_is_not_significant(text):
    moment = read(text)
    assert not moment.follow_up and moment.event_date == date(2026, 12, 8)


def test_a_routine_visit_with_worry_still_follows_up():
    assert read("routine check-up on tuesday but I'm scared they'll find something").follow_up


def test_a_grave_topic_said_to_be_near():
    moment = read("the fertility clinic calls with results this week")
    assert moment.follow_up and moment.event_date is None
    assert not read("results of the poll come out this week").follow_up


def test_mild_worry_about_a_dated_event_follows_up():
    moment = read("going to my in-laws this weekend and I'm already exhausted thinking about it")
    assert moment.follow_up and moment.event_date == date(2026, 12, 12)


def test_mild_positive_feeling_about_a_plain_plan_does_not():
    assert not read("heading to the coast for xmas, can't wait").follow_up


def test_topic_ahead_with_a_feeling():
    moment = read("my surgery is coming up soon and I'm nervous")
    assert moment.follow_up and moment.reason == "surgery ahead; worry"


# ------------------------------------------------------------------------------------ the Moment

def test_moment_for_a_typical_share():
    moment = read("job interview on Thursday and I'm honestly terrified")
    assert moment == Moment(True, date(2026, 12, 10), None, ("worry",),
                            "upcoming job interview on Thu 10 Dec; worry", "job interview")
    with pytest.raises(FrozenInstanceError):
        moment.follow_up = False


def test_reason_shows_time_and_other_years():
    assert read("surgery on Jan 5 at 7:30am", now="2026-12-30T10:00").reason == \
        "upcoming surgery on Tue 5 Jan 2027 at 07:30"


def test_date_without_anything_significant():
    moment = read("anyone up for pizza tonight?")
    assert (moment.follow_up, moment.event_date, moment.topic) == (False, date(2026, 12, 7), None)
    assert moment.reason == "nothing significant on Mon 7 Dec"


def test_small_talk():
    assert read("lol my cat knocked my coffee off the desk") == Moment(False, None, None, (), "small talk", None)


def test_only_the_first_max_chars_are_read():
    padding = "blah " * (MAX_SHARE_CHARS // 5)
    assert read(padding + "surgery tomorrow and I'm terrified").event_date is None
    assert read("surgery tomorrow. " + padding).event_date == date(2026, 12, 8)


def test_prefilter_never_drops_what_a_full_reading_finds():
    for row in labelled_rows():
        low = row["text"].lower().replace("\u2019", "'")
        local = datetime.fromisoformat(row["now"]).astimezone(ZoneInfo(row["timezone"]))
        full = moments._Reading(low, local, row["timezone"]).moment()
        assert read_share(row["text"], datetime.fromisoformat(row["now"]), row["timezone"]) == full, row["text"]


def test_import_is_cheap_and_libraries_load_lazily():
    code = ("import sys, bot.moments as m; from datetime import datetime, timezone as tz; "
            "m.read_share('lol same', datetime.now(tz.utc), 'UTC'); "
            "print('dateparser' in sys.modules, 'vaderSentiment.vaderSentiment' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.split() == ["False", "False"]


def test_thread_safe_and_deterministic():
    rows = labelled_rows()
    args = [(r["text"], datetime.fromisoformat(r["now"]), r["timezone"]) for r in rows]
    moments._month_and_day.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda a: read_share(*a), args))
    assert parallel == [read_share(*a) for a in args]


# ------------------------------------------------------------------------------------ labelled set

def test_labelled_set_is_well_formed():
    rows = labelled_rows()
    positives = sum(r["follow_up"] for r in rows)
    assert len(rows) >= 160 and positives / len(rows) >= 0.4
    assert len({r["text"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"text", "now", "timezone", "follow_up", "event_date"}
        assert datetime.fromisoformat(row["now"]).tzinfo is not None
        ZoneInfo(row["timezone"])
        if row["event_date"]:
            date.fromisoformat(row["event_date"])


def test_follow_up_precision_recall_and_exact_dates():
    tp = fp = fn = tn = dated = exact = 0
    for row in labelled_rows():
        moment = read_share(row["text"], datetime.fromisoformat(row["now"]), row["timezone"])
        expected, got = row["follow_up"], moment.follow_up
        tp, fp, fn, tn = tp + (expected and got), fp + (got and not expected), fn + (expected and not got), \
            tn + (not expected and not got)
        if expected and row["event_date"]:
            dated += 1
            exact += moment.event_date is not None and moment.event_date.isoformat() == row["event_date"]
    precision, recall, exact_share = tp / (tp + fp), tp / (tp + fn), exact / dated
    print(f"\nlabelled shares: {tp + fp + fn + tn} ({tp + fn} follow-ups, {fp + tn} not)")
    print(f"follow-up precision {precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn} tn={tn})")
    print(f"exact event dates among dated follow-ups: {exact}/{dated} = {exact_share:.3f}")
    assert precision >= 0.9
    assert recall >= 0.9
    assert exact_share >= 0.9
