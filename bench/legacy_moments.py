"""The word-list reader Kindred used before bot.reading, kept only so the moments benchmark can run it
side by side with the learned reader on the same shares. Nothing in bot/ imports it.

Read a share for moments: an upcoming event (local date, time) and the feelings around it.

`read_share(text, now, timezone)` returns a `Moment` saying whether the share deserves a follow-up.
A pre-filter (one word split and set look-ups against date and feeling cue words) lets ordinary small
talk through in microseconds; only shares with cues are read further, and only for the kind of cue found. dateparser (spans like "Dec 3", "3rd of December") and VADER
(strength of feeling) are loaded lazily, on the first share that needs them; neither downloads data.

Dates resolve in the sharer's zone against the share's local time (`now` converted to that zone):
- "today", "tonight", "this morning/afternoon/evening" -> today; "tomorrow"/"tmrw" -> +1 day;
  "the day after tomorrow" -> +2. A bare "today" is an event's day only when its sentence names something
  that happens (a topic, a time, a plan: "exam today", "2 years sober today"), not in "it's so cold today".
- "<weekday>", "on <weekday>" -> the next such day strictly after today ("Thursday" said on a Thursday
  is next week's), unless the same sentence says "today"/"tonight".
- "this <weekday>", "(this) coming <weekday>" -> the next such day, today included.
- "next <weekday>" -> that weekday in the following Monday-to-Sunday week (said on a Monday, "next
  Tuesday" is 8 days away; said on a Saturday, "next Thursday" is 5 days away).
- "this weekend", "the weekend" -> the coming Saturday (today on Saturday and Sunday);
  "next weekend" -> Saturday of next week.
- "next week" -> Monday of next week; "end of the week" -> the coming Friday; "end of the month" -> its
  last day; "end of the year" -> 31 Dec.
- "in 3 days", "in 2 weeks", "2 more days", "in an hour" -> now plus that much.
- "Dec 3", "3 December", "3rd of Dec" -> the next such date on or after today (a given year is kept);
  "the 14th" after a preposition -> the next 14th on or after today; "12/18" after a preposition ->
  month/day in US zones, day/month elsewhere; "2026-12-18"; Christmas, New Year's Eve, Valentine's...
- A bare month ("in January", "next month") is not a date.
- A mention in a past-tense clause ("I had my interview on Monday", "visited grandma on Sunday", "my dog
  died this morning"), or "yesterday", "last week", "3 days ago", is a past event, not an upcoming one.
Times: "at 3pm", "3 pm", "15:30", "at 8:30", "noon", "midnight"; a bare "at 5" reads 1-7 as pm.

Follow-up: an upcoming event with a significant topic (interview, exam, surgery, flight home...) or
with a worried, sad, stressed, lonely or angry note; a topic ahead with a feeling ("my surgery is
coming up, I'm nervous"), or a grave one said to be near ("biopsy results this week"); or a strong
feeling on its own, also after a past event ("the interview went badly and I can't stop thinking about
it"). Situations carry feelings without naming them: "grandma's in the ICU", "I bombed the
presentation", "she didn't recognize me", "can't cover my bills". Negated feelings ("not worried",
"worried? me? never") and past ones ("I was worried") do not count, and long-ago ones ("5 years ago")
weigh less. A joke ("lol") leaves a feeling only a hint and talk of games, shows and sports keeps it
from being strong, unless the share names a significant event; among such talk "finals" or a
tournament is not one, nor is a routine visit ("just a cleaning").
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_right
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FEELINGS = ("worry", "sadness", "stress", "loneliness", "excitement", "pride", "gratitude", "anger")
MAX_SHARE_CHARS = 2000
STRONG = 2.0


@dataclass(frozen=True)
class Moment:
    follow_up: bool
    event_date: date | None      # local date in the sharer's timezone
    event_time: time | None
    feelings: tuple[str, ...]    # subset of FEELINGS, in FEELINGS order
    reason: str                  # one line a person can read
    topic: str | None            # short noun phrase for the event when found


_SMALL_TALK = Moment(False, None, None, (), "small talk", None)
_NEGATIVE_FEELINGS = ("worry", "sadness", "stress", "loneliness", "anger")

# ------------------------------------------------------------------------------------ feeling cues

# (feeling, weight, words). Weight 2 is strong on its own; 1 becomes strong with an intensifier
# ("so", "really"), a second cue or VADER's agreement; 0.5 is a hint that never does by itself.
_NAMED_CUES = (
    ("worry", 2, r"terrified|petrified|panick?(?:ing|ed)|panic\s+attack|freak(?:ing|ed)\s+out|bricking\s+it"
                 r"|dread(?:ing)?|can'?t\s+stop\s+thinking|keep\s+thinking\s+about|(?:a|nervous)\s+wreck"
                 r"|heart\s+is\s+pounding|scared\s+(?:to\s+death|of\s+what)|sick\s+with\s+worry|i'?m\s+a\s+mess"),
    ("worry", 1, r"worr(?:y|ied|ies|ying)|anxious|anxiety|nervous|nerves|scared|afraid|uneasy|on\s+edge"
                 r"|pray\s+for\s+me|wish\s+me\s+luck|fingers\s+crossed|hoping\s+it'?s\s+nothing"
                 r"|(?:feel|feeling)\s+sick|shaking|can'?t\s+sleep|can'?t\s+(?:focus|concentrate|think\s+straight)"
                 r"|hopes\s+up|not\s+looking\s+forward"),
    ("sadness", 2, r"heartbroken|devastated|passed\s+away|can'?t\s+stop\s+crying|grie(?:f|ving)|depressed"
                   r"|put\s+(?:our|my|the)\s+(?:dog|cat|pup|puppy|kitty|rabbit|bunny|horse)\s+down"
                   r"|i'?m\s+not\s+ok(?:ay)?|broke\s+my\s+heart|(?:feel|feels|feeling)\s+(?:so\s+|really\s+)?empty"
                   r"|everything\s+feels\s+heavy|if\s+i\s+disappeared|failing\s+at\s+everything"
                   r"|(?:feel|feel\s+like)\s+(?:a\s+)?failure|worthless|hopeless|first\s+(?:\w+\s+)?without"
                   r"|lost\s+my\s+(?:mom|mum|dad|mother|father|brother|sister|grandma|grandpa|husband|wife|partner)"),
    ("sadness", 1, r"sad|sadder|upset|miserable|crying|cried|tears|hurts?|gutted|rough"
                   r"|(?:feel|feeling|been)\s+(?:so\s+|really\s+)?down|not\s+doing\s+(?:well|ok|okay|great)"
                   r"|miss\s+(?:her|him)|still\s+processing"),
    ("stress", 2, r"overwhelmed|burn(?:ed|t)\s+out|burnout|losing\s+my\s+mind|at\s+my\s+limit|breaking\s+point"
                  r"|can'?t\s+cope|(?:can'?t|not\s+sure\s+i\s+can)\s+handle|drowning|falling\s+apart|so\s+behind"
                  r"|send\s+help"),
    ("stress", 1, r"stress(?:ed|ing|ful)?|exhausted|swamped|pressure|hectic|frazzled|(?:falling|fell|way)\s+behind"
                  r"|too\s+much|so\s+much\s+to\s+do|nowhere\s+near\s+done|haven'?t\s+slept|tired\s+of"),
    ("loneliness", 2, r"(?:nobody|no\s+one)\s+(?:texts|calls|cares|notices|would\s+notice|talks)"
                      r"|don'?t\s+know\s+anyone|have\s+no\s+friends|all\s+alone"
                      r"|haven'?t\s+(?:talked|spoken)\s+to\s+anyone"
                      r"|(?:nobody|no\s+one)\s+(?:\w+\s+){0,3}?(?:showed\s+up|turned\s+up|remembered)"),
    ("loneliness", 1, r"lonely|loneliness|isolated|(?:feel|feeling|feels)\s+(?:so\s+|really\s+|very\s+)?alone"
                      r"|so\s+alone|(?:feel|feeling|felt)\s+left\s+out"
                      r"|miss(?:ing)?\s+(?:home|you|everyone|them|my\s+\w+)"
                      r"|(?:so|really|too)\s+far\s+away|far\s+from\s+home|invisible|forgotten\s+about"
                      r"|(?:house|flat|apartment|place)\s+(?:is|feels)\s+(?:so\s+|really\s+|very\s+)?(?:quiet|empty)"
                      r"|(?:nobody|no\s+one)\s+(?:\w+\s+){0,3}?(?:came|messaged|texted|called|checked\s+(?:in|on)"
                      r"|invited"
                      r"|reached\s+out)"),
    ("excitement", 2, r"over\s+the\s+moon|ecstatic|thrilled"),
    ("excitement", 1, r"excit(?:ed|ing)|can'?t\s+wait|cannot\s+wait|looking\s+forward|pumped|hyped|stoked"
                      r"|buzzing|let'?s\s+go+|can'?t\s+believe\s+it"),
    ("excitement", 0.5, r"yay+|woo+|omg"),
    ("pride", 2, r"got\s+the\s+(?:job|offer|part|role)|got\s+into|acceptance\s+letter|got\s+accepted"
                 r"|(?:got|been)\s+promoted|i\s+got\s+it|never\s+thought\s+i'?d\s+make\s+it|years?\s+sober"
                 r"|passed\s+(?:my|the)\s+(?:\w+\s+)?(?:test|exams?|finals|boards|interview)|offer\s+letter"
                 r"|(?:got|received)\s+(?:an?|the)\s+offer|cleared\s+(?:the|my)\s+(?:interview|exams?|test|boards)"),
    ("pride", 1, r"proud|pride|nailed(?:\s+it)?|crushed\s+it|accomplished|i\s+did\s+it|i\s+made\s+it"
                 r"|finally\s+(?:finished|handed\s+in|paid\s+off|passed)"),
    ("gratitude", 2, r"(?:thank\s+you|thanks)(?:\s+so\s+much)?\s+for\s+being\s+there"
                     r"|(?:means|meant)\s+(?:so\s+much|the\s+world|a\s+lot)"
                     r"|couldn'?t\s+have\s+done\s+(?:it|this)\s+without"),
    ("gratitude", 1, r"grateful|thankful|appreciate\s+(?:you|it|this|everything)|blessed|lucky\s+to\s+have"
                     r"|(?:really|truly)\s+needed\s+(?:it|that|this)"),
    ("gratitude", 0.5, r"thanks|thank\s+(?:you|u)|thx|ty"),
    ("anger", 2, r"furious|livid|fuming|seething|pissed\s+off|so\s+done|could\s+scream|rage|raging"
                 r"|sick\s+of|fed\s+up"),
    ("anger", 1, r"angry|mad|annoyed|irritated|pissed|frustrat(?:ed|ing)|hate"),
    # Getting in, getting an offer:
    ("pride", 2, r"(?:i|we|she|he)\s+got\s+in(?=\s*(?:[!.,]|$))"
                 r"|(?:got|received|landed)\s+(?:a|an|the|my)\s+(?:\w+\s+)?offer"),
    ("pride", 1, r"passed\s+(?:my|the|our|her|his)\b|job\s+offer|first\s+(?:one\s+|person\s+)?in\s+(?:my|our"
                 r"|the)\s+family"
                 r"\s+to"),
)
# Situations that carry a feeling without naming it ("she didn't recognize me", "grandma's in the ICU").
_SITUATION_CUES = (
    # Illness, accidents, emergencies:
    ("worry", 2, r"(?:is|are|he'?s|she'?s|they'?re|i'?m|been|still|now|back|ended\s+up)\s+in(?:to)?\s+(?:the\s+)?"
                 r"(?:hospital|icu|intensive\s+care|emergency(?:\s+room)?)"
                 r"|(?:in|into|to)\s+(?:the\s+)?(?:icu|intensive\s+care)|in\s+the\s+er"
                 r"|(?:rushed|admitted|taken)\s+(?:to|into)\s+(?:the\s+)?(?:hospital|er|emergency)"
                 r"|hospitali[sz]ed|ambulance|coma|critical\s+condition|life-?threatening|ventilator|life\s+support"
                 r"|hospice|palliative"
                 r"|had\s+(?:a|an|another)\s+(?:bad\s+|nasty\s+|serious\s+|big\s+|minor\s+|small\s+)?"
                 r"(?:fall|stroke|heart\s+attack|seizure|accident|crash)"
                 r"(?!\s+(?:festival|fair|party|break|course|class|sale))"
                 r"|overdos(?:e|ed)|passed\s+out|fainted|collapsed|blacked\s+out|can'?t\s+breathe"
                 r"|found\s+a\s+(?:lump|mass|growth)|(?:a|the)\s+mass\s+on|tumou?rs?|malignant|metasta\w+"
                 r"|terminal(?:ly\s+ill)?(?!\s*\d)|cancer\s+(?:is\s+|came\s+)?back|(?:it'?s|has|it\s+has"
                 r"|cancer\s+has)\s+spread"
                 r"|(?:got|been|was|just|recently)\s+diagnosed|(?:getting|got|gotten|gone|going)\s+worse"
                 r"|going\s+downhill"
                 r"|doesn'?t\s+look\s+good|bad\s+news"),
    ("worry", 1, r"cancer|leuka?emia|lymphoma|dementia|alzheimer'?s|parkinson'?s|sclerosis|sepsis|pneumonia|pathology"
                 r"|(?:the|an?|car|bike|bad)\s+accident|(?:throwing|threw)\s+up"
                 r"|wants?\s+to\s+see\s+(?:me|him|her|us|them)\s+(?:asap|urgently|right\s+away)"
                 r"|waiting\s+(?:on|for)\s+(?:the\s+)?(?:results|call|news|report|biopsy|scan)"
                 r"|(?:isn'?t|not|aren'?t)\s+(?:very\s+|too\s+)?(?:optimistic|hopeful)|not\s+looking\s+good"),
    # Trouble, danger, someone missing or out of reach:
    ("worry", 2, r"(?:got|been|was|were|is|being)\s+(?:suspended|expelled|arrested|detained|charged|robbed|mugged"
                 r"|assaulted|attacked|burgl[ae]r?i?[sz]?ed)|broken\s+into|(?:house|flat|apartment|basement)\s+flooded"
                 r"|evict(?:ed|ing|ion)|kick(?:ing|ed)\s+(?:us|me|him|her|them)\s+out"
                 r"|losing\s+(?:the|our|my|their)\s+(?:house|home|flat|apartment|jobs?)"
                 r"|(?:been|is|are|went|gone|still)\s+missing(?!\s+(?:you|home|everyone|them|my|her|him|the|out))"
                 r"|missing\s+since|ran\s+away|can'?t\s+find\s+(?:my|our)\s+(?:dog|cat|pup\w*|kitten|kitty|son|daughter"
                 r"|kid)"
                 r"|(?:no\s+idea|don'?t\s+know|not\s+sure)\s+how\s+(?:i'?m|i\s+am|i'?ll|i\s+will|i|we'?re|we'?ll|we|to)"
                 r"\s+(?:gonna\s+|going\s+to\s+|supposed\s+to\s+)?(?:get\s+through|survive|cope|handle|do\s+this|pay"
                 r"|afford|tell|face|say\s+goodbye)"),
    ("worry", 1, r"(?:not|isn'?t|hasn'?t\s+been|stopped)\s+(?:picking\s+up|answering|replying)"
                 r"|can'?t\s+(?:reach|get\s+hold\s+of)\s+(?:him|her|them|my|mum|mom|dad)"
                 r"|(?:we|we'?ve\s+got)\s+(?:need|have)\s+to\s+talk\b(?!\s+about)"
                 r"|wants?\s+to\s+talk\s+to\s+me\b(?!\s+about)"
                 r"|that'?s\s+never\s+(?:a\s+)?good|(?:don'?t|do\s+not)\s+know\s+what\s+to\s+do|worst\s+case"),
    # Nerves in the body and in the head:
    ("worry", 1, r"brave\s+face|trying\s+not\s+to\s+(?:panic|google|think|worry|freak|cry|spiral|overthink)"
                 r"|trying\s+to\s+(?:stay|keep)\s+(?:calm|positive|normal|busy|it\s+together)|jumpy|butterflies"
                 r"|stomach\s+(?:is\s+)?(?:in\s+knots|churning|in\s+my\s+throat)|can'?t\s+eat|clammy|sweaty\s+palms"
                 r"|not\s+ready\s+(?:for\s+this|to)|spiral(?:l?ing|l?ed)?"),
    # Loss, grief, a loved one slipping away:
    ("sadness", 2, r"(?:mom|mum|mother|dad|father|grandma|grandpa|granny|nan|nana|nani|grandmother|grandfather"
                   r"|brother|sister|son|daughter|husband|wife|partner|friend|uncle|aunt|auntie|cousin|dog|cat|pup"
                   r"|puppy|kitty|bunny|rabbit|hamster|horse|baby|he|she)(?:'s)?\s+(?:just\s+|has\s+|had\s+"
                   r"|suddenly\s+)?"
                   r"died|since\s+\w+\s+died|passed\s+on\b|(?:he|she)(?:'s|\s+is)\s+(?:really\s+|actually\s+"
                   r"|just\s+)?gone"
                   r"(?=\s*(?:[.!,;?]|$|forever))|miscarr(?:iage|ied)|stillb(?:orn|irth)"
                   r"|lost\s+(?:the|our|my|a)\s+(?:baby|pregnancy)|lost\s+(?:\w+\s+)?everything"
                   r"|(?:didn'?t|doesn'?t|don'?t|couldn'?t|won'?t|no\s+longer)\s+(?:even\s+)?recogni[sz]e\s+(?:me|us"
                   r"|her|him"
                   r"|anyone)|(?:doesn'?t|don'?t|didn'?t|can'?t|couldn'?t|no\s+longer)\s+(?:even\s+)?remember\s+(?:me"
                   r"|my\s+name|who|us)|(?:forgot|forgets|forgotten)\s+who\s+(?:i|we)\s+(?:am|was|are|were)"),
    # Breakups, betrayal, being cut off:
    ("sadness", 2, r"broke\s+up\s+with|we\s+broke\s+up(?!\s+(?:the|a|an|our|my|some|that|this|it)\b)|dumped\s+me"
                   r"|(?:got|been|getting)\s+dumped|cheated\s+on\s+me|cheating\s+on|having\s+an\s+affair"
                   r"|left\s+me(?=\s*(?:[.!,;?]|$|for\b))|(?:been\s+)?lying\s+(?:to\s+me|about)|lied\s+to\s+me"
                   r"|(?:we'?re|we\s+are|are|is)\s+(?:breaking\s+up|splitting\s+up|getting\s+(?:a\s+)?divorced?"
                   r"|separating)"
                   r"|(?:think|guess)\s+we'?re\s+(?:done|over|finished|through)"
                   r"|(?:marriage|relationship|engagement)\s+(?:is|might\s+be|feels)\s+(?:over|done|falling\s+apart)"
                   r"|stopped\s+(?:talking|speaking)\s+to\s+(?:me|us)|(?:rejected|ghosted)\s+me|ghosting\s+me"),
    ("sadness", 1, r"(?:not|isn'?t|aren'?t)\s+(?:talking|speaking)\s+to\s+(?:me|my|her|him)"
                   r"|fighting\s+(?:nonstop|constantly|all\s+the\s+time|every\s+day|again)"
                   r"|(?:been|keep|kept|always|constantly)\s+fighting"),
    # Failure, rejection, losing a job:
    ("sadness", 2, r"(?:i|we|totally|completely|fully|just|literally|kinda)\s+(?:bombed|blanked)|bombed\s+(?:the|my|it"
                   r"|that|an?)\b|blanked\s+(?:on|in)\b|froze\s+up"
                   r"|(?:i|we)\s+(?:totally\s+|completely\s+|just\s+)?failed"
                   r"|failed\s+(?:my|the|it|again|\w+\s+(?:test|exam|class|course))"
                   r"|(?:got|been|was|were|getting|being)\s+(?:let\s+go|fired|sacked|laid\s+off|made\s+redundant)"
                   r"|lost\s+my\s+job|got\s+rejected|rejected\s+from|rejection"
                   r"|didn'?t\s+get\s+(?:the\s+)?(?:job|offer|part|role|place|promotion|scholarship)"
                   r"|didn'?t\s+get\s+(?:in|into|accepted|picked|chosen|selected)\b"),
    ("sadness", 1, r"embarrass(?:ed|ing)|ashamed|humiliat(?:ed|ing)|(?:messed|screwed)\s+up"),
    ("anger", 1, r"(?:yelled|screamed|shouted|snapped|swore)\s+at\s+(?:me|us|my)"),
    # Despair and low mood said plainly:
    ("sadness", 2, r"can'?t\s+do\s+(?:this|it)\s+anymore|what'?s\s+(?:even\s+)?the\s+point(?=\s*(?:[.!,;?]|$|anymore"
                   r"|of\s+(?:anything|trying|it\s+all|living)))|(?:want|ready)\s+to\s+give\s+up"
                   r"|giving\s+up\s+on\s+(?:everything|life|myself)|relaps(?:e|ed|ing)"),
    ("sadness", 1, r"(?:feel|feeling|felt)\s+(?:like\s+)?(?:garbage|trash|crap|shit|awful|terrible|horrible|useless)"
                   r"|(?:feel|feeling|felt)\s+(?:so\s+|really\s+|very\s+|pretty\s+)?(?:low|lost|numb|hollow|broken"
                   r"|defeated)"
                   r"|can'?t\s+get\s+out\s+of\s+bed"),
    # Money trouble:
    ("stress", 2, r"\d[\d,.]*k?\s+short\s+(?:on|for)\s+(?:the\s+|my\s+|our\s+)?(?:rent|bills?|mortgage)"
                  r"|can'?t\s+(?:afford|cover|make|pay)\s+(?:the\s+|my\s+|our\s+)?(?:rent|bills?|mortgage|tuition|fees"
                  r"|payments?)|(?:behind|short)\s+on\s+(?:the\s+|my\s+|our\s+)?(?:rent|bills?|payments?|mortgage)"
                  r"|drowning\s+in\s+debt"),
    ("stress", 1, r"\d[\d,.]*k?\s+(?:dollars\s+|bucks\s+|quid\s+|euros\s+|pounds\s+)?short|in\s+debt|overdrawn"
                  r"|overdraft"
                  r"|can'?t\s+afford|lost\s+(?:a|my|another)\s+shift|without\s+paying|owes?\s+(?:me|us)\s+\$?\d"),
)
_WORD_CUES = _NAMED_CUES + _SITUATION_CUES
_EMOJI_CUES = {"😬": ("worry", 1), "😰": ("worry", 1), "😨": ("worry", 1), "😱": ("worry", 1),
               "😢": ("sadness", 1), "💔": ("sadness", 1), "😞": ("sadness", 1), "😔": ("sadness", 0.5),
               "🥺": ("sadness", 0.5), "🤩": ("excitement", 1), "🎉": ("excitement", 0.5),
               "🥳": ("excitement", 0.5), "💪": ("pride", 1), "🏆": ("pride", 0.5),
               "😡": ("anger", 1), "🤬": ("anger", 2), "😤": ("anger", 0.5)}


def _cue_pattern(cues: tuple, first: int) -> re.Pattern:
    """One regex for the cues, group c<i> for _WORD_CUES[i]. One word-boundary test and one look at the
    next character before trying the alternatives keeps it fast."""
    return re.compile(r"\b(?=[a-z0-9])(?:" + "|".join(rf"(?P<c{i}>(?:{words})\b)"
                                                     for i, (_, _, words) in enumerate(cues, first)) + ")")


_NAMED_FEELING = _cue_pattern(_NAMED_CUES, 0)
_SITUATION_FEELING = _cue_pattern(_SITUATION_CUES, len(_NAMED_CUES))  # only tried when a situation word is there
_EMOJI_FEELING = re.compile("[" + "".join(_EMOJI_CUES) + "]")
_NEGATED = re.compile(r"\b(?:not|never|(?<!oh\s)no|zero|don'?t|didn'?t|isn'?t|aren'?t|wasn'?t|weren'?t|nothing|without"
                      r"|hardly|barely|won'?t|ain'?t|doesn'?t|no\s+longer|no\s+need\s+to|nor|neither|stopped)\b"
                      r"(?!\s+(?:stop|gonna\s+lie|going\s+to\s+lie)\b|\s+(?:been|felt)\s+(?:so|this|that|more)\b)"
                      r"(?:\s+\S+){0,2}\s*$")
# "not NOT nervous", "can't not worry": a doubled negation affirms.
_DOUBLE_NEGATION = re.compile(r"\b(?:not|can'?t|cannot)\s+not\s*$")
# "worried? me? never", "nervous? nah": a question answered in the negative.
_NEGATED_AFTER = re.compile(r"[^.!?\n]{0,30}\?+\s*(?:[a-z']+\?+\s*)?(?:never|nope|nah|no|not\s+(?:really|at\s+all|me"
                            r"|even"
                            r"|a\s+bit)|pfft)\b")
_PAST_FEELING = re.compile(r"\b(?:was|were)\b(?:\s+\S+)?\s*$")
_DAMPENED = re.compile(r"\b(?:kinda|kind\s+of|a\s+bit|a\s+little|slightly|somewhat|sort\s+of|mildly)\s*$")
_INTENSIFIED_BEFORE = re.compile(r"\b(?:so+|really|very|super|honestly|literally|absolutely|completely|extremely"
                                 r"|incredibly|truly|deeply|too|such|genuinely|insanely|totally|beyond|hella|still"
                                 r"|(?:won'?t|can'?t|couldn'?t)\s+stop|never\s+(?:been|felt)\s+(?:so|this|more))\b"
                                 r"(?:\s+\S+)?\s*$")
_INTENSIFIED_AFTER = re.compile(r"\s*(?:is\s+|are\s+)?(?:so\s+much|a\s+lot|like\s+crazy|badly|af|as\s+hell|nonstop"
                                r"|through\s+the\s+roof|all\s+(?:day|night|morning|afternoon|evening|week)"
                                r"|(?:(?:properly|well|right)\s+)?(?:in|for)\s+(?:days|weeks|months|ages))\b")
# A clause about long ago ("5 years ago", "when I was a kid") weakens its feeling; "a year ago today" does not.
_LONG_AGO = re.compile(r"\b(?:(?:\d+|a|an|two|three|four|five|few|many|several)\s+(?:years?|months?)\s+ago(?!\s+today)"
                       r"|last\s+year|when\s+i\s+was\s+(?:a\s+kid|little|young|younger|a\s+teen\w*|in\s+school)"
                       r"|as\s+a\s+kid|back\s+in\s+(?:\d{4}|the\s+day|school|college|uni))\b")
# "a 9/10 on the stress scale": a high rating in the cue's clause makes it strong.
_HIGH_RATING = re.compile(r"\b(?:[7-9]|1\d|100)\s*/\s*10\b")
# Pride said with "!!" in the same sentence ("passed my N2!!!") is strong.
_EXCLAIMED = re.compile(r"[^.?\n]{0,40}?!{2,}")
_INTENSIFIED_WITHIN = re.compile(r"\b(?:so+|really|very)\b")
_ENTERTAINMENT = re.compile(r"\b(?:games?|(?<!whole\s)(?<!the\s)(?<!work\s)team|match|footy|football|soccer|basketball"
                            r"|baseball|hockey|nba|nfl|league|season|episode|movie|film"
                            r"|(?:the|that|this|a|tv|new|fav(?:ou?rite)?)\s+show|series|album|trailer|concert|cup"
                            r"|e-?sports"
                            r"|playoffs?|fantasy|championship|super\s+bowl|world\s+series|grand\s+prix|f1|ufc|rugby"
                            r"|cricket|tennis|golf|mlb|nhl|finale|netflix|anime|twitch|stream(?:er|ing)?|box\s+office"
                            r"|sequel|ref)\b")
# Topics that are also what fans watch ("the nba finals", "cup final"): not significant among such words.
_SPECTATOR_TOPICS = frozenset({"finals", "final", "tournament", "competition", "race", "opening night", "debut"})
# "it's just a cleaning", "only a routine check-up": the topic is not significant.
_ROUTINE = re.compile(r"\b(?:(?:just|only)\s+(?:a|an|my|the|his|her|their|our|its)\s+(?:quick\s+|routine\s+|regular\s+"
                      r"|normal\s+|annual\s+|yearly\s+)?(?:cleaning|check-?up|formality|stand-?up|catch-?up|chat"
                      r"|follow-?up|refill|trim|consult(?:ation)?|shots|jabs|vaccin\w*|boosters?|physical)"
                      r"|routine\s+(?:check|check-?up|cleaning|visit|appointment))\b")
_JOKE = re.compile(r"\b(?:lol+|lmf?ao+|haha\w*|hehe\w*|jk|rofl)\b|😂|🤣|💀")

# ------------------------------------------------------------------------------------ date cues

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_AMBIGUOUS_WEEKDAYS = frozenset({"mon", "wed", "sat", "sun"})
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_HOLIDAYS = {"christmas eve": (12, 24), "xmas eve": (12, 24), "christmas": (12, 25), "xmas": (12, 25),
             "new year's eve": (12, 31), "new years eve": (12, 31), "nye": (12, 31),
             "new year's day": (1, 1), "new years day": (1, 1), "valentine's day": (2, 14),
             "valentines day": (2, 14), "valentine's": (2, 14), "halloween": (10, 31),
             "thanksgiving": None}  # US Thanksgiving: the fourth Thursday of November
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MDY_ZONE_PREFIXES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                      "America/Phoenix", "America/Anchorage", "America/Boise", "America/Detroit",
                      "America/Indiana/", "America/Kentucky/", "America/North_Dakota/", "America/Juneau",
                      "America/Sitka", "America/Nome", "America/Adak", "America/Menominee",
                      "America/Metlakatla", "America/Yakutat", "America/Puerto_Rico", "Pacific/Honolulu", "US/")
_PREPOSITION = r"(?:on|by|until|till|til|before|after|due|is|from|for|starting)"

_RELATIVE = re.compile(
    r"\b(?:(?P<after_tomorrow>(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw|tmr))"
    r"|(?P<past>yesterday|last\s+(?:night|week|weekend|month|year)|earlier\s+today"
    r"|(?:a|an|one|two|three|four|five|six|\d{1,3})\s+(?:days?|weeks?|months?|years?)\s+ago)"
    r"|(?P<tomorrow>tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmw|2moro|2morrow|tomoz)"
    r"|(?P<today>today|tonight|tonite|2nite|2day|this\s+(?:morning|afternoon|evening|arvo)|later\s+today)"
    r"|(?P<next_weekend>next\s+(?:weekend|wknd))"
    r"|(?P<weekend>(?:this|the)\s+(?:weekend|wknd))"
    r"|(?P<next_week>next\s+week)"
    r"|(?P<end_week>end\s+of\s+(?:the\s+|this\s+)?week)"
    r"|(?P<end_month>end\s+of\s+(?:the\s+|this\s+)?month)"
    r"|(?P<end_year>end\s+of\s+(?:the\s+|this\s+)?year))\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<mod>next|this\s+coming|this|coming|last|since|happy|every|on|by|until|till|before|after|from)\s+)?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues?|thu(?:rs?)?|weds?|fri|mon|sat|sun)\b")
# "mon", "wed", "sat", "sun" are words too ("c'mon", "we sat", "the sun"): without "on", "this"... they count
# only before a time of day, a number, or (except "sun") "is" or the end of a sentence.
_SHORT_WEEKDAY_CONTEXT = re.compile(r"\s*(?:(?:night|morning|afternoon|evening|arvo|at)\b|\d)")
_SHORT_WEEKDAY_END = re.compile(r"\s*(?:[?!.]|$|is\b)")
_IN_DURATION = re.compile(
    r"\b(?:in\s+(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+(?:of\s+)?)\s*"
    r"(?P<unit>days?|weeks?|hours?|hrs?|minutes?|mins?)"
    r"|(?P<n2>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:more\s+)?(?P<unit2>days?|weeks?|sleeps)"
    r"\s+(?:left|to\s+go|until|till|away|from\s+now))\b")
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH}\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})\b(?!:|\.\d)"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?")
_ORDINAL_DAY = re.compile(
    rf"\b{_PREPOSITION}\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:floor|time|place|grade|round|attempt|try|season|episode|row|one|anniversary|birthday|edition"
    r"|gen|generation|period|street|st|avenue|ave|century|percentile|page|chapter|level|year|week|day)\b)")
_SLASH_DATE = re.compile(rf"\b{_PREPOSITION}\s+(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})(?:/(?P<year>\d{{2}}|\d{{4}}))?\b(?!/)")
_ISO_DATE = re.compile(r"\b(?P<year>20\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_HOLIDAY = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(_HOLIDAYS, key=len, reverse=True)) + r")\b")

_TIME = re.compile(
    r"\b(?:(?P<h12>1[0-2]|0?[1-9])(?::(?P<m12>[0-5]\d))?\s*(?P<ap>[ap])\.?m\b\.?"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
    r"|at\s+(?P<hb>1[0-2]|0?[1-9])\b(?![:/.,]?\d)(?!\s*(?:%|percent|degrees|people|times|of)\b)"
    r"(?P<morning>\s+(?:in\s+the\s+)?morning)?"
    r"|(?P<noon>noon|midday)|(?P<midnight>midnight))")

_PAST_WORDS = re.compile(r"\b(?:was|wasn'?t|were|weren'?t|had|hadn'?t|went|did|didn'?t|ran|came|saw|took|won|lost"
                         r"|sat|felt|said|told|finished|happened|ended|passed|left|found|met|heard|spent|bought"
                         r"|gave|called|texted|yesterday|ago|earlier|died|broke|fell|forgot|woke|wrote|drove|flew|ate"
                         r"|drank|slept|threw|caught|brought|fought|began|swam|sang|rang|shook|chose|froze|spoke|stole"
                         r"|wore|kept|sent|laid|blew|grew|knew|rode|sold|taught|tore|became|got\s+(?:let\s+go|fired"
                         r"|sacked|dumped|laid\s+off|rejected|hit|robbed|mugged|hurt|injured|arrested|ghosted|back"
                         r"|home)"
                         r"|last\s+(?:night|week|weekend|month|year))\b")
# Regular past tense ("I bombed", "my dog died", "visited grandma on sunday"): an -ed verb after a subject,
# or opening the clause. Words that are mostly adjectives, or that move an event ("moved to friday"), don't count.
_REGULAR_PAST = re.compile(
    r"(?:^\s*|\b(?:i|we|he|she|they|you|it|just|finally|already|then|also|both|all|never|literally|actually|totally"
    r"|(?:my|our|his|her|their|the)\s+[a-z]+(?:'s)?)\s+)"
    r"(?!(?:excited|worried|scared|stressed|tired|bored|interested|supposed|used|engaged|married|related|concerned"
    r"|prepared|booked|scheduled|planned|arranged|confirmed|invited|expected|moved|rescheduled|postponed|delayed"
    r"|cancell?ed|pushed|bumped|determined|obsessed|pleased|relieved|thrilled|terrified|petrified|overwhelmed"
    r"|exhausted|frustrated|annoyed|embarrassed|ashamed|depressed|devastated|isolated|hundred|naked|sacred|wicked"
    r"|crooked|rugged|ragged|beloved|wretched|blessed|stuck|allowed|required|needed|wanted|hoped|amazed|shocked"
    r"|surprised|convinced|qualified|experienced|advanced|limited|involved|based|named|dressed|decided|promised"
    r"|offered|asked|registered|signed|enrolled)\b)"
    r"[a-z]{2,}[^e\W]ed\b|(?:^\s*|\b(?:i|we|he|she|they|my\s+[a-z]+)\s+)died\b")
_FUTURE_WORDS = re.compile(r"\b(?:will|won'?t|gonna|going\s+to|is|are|am|isn'?t|aren'?t|tomorrow|tmrw|tonight|next"
                           r"|coming|upcoming|until|till|before|can'?t\s+wait|have\s+to|has\s+to|need\s+to"
                           r"|needs\s+to|wants?|starts?|begins?|due|comes?|leaves?|soon|any\s+day\s+now)\b"
                           r"|'(?:ll|m|re|d)\b")
_SINCE = re.compile(r"\bsince\s+$")
_SOON = re.compile(r"\b(?:this\s+week|soon|coming\s+up|later\s+this\s+(?:week|month)|this\s+month"
                   r"|in\s+a\s+(?:few|couple\s+(?:of\s+)?)\s+(?:days|weeks))\b")
# Topics grave enough to follow up without a date or a feeling when they are near ("biopsy results this week").
_GRAVE_TOPIC = re.compile(r"surgery|operat|biopsy|scan|mri|blood|chemo|treatment|procedure|hearing|court|trial|verdict"
                          r"|sentenc|interview|exam|test|diagnos|prognosis|ivf|fertility|transplant|funeral|memorial"
                          r"|deploy|evict|\w+(?:ectomy|otomy|oscopy|plasty)")
# A bare "today" is an event's day only when its sentence names something that happens.
_TODAY_EVENT = re.compile(r"\b(?:day|party|dinner|lunch|brunch|game|match|meetings?|shift|class|lecture|lesson|date"
                          r"|trip"
                          r"|sober|clean|plans?|due|deadline|starts?|begins?|comes?\s+out|arrives?|lands?|leaves?"
                          r"|opens?|ends?|will|gonna|going\s+to)\b|'ll\b")
_CLAUSE_BREAK = re.compile(r"[!?;,\n—–]+|(?<!\d)[.:](?!\d)|\s(?:but|and|because|though|although)\s")
_SENTENCE_BREAK = re.compile(r"[!?\n]+|(?<!\d)\.(?!\d)")

# ------------------------------------------------------------------------------------ topics

_TOPIC = re.compile(
    r"\b(?=[a-z0-9])(?:(?P<q>job|phone|video|placement|second|final|bar|driving|heart|knee|hip|back|eye"
    r"|custody|sentencing|court|thesis|therapist|therapy|doctor'?s?|dentist|hospital|vet|medical|test|annual)\s+)?"
    r"(?P<t>interviews?|exams?|finals|midterms?|tests?(?!\s+(?:passed|pass|are\s+(?:green|passing)|failing|run))"
    r"|surgery|operation|(?:heart|knee|hip|back|eye|valve)\s+op"
    r"|biopsy|scans?|mri|ct\s+scan|x-?ray|ultrasound|results|grades|bloodwork|blood\s+(?:work|test)"
    r"|chemo(?:therapy)?|radiation|radiotherapy|infusion|dialysis|treatment|procedure|appointment|appt"
    r"|check-?up|dentist|root\s+canal|braces|therapy|therapist|doctor|hospital|vet|funeral|memorial|wedding"
    r"|(?<!moot\s)(?<!food\s)(?<!tennis\s)(?<!basketball\s)court|hearing"
    r"|(?<!free\s)trial(?!\s+(?:period|run|version|subscription|class|lesson))|deadline|presentation|pitch|defen[cs]e"
    r"|viva|audition|recital|performance\s+review"
    r"|gig|marathon(?!\s+of)|race|competition|tournament|first\s+(?:day|shift|date)|new\s+job|due\s+date"
    r"|baby(?:'s|\s+is)?\s+due|c-section|flight(?:\s+home)?|flying\s+(?:home|out|back|to)|fly\s+home"
    r"|moving\s+(?:out|in|into|house|day|to|abroad|back)|the\s+move|big\s+move|graduation|election|visa"
    r"|breakup|birthday|anniversary|taxes|tax\s+(?:return|stuff)|colonoscopy|endoscopy|mammogram"
    r"|ivf(?:\s+transfer)?|embryo\s+transfer|egg\s+retrieval|cast\s+off|stitches\s+out|layoffs?|laid\s+off"
    r"|redundanc(?:y|ies)|last\s+day\s+(?:at|of)\s+(?:work|my\s+job|the\s+job)|school\s+play|ceremony|prom"
    r"|1:1|one-on-one|hear\s+back|icu|intensive\s+care|emergency\s+room|(?:into|in)\s+labou?r"
    r"|having\s+a\s+baby|going\s+to\s+be\s+(?:parents|a\s+(?:mom|mum|dad))|pregnan(?:t|cy)"
    r"|\w+(?:ectomy|otomy|oscopy|plasty)"
    r"|(?:tell|telling|talk\s+to|talking\s+to)\s+(?:my|our)\s+(?:parents|mom|mum|dad|boss|manager|partner|family)"
    r"|(?:boss|manager|hr)\s+wants\s+to\s+['\"]?(?:chat|talk|meet|see\s+me)"
    r"|(?:meeting|chat|talk|1:1)\s+with\s+(?:my\s+)?(?:boss|manager|hr)"
    r"|(?:report|paper|essay|assignment|project)\s+(?:is\s+)?due|lease\s+ends"
    r"|(?:hip|knee|joint|valve|kidney|liver|heart|lung|cornea|shoulder)\s+(?:replacement|transplant)|transplant"
    r"|(?:tonsils|(?:wisdom\s+)?teeth|tooth|appendix|gallbladder)\s+(?:out|removed|pulled)|er\s+(?:visit|trip)|a&e"
    r"|sentenc(?:ed|ing)|divorce|custody|proposing(?!\s+(?:we|that|to\s+the))|propose\s+to\s+(?:her|him|my)"
    r"|closing\s+(?:on\s+(?:the|our|my|a)\s+(?:house|home|flat|apartment|condo|place)|day)|house\s+closing"
    r"|(?:meet|meeting)\s+(?:her|his|their|the|my\s+(?:partner|girlfriend|boyfriend|fianc[eé]e?)'?s)\s+(?:parents"
    r"|family)"
    r"|opening\s+night|debut|(?:contract|tenancy|visa|job)\s+(?:ends|expires|runs\s+out|is\s+up)"
    r"|(?:applications?|dissertation|coursework|thesis)\s+(?:is\s+|are\s+)?due|negotiation|embassy|consulate"
    r"|(?:meeting|appointment|appt|call|session)\s+with\s+(?:the\s+|my\s+|a\s+|our\s+)?(?:lawyer|solicitor|attorney"
    r"|bank|landlord|principal|counsel+or|social\s+worker|specialist|surgeon|oncologist|\w+\s+counsel+or)"
    r"|(?:have|need|got)\s+to\s+tell\s+(?:them|him|her)|interviewing|graduat(?:ion|ing|e)|induc(?:tion|ing|ed)"
    r"|under\s+the\s+knife|operat(?:ion|ed\s+on|ing\s+on)|deploy(?:ed|ment)|verdict|parole|probation|sentencing"
    r"|arraignment|deposition|mediation|tribunal|court\s+date|evict(?:ion|ed)|foreclos(?:ure|ed)|restructur(?:e|ing)"
    r"|adoption|foster(?:ing)?\s+placement|start\s+date|placement\s+(?:drive|exam|test)|diagnosis|prognosis"
    r"|fertility(?:\s+clinic)?|iui|rehab|detox|citizenship|naturali[sz]ation|green\s+card|residency|work\s+permit"
    r"|asylum|my\s+retirement|retiring|last\s+(?:session|shift|treatment)|burial|cremation|shiva|vigil|try-?outs"
    r"|resit|re-sit|retake|hear(?:ing)?\s+back|close\s+on\s+(?:the|our|my|a)\s+(?:\w+\s+)?(?:house|home|flat"
    r"|apartment|condo|place)|coming\s+out\s+to|come\s+out\s+to"
    r"|(?:tell|telling)\s+(?:my|our)\s+(?:family|wife|husband|kids|sister|brother|friends)|nicu|picu|hand-?in"
    r"|submission|(?:meet|meeting)\s+(?:my\s+)?birth\s+(?:mother|mom|mum|father|dad|parents|family)|iep"
    r"|parent-teacher|coming\s+home\s+from\s+(?:the\s+)?(?:hospital|nicu|icu|rehab))\b")
_OPENING_QUOTE = re.compile(r"\s['\"]")
_TOPIC_LABELS = {"flying home": "flight home", "fly home": "flight home", "mri": "MRI", "ct scan": "CT scan",
                 "appt": "appointment", "xray": "x-ray", "baby due": "due date", "baby's due": "due date",
                 "baby is due": "due date"}

# ------------------------------------------------------------------------------------ pre-filter

# Every date form above contains a digit or one of _DATE_WORDS; every feeling cue an emoji of _EMOJI_CUES,
# one of _FEELING_WORDS or a word starting with one of _FEELING_STEMS. A share with none is small talk.
_DATE_WORDS = frozenset("""
    today tonight tonite nite tomorrow tomorow tommorow tommorrow tmrw tmr tmw moro morrow tomoz yesterday
    morning afternoon evening night arvo noon midday midnight week weeks weekend wknd month year days sleeps
    hour hours hr hrs minute minutes min mins soon coming
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed weds thu thur thurs fri sat sun
    jan january feb february mar march apr april may jun june jul july aug august sep sept september
    oct october nov november dec december christmas xmas nye valentine valentines halloween thanksgiving
""".split())
# Words that every situation cue holds one of (or a word starting with one of _SITUATION_STEMS).
_SITUATION_WORDS = frozenset("""
    died gone broke dumped lost baby pregnancy everything icu er intensive emergency ambulance coma critical
    threatening ventilator support hospice palliative fall stroke seizure crash accident overdose overdosed
    passed fainted collapsed blacked breathe lump mass growth malignant terminal terminally cancer spread
    diagnosed worse downhill look news leukemia leukaemia lymphoma dementia alzheimer parkinson sclerosis sepsis
    pneumonia pathology throwing threw urgently asap away waiting optimistic hopeful looking suspended expelled
    arrested detained charged robbed mugged assaulted attacked burgled burglarized broken flooded evicted
    evicting eviction kicking kicked losing home ran find idea know sure picking answering replying reach hold
    think guess brave trying jumpy butterflies stomach eat clammy sweaty ready spiral spiraling spiralling
    spiraled worst remember forgot forgets forgotten cheated cheating affair lying lied splitting divorce
    divorced separating marriage relationship engagement stopped ghosted ghosting talking speaking fighting
    bombed blanked froze fired sacked laid redundant rejected rejection job role promotion scholarship part
    place into picked chosen selected messed screwed yelled screamed shouted snapped swore anymore point give
    giving relapse relapsed relapsing garbage trash crap shit awful terrible horrible useless low numb hollow
    defeated bed rent bills bill mortgage tuition fees payment payments debt short overdrawn overdraft afford
    shift paying owe owes missing left never failed let offer didn attack burglarised
""".split())
_SITUATION_STEMS = ("tumo", "hospital", "recogni", "miscarr", "stillb", "embarrass", "ashamed", "humiliat",
                    "metasta", "lifethreat", "talk", "breaking", "fail", "accept", "forgotten")
_FEELING_WORDS = _SITUATION_WORDS | frozenset("""
    sad sadder mad hate hated hates rage raging ty thx omg ok okay got did made offer fed done sick cope
    far let lets edge alone anyone nobody heart heavy down lost without doing miss missing much nowhere
    left mess wreck luck help apart moon sober never finally means meant first showed turned remembered came
    messaged texted called checked invited reached
""".split())
_FEELING_STEMS = ("terrif", "petrif", "panic", "freak", "brick", "dread", "thinking", "pounding", "scare",
                  "worr", "anxi", "nerv", "afraid", "uneas", "pray", "finger", "crossed", "hoping", "shak",
                  "sleep", "focus", "concentrat", "straight", "hopes", "forward", "heartbr", "devastat", "pass",
                  "cry", "cried", "grie", "depress", "empty", "disappear", "fail", "worthless", "hopeless",
                  "upset", "miser", "tear", "hurt", "gutted", "rough", "processing", "overwhelm", "burn",
                  "losing", "limit", "breaking", "handle", "drown", "behind", "stress", "exhaust", "swamp",
                  "pressure", "hectic", "frazzl", "slept", "tired", "text", "call", "care", "notic", "talk",
                  "friend", "lonel", "isolat", "invisible", "forgotten", "quiet", "ecstatic", "thrill", "excit",
                  "wait", "pump", "hype", "stoked", "buzz", "believe", "yay", "woo", "accept", "promot",
                  "cleared", "proud", "pride", "nailed", "crushed", "accomplish", "thank", "grate", "appreciat",
                  "blessed", "lucky", "needed", "furious", "livid", "fuming", "seething", "piss", "scream",
                  "angr", "annoy", "irritat", "frustrat") + _SITUATION_STEMS


def _heads(stems: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Stems by their first three letters, so a word is checked only against stems it may start with."""
    heads: dict[str, tuple[str, ...]] = {}
    for stem in stems:
        heads[stem[:3]] = heads.get(stem[:3], ()) + (stem,)
    return heads


_STEM_HEADS = _heads(_FEELING_STEMS)
_SITUATION_HEADS = _heads(_SITUATION_STEMS)
_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")


def _cues(low: str) -> tuple[bool, bool]:
    """Fast pre-filter: (may hold a date, may hold a feeling) for a lower-cased share."""
    words = _WORD.findall(low)
    dates = bool(_DIGIT.search(low)) or not _DATE_WORDS.isdisjoint(words)
    feelings = bool(_EMOJI_FEELING.search(low)) or _has_word(words, _FEELING_WORDS, _STEM_HEADS)
    return dates, feelings


def _has_word(words: list[str], whole: frozenset[str], heads: dict[str, tuple[str, ...]]) -> bool:
    """Whether one of `words` is in `whole` or starts with one of the stems in `heads`."""
    if not whole.isdisjoint(words):
        return True
    for w in words:
        stems = heads.get(w[:3])
        if stems and w.startswith(stems):
            return True
    return False


# ------------------------------------------------------------------------------------ lazy libraries

_LOCK = threading.Lock()
_DATEPARSER_LOCK = threading.Lock()  # dateparser shares state between calls (scrapinghub/dateparser#441)
_libs: dict[str, object] = {}
# A fixed leap-year base makes "Feb 29" parse; the year is chosen afterwards, so results can be cached.
_DATEPARSER_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "future",
                        "REQUIRE_PARTS": ["day", "month"], "RELATIVE_BASE": datetime(2000, 1, 1),
                        "RETURN_AS_TIMEZONE_AWARE": False}


def _library(name: str):
    """The dateparser module or a VADER analyzer, created once on first use."""
    lib = _libs.get(name)
    if lib is None:
        with _LOCK:
            lib = _libs.get(name)
            if lib is None:
                if name == "dateparser":
                    import dateparser as lib
                else:
                    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
                    lib = SentimentIntensityAnalyzer()
                _libs[name] = lib
    return lib


@lru_cache(maxsize=4096)
def _month_and_day(span: str) -> tuple[int, int] | None:
    """(month, day) of an explicit calendar span like "dec 3" or "3rd of december", via dateparser."""
    dateparser = _library("dateparser")
    with _DATEPARSER_LOCK:
        parsed = dateparser.parse(span, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return (parsed.month, parsed.day) if parsed else None


def _compound(text: str) -> float:
    """VADER's compound polarity of the share, -1 (very negative) to 1 (very positive)."""
    return _library("vader").polarity_scores(text)["compound"]


# ------------------------------------------------------------------------------------ public API


def read_share(text: str, now: datetime, timezone: str) -> Moment:
    """Find the upcoming event and feelings in a share and decide whether it deserves a follow-up."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    zone = _zone(timezone)
    low = text[:MAX_SHARE_CHARS].lower().replace("\u2019", "'")
    dates, feelings = _cues(low)
    if not (dates or feelings):
        return _SMALL_TALK
    return _Reading(low, now.astimezone(zone), timezone).moment(dates, feelings)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or ValueError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown IANA time zone {name!r}; use a name like 'Europe/Berlin'") from None


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    day: date | None       # None for a past event
    at: time | None = None  # set by "in 2 hours"


class _Reading:
    """One share, lower-cased, read against the sharer's local time."""

    def __init__(self, low: str, local: datetime, zone_name: str) -> None:
        self.low = low
        self.local = local
        self.today = local.date()
        self.zone_name = zone_name

    @cached_property
    def clause_starts(self) -> list[int]:
        return _break_positions(_CLAUSE_BREAK, self.low)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return _break_positions(_SENTENCE_BREAK, self.low)

    def moment(self, dates: bool = True, feelings: bool = True) -> Moment:
        """Find the event, topic and feelings, then decide; `dates`/`feelings` False skip those searches."""
        mentions = self.mentions() if dates else []
        upcoming = [m for m in mentions if m.day is not None]
        cues = self.cues() if feelings else []
        emoji = list(_EMOJI_FEELING.finditer(self.low)) if feelings else []
        topics = list(_TOPIC.finditer(self.low)) if upcoming or cues or emoji or _SOON.search(self.low) else []
        if topics and _ENTERTAINMENT.search(self.low):
            topics = [t for t in topics if " ".join(t.group("t").split()) not in _SPECTATOR_TOPICS]
        event = self.pick_event(upcoming, topics)
        topic = self.pick_topic(event, topics)
        scores = self.feeling_scores(cues, emoji, bool(event and topic))
        found = _Found(day=event.day if event else None,
                       at=(event.at or self.time_near(event)) if event else None,
                       topic=_topic_label(topic) if topic else None,
                       topic_ahead=bool(topic and not event and self.is_ahead(topic)),
                       topic_soon=bool(topic and not event and self.is_soon(topic)),
                       had_past=len(upcoming) < len(mentions),
                       scores=scores,
                       routine=bool(topic and _ROUTINE.search(self.low)))
        follow_up, reason = found.decide(self.today)
        return Moment(follow_up, found.day, found.at, found.feelings, reason, found.topic)

    def cues(self) -> list[re.Match]:
        """Feeling cues in text order; where a named feeling and a situation overlap, the earlier one
        (the named feeling at the same place) wins."""
        cues = list(_NAMED_FEELING.finditer(self.low))
        if not _has_word(_WORD.findall(self.low), _SITUATION_WORDS, _SITUATION_HEADS):
            return cues
        found = sorted(cues + list(_SITUATION_FEELING.finditer(self.low)),
                       key=lambda m: (m.start(), m.re is _SITUATION_FEELING))
        kept: list[re.Match] = []
        for m in found:
            if not kept or m.start() >= kept[-1].end():
                kept.append(m)
        return kept

    # ---- structure

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the clause (between commas, full stops, "and", "but"...) holding [start, end)."""
        i = bisect_right(self.clause_starts, start) - 1
        j = bisect_right(self.clause_starts, end - 1)
        return self.clause_starts[i], (self.clause_starts[j] if j < len(self.clause_starts) else len(self.low))

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding `pos`."""
        return bisect_right(self.sentence_starts, pos)

    def clause_rest(self, start: int, end: int) -> str:
        """The clause around [start, end), without that span."""
        cs, ce = self.clause(start, end)
        return self.low[cs:start] + " " + self.low[end:ce]

    def in_past_clause(self, start: int, end: int) -> bool:
        """True when the clause around [start, end) is in the past tense and says nothing of the future."""
        rest = self.clause_rest(start, end)
        return _is_past(rest) and not _FUTURE_WORDS.search(rest)

    def is_ahead(self, topic: re.Match) -> bool:
        """True when the topic's clause speaks of the future ("my surgery is coming up")."""
        rest = self.clause_rest(topic.start(), topic.end())
        return bool(_FUTURE_WORDS.search(rest)) and not _is_past(rest)

    def is_soon(self, topic: re.Match) -> bool:
        """True when the topic's sentence places it in the near future without a date ("results this week")."""
        if _JOKE.search(self.low):
            return False
        i = self.sentence_of(topic.start())
        sentence = self.low[self.sentence_starts[i - 1]:
                            self.sentence_starts[i] if i < len(self.sentence_starts) else len(self.low)]
        return bool(_SOON.search(sentence) and _GRAVE_TOPIC.search(topic.group(0))) \
            and not _is_past(self.clause_rest(topic.start(), topic.end()))

    # ---- dates

    def mentions(self) -> list[_Mention]:
        """Every date mention, in text order; where two overlap the earlier one wins."""
        found = (self.relative_mentions() + self.weekday_mentions() + self.duration_mentions()
                 + self.calendar_mentions())
        found.sort(key=lambda m: m.start)
        kept: list[_Mention] = []
        for m in found:
            if not kept or m.start >= kept[-1].end:
                kept.append(m)
        return kept

    def anchored(self, start: int, end: int, day: date | None) -> _Mention:
        """A mention whose tense comes from its clause: past clauses (and "since ...") make it a past event."""
        if day is not None and (day < self.today or self.in_past_clause(start, end)
                                or _SINCE.search(self.low, max(0, start - 7), start)):
            day = None
        return _Mention(start, end, day)

    def relative_mentions(self) -> list[_Mention]:
        out = []
        for m in _RELATIVE.finditer(self.low):
            kind, today = m.lastgroup, self.today
            if kind in ("today", "weekend"):
                if kind == "today" and m.group(0) in ("today", "2day") and not self.names_an_event(m.start()):
                    continue  # "it's so cold today": a day, not an event
                day = today + timedelta(days=max(0, 5 - today.weekday())) if kind == "weekend" else today
                out.append(self.anchored(m.start(), m.end(), day))
                continue
            day = {"past": None,
                   "after_tomorrow": today + timedelta(days=2),
                   "tomorrow": today + timedelta(days=1),
                   "next_weekend": _next_monday(today) + timedelta(days=5),
                   "next_week": _next_monday(today),
                   "end_week": today + timedelta(days=(4 - today.weekday()) % 7),
                   "end_month": today.replace(day=monthrange(today.year, today.month)[1]),
                   "end_year": date(today.year, 12, 31)}[kind]
            out.append(_Mention(m.start(), m.end(), day))
        return out

    def names_an_event(self, pos: int) -> bool:
        """Whether the sentence holding `pos` names something that happens (a topic, a time, a plan)."""
        i = self.sentence_of(pos)
        sentence = self.low[self.sentence_starts[i - 1]:
                            self.sentence_starts[i] if i < len(self.sentence_starts) else len(self.low)]
        return bool(_TODAY_EVENT.search(sentence) or _TIME.search(sentence) or _TOPIC.search(sentence))

    def weekday_mentions(self) -> list[_Mention]:
        out = []
        says_today = [self.sentence_of(m.start()) for m in _RELATIVE.finditer(self.low) if m.lastgroup == "today"]
        for m in _WEEKDAY.finditer(self.low):
            mod, key = (m.group("mod") or "").split(" ")[-1], m.group("day")[:3]
            if mod in ("happy", "every"):
                continue
            if m.group("day") in _AMBIGUOUS_WEEKDAYS and not mod and not self.short_weekday_is_day(m):
                continue
            wanted, today = _WEEKDAY_INDEX[key], self.today
            delta = (wanted - today.weekday()) % 7
            if mod in ("last", "since"):
                out.append(_Mention(m.start(), m.end(), None))
            elif mod == "next":
                out.append(_Mention(m.start(), m.end(), _next_monday(today) + timedelta(days=wanted)))
            elif mod == "coming" or mod == "this":
                out.append(self.anchored(m.start(), m.end(), today + timedelta(days=delta)))
            else:
                if delta == 0 and self.sentence_of(m.start()) not in says_today:
                    delta = 7
                out.append(self.anchored(m.start(), m.end(), today + timedelta(days=delta)))
        return out

    def short_weekday_is_day(self, m: re.Match) -> bool:
        """Whether a bare "mon", "wed", "sat" or "sun" is used as a day."""
        if _SHORT_WEEKDAY_CONTEXT.match(self.low, m.end()):
            return True
        return m.group("day") != "sun" and bool(_SHORT_WEEKDAY_END.match(self.low, m.end()))

    def duration_mentions(self) -> list[_Mention]:
        out = []
        for m in _IN_DURATION.finditer(self.low):
            count = _count(m.group("n") or m.group("n2"))
            unit = (m.group("unit") or m.group("unit2"))[0]
            if unit in "hm":
                moment = self.local + (timedelta(hours=count) if unit == "h" else timedelta(minutes=count))
                mention = self.anchored(m.start(), m.end(), moment.date())
                at = moment.time().replace(second=0, microsecond=0) if mention.day else None
                out.append(_Mention(mention.start, mention.end, mention.day, at))
            else:
                days = count * 7 if unit == "w" else count
                out.append(_Mention(m.start(), m.end(), self.today + timedelta(days=days)))
        return out

    def calendar_mentions(self) -> list[_Mention]:
        out = []
        for m in _MONTH_DAY.finditer(self.low):
            parsed = _month_and_day(" ".join(m.group(0).split()))
            if parsed:
                year = int(m.group("year")) if m.group("year") else None
                out.append(self.anchored(m.start(), m.end(), self.annual(*parsed, year)))
        for m in _ORDINAL_DAY.finditer(self.low):
            out.append(self.anchored(m.start("day"), m.end(), _next_day_of_month(self.today, int(m.group("day")))))
        for m in _SLASH_DATE.finditer(self.low):
            a, b = int(m.group("a")), int(m.group("b"))
            month, day = (a, b) if self.zone_name.startswith(_MDY_ZONE_PREFIXES) else (b, a)
            year = int(m.group("year")) if m.group("year") else None
            year = year + 2000 if year is not None and year < 100 else year
            out.append(self.anchored(m.start("a"), m.end(), self.annual(month, day, year)))
        for m in _ISO_DATE.finditer(self.low):
            day = self.annual(int(m.group("month")), int(m.group("day")), int(m.group("year")))
            out.append(self.anchored(m.start(), m.end(), day))
        for m in _HOLIDAY.finditer(self.low):
            out.append(self.anchored(m.start(), m.end(), self.holiday(m.group(0))))
        return out

    def annual(self, month: int, day: int, year: int | None) -> date | None:
        """The date with that month and day: in the given year, else the next one on or after today
        (Feb 29 waits for a leap year). None when there is no such date."""
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        years = [year] if year else range(self.today.year, self.today.year + 9)
        for y in years:
            if day <= monthrange(y, month)[1] and (year or date(y, month, day) >= self.today):
                return date(y, month, day)
        return None

    def holiday(self, name: str) -> date:
        """The holiday's next date on or after today."""
        fixed = _HOLIDAYS[name]
        days = (date(y, *fixed) if fixed else _fourth_thursday_of_november(y)
                for y in (self.today.year, self.today.year + 1))
        return next(day for day in days if day >= self.today)

    def time_near(self, event: _Mention) -> time | None:
        """The time of day said in the event's sentence, nearest to the date."""
        sentence, best = self.sentence_of(event.start), None
        for m in _TIME.finditer(self.low):
            if self.sentence_of(m.start()) == sentence:
                distance = min(abs(m.start() - event.end), abs(event.start - m.end()))
                if best is None or distance < best[0]:
                    best = (distance, m)
        return _clock(best[1]) if best else None

    # ---- events and topics

    @staticmethod
    def pick_event(upcoming: list[_Mention], topics: list[re.Match]) -> _Mention | None:
        """The upcoming mention nearest a topic, else the first one."""
        if not upcoming:
            return None
        if not topics:
            return upcoming[0]
        return min(upcoming, key=lambda m: min(_gap(m.start, m.end, t.start(), t.end()) for t in topics))

    @staticmethod
    def pick_topic(event: _Mention | None, topics: list[re.Match]) -> re.Match | None:
        """The topic nearest the event, else the first one."""
        if not topics:
            return None
        if not event:
            return topics[0]
        return min(topics, key=lambda t: _gap(event.start, event.end, t.start(), t.end()))

    # ---- feelings

    def feeling_scores(self, cues: list[re.Match], emoji: list[re.Match], has_event_topic: bool) -> dict[str, float]:
        """Feeling -> strength. Negated and past cues are left out; unless the share names a significant
        event, a joke leaves feelings only a hint, and so does talk of games, shows and sports for
        feelings named outright (not for situations like "my dad had a heart attack at the match")."""
        scores: dict[str, float] = {}
        situations: set[str] = set()
        for m in cues:
            index = int(m.lastgroup[1:])
            feeling, weight = _WORD_CUES[index][:2]
            before = self.low[max(self.clause(m.start(), m.end())[0], m.start() - 40):m.start()]
            if (_NEGATED.search(before) and not _DOUBLE_NEGATION.search(before)) or _PAST_FEELING.search(before) \
                    or _NEGATED_AFTER.match(self.low, m.end()):
                continue
            if weight >= 1 and _LONG_AGO.search(self.low, *self.clause(m.start(), m.end())):
                weight -= 1   # "dumped me 5 years ago": long past
            elif weight >= 1 and not _DAMPENED.search(before) and (
                    _INTENSIFIED_BEFORE.search(before) or _INTENSIFIED_WITHIN.search(m.group(0))
                    or _INTENSIFIED_AFTER.match(self.low, m.end())
                    or (feeling == "pride" and _EXCLAIMED.match(self.low, m.end()))
                    or _HIGH_RATING.search(self.low, *self.clause(m.start(), m.end()))):
                weight += 1
            scores[feeling] = scores.get(feeling, 0) + weight
            if index >= len(_NAMED_CUES):
                situations.add(feeling)
        for m in emoji:
            feeling, weight = _EMOJI_CUES[m.group(0)]
            scores[feeling] = scores.get(feeling, 0) + weight
        self.confirm_with_vader(scores)
        if not has_event_topic and scores:
            if _JOKE.search(self.low):      # a joke: the feeling is only a hint
                scores = {f: min(s, 0.5) for f, s in scores.items()}
            elif _ENTERTAINMENT.search(self.low):
                scores = {f: s if f in situations else min(s, 0.5) for f, s in scores.items()}
        return scores

    def confirm_with_vader(self, scores: dict[str, float]) -> None:
        """Make a mild feeling strong when VADER finds the share strongly toned the same way."""
        mild = [f for f, s in scores.items() if 1 <= s < STRONG]
        if not mild or any(s >= STRONG for s in scores.values()):
            return
        compound = _compound(self.low)
        for feeling in mild:
            negative = feeling in _NEGATIVE_FEELINGS
            if (compound <= -0.6) if negative else (compound >= 0.6):
                scores[feeling] += 1


# ------------------------------------------------------------------------------------ helpers


def _is_past(clause: str) -> bool:
    """Whether a clause is told in the past tense."""
    return bool(_PAST_WORDS.search(clause) or _REGULAR_PAST.search(clause))


def _break_positions(pattern: re.Pattern, text: str) -> list[int]:
    """Start offsets of the pieces `pattern` cuts `text` into."""
    return [0] + [m.end() for m in pattern.finditer(text)]


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, b_start - a_end, a_start - b_end)


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _next_day_of_month(today: date, day: int) -> date | None:
    """The next date on or after today whose day of the month is `day`."""
    year, month = today.year, today.month
    for _ in range(13):
        if day <= monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _fourth_thursday_of_november(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _count(word: str) -> int:
    """3, "three", "a" or "a couple of" as a number."""
    word = word.strip()
    if word.isdigit():
        return int(word)
    return 2 if word.startswith("a couple") else _NUMBER_WORDS[word]


def _clock(m: re.Match) -> time:
    """The time of day a _TIME match says."""
    if m.group("noon"):
        return time(12, 0)
    if m.group("midnight"):
        return time(0, 0)
    if m.group("h12"):
        hour = int(m.group("h12")) % 12 + (12 if m.group("ap") == "p" else 0)
        return time(hour, int(m.group("m12") or 0))
    if m.group("h24"):
        return time(int(m.group("h24")), int(m.group("m24")))
    hour = int(m.group("hb"))
    return time(hour + 12 if hour <= 7 and not m.group("morning") else hour, 0)


def _topic_label(m: re.Match) -> str:
    phrase = " ".join(_OPENING_QUOTE.sub(" ", m.group(0)).split())
    return _TOPIC_LABELS.get(phrase, phrase)


def _day_label(day: date, at: time | None, today: date) -> str:
    """"Thu 10 Dec", with the year when it isn't this year's and " at HH:MM" when known."""
    label = f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"
    if day.year != today.year:
        label += f" {day.year}"
    return label + (f" at {at:%H:%M}" if at else "")


@dataclass(frozen=True)
class _Found:
    """What a share says, before deciding."""
    day: date | None
    at: time | None
    topic: str | None
    topic_ahead: bool
    topic_soon: bool             # "results this week", "surgery coming up soon"
    had_past: bool
    scores: dict[str, float]
    routine: bool = False        # "just a cleaning": the topic alone is not significant

    @property
    def feelings(self) -> tuple[str, ...]:
        return tuple(f for f in FEELINGS if f in self.scores)

    def decide(self, today: date) -> tuple[bool, str]:
        """(follow_up, reason)."""
        strong = [f for f in self.feelings if self.scores[f] >= STRONG]
        uneasy = any(self.scores.get(f, 0) >= 1 for f in _NEGATIVE_FEELINGS)
        felt = "; " + ", ".join(self.feelings) if self.feelings else ""
        significant = bool(self.topic) and not self.routine
        if self.day and (significant or strong or uneasy):
            return True, f"upcoming {self.topic or 'event'} on {_day_label(self.day, self.at, today)}{felt}"
        if strong:
            after = " after a past event" if self.had_past else ""
            others = [f for f in self.feelings if f not in strong]
            return True, f"strong {', '.join(strong)}{after}" + (f"; also {', '.join(others)}" if others else "")
        if not self.routine and ((self.topic_ahead and any(s >= 1 for s in self.scores.values())) or self.topic_soon):
            return True, f"{self.topic} ahead{felt}"
        if self.day:
            return False, f"nothing significant on {_day_label(self.day, self.at, today)}{felt}"
        if self.had_past:
            return False, f"past event, nothing lingering{felt}"
        return False, f"mild feeling only{felt}" if self.feelings else "small talk"
