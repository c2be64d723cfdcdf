"""While you wait: what for (remembered, to shape what is offered), then the menu of
things that help: my plan, check-ins, grounding, somewhere to go, talk."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from . import checkins, meaning, words
from .journey import WAIT_OPTIONS, Step
from .replies import Option, Reply
from .state import State

WAITING_FOR = {
    Option.WAIT_CALLBACK: "callback",
    Option.WAIT_ASSESSMENT: "assessment",
    Option.WAIT_APPOINTMENT: "appointment",
    Option.WAIT_BED: "bed",
    Option.WAIT_NOTHING: "nothing",
}
ASK_OPTIONS = (*WAITING_FOR, Option.MENU)
DATE_OPTIONS = (Option.SKIP, Option.MENU)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]{3})[a-z]*")


def ask(state: State, now: datetime, zone: ZoneInfo) -> Step:
    """Ask what they wait for, unless they told us already."""
    if state.waiting_for:
        return menu(state, now, zone)
    return replace(state, step="wait_ask"), (Reply("wait_ask", {}, ASK_OPTIONS),), ()


def chose(state: State, option: Option, now: datetime, zone: ZoneInfo) -> Step:
    state = replace(state, waiting_for=WAITING_FOR[option], waiting_date="")
    if option is Option.WAIT_APPOINTMENT:
        return (
            replace(state, step="wait_date"),
            (Reply("wait_date_ask", {"again": False}, DATE_OPTIONS),),
            (),
        )
    return menu(state, now, zone)


def date_typed(state: State, text: str, now: datetime, zone: ZoneInfo) -> Step:
    # "w piątek", "dydd Gwener": the day in English, for the English reader of days.
    today = now.astimezone(zone).date()
    english = meaning.in_english(text)
    # "friday, no thursday": the day they settled on.
    day = parse_day(
        meaning.corrected(english, lambda said: parse_day(said, today) is not None), today
    )
    if day is None:
        reply = Reply("wait_date_ask", {"again": True}, DATE_OPTIONS)
        return state, (reply,), ()
    return menu(replace(state, waiting_date=day.isoformat()), now, zone)


def menu(state: State, now: datetime, zone: ZoneInfo) -> Step:
    values = {
        "waiting_for": state.waiting_for,
        "date": (
            checkins.when_words(
                datetime.combine(date.fromisoformat(state.waiting_date), checkins.DAY_OF, zone),
                now,
                zone,
            )
            if state.waiting_date
            else None
        ),
        "suggest": checkins.suggestion(state.waiting_for, state.waiting_date, now, zone),
    }
    return replace(state, step="wait_menu"), (Reply("wait_menu", values, WAIT_OPTIONS),), ()


_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b")
_IN = re.compile(r"\bin (a|an|one|two|three|four|five|six|\d{1,2}) (day|week|fortnight)s?\b")
_DAY_WORDS = frozenset(
    [
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "weds",
        "thursday",
        "thu",
        "thur",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
    ]
)
# Days people name rather than number (checked before "christmas" alone).
_FEASTS = {
    "christmas eve": (12, 24),
    "boxing day": (12, 26),
    "christmas": (12, 25),
    "new years eve": (12, 31),
    "new years day": (1, 1),
    "new year": (1, 1),
}
_FROM_TODAY = re.compile(
    r"\b(a|an|one|two|three|four|five|six|\d{1,2}) (day|week|fortnight)s?"
    r" (?:today|tonight|from today|from now|time|on from today)\b"
)
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
# A time of year, not a day: "sometime in the new year", "after christmas", "early next
# year". Asked again (or skipped), rather than stored as the 1st of January.
_VAGUE = re.compile(
    r"\b(?:some ?time|in the new year|after (?:christmas|new year)|(?:early|later) next year"
    r"|end of (?:the )?(?:month|year)|beginning of|start of|in a few (?:weeks|months)"
    r"|in the spring|in the summer|in the autumn|in the winter)\b"
)


def _counted(match: re.Match[str]) -> timedelta:
    """The span a count and a unit name ("2 weeks", "a fortnight", "three days")."""
    count = _COUNTS.get(match.group(1)) or int(match.group(1))
    return timedelta(days=count * _UNIT_DAYS[match.group(2)])


def parse_day(text: str, today: date) -> date | None:
    """A day as people type it, read in the service's time zone (``today`` is local):
    today, tomorrow, a weekday ("next tuesday" on a Tuesday is a week on), "thursday next
    week", "in a fortnight", "in 3 days", "on the 14th", 3/12, "the 3rd of jan"."""
    cleaned = " ".join(words.clean(text).replace("'", "").split())
    # "xmas eve", "crimbo": Christmas as people spell it.
    cleaned = re.sub(r"\b(?:xmas|x mas|crimbo|chrimbo|chrissy)\b", "christmas", cleaned)
    cleaned = re.sub(r"\bnye\b", "new years eve", cleaned)
    raw = text.strip().lower()
    if _VAGUE.search(cleaned):
        return None
    if numeric := _NUMERIC.search(raw):
        day, month, year = numeric.groups()
        return _future(today, int(day), int(month), int(year) if year else None)
    for name, (month, day) in _FEASTS.items():
        if name in cleaned:
            return _future(today, day, month, None)
    if "day after tomorrow" in cleaned:
        return today + timedelta(days=2)
    if re.search(r"\b(tomorrow|tmrw|tomoz|tmr)\b", cleaned):
        return today + timedelta(days=1)
    named_day = next(
        (
            a or b
            for a, b in re.findall(r"\b(\w+) (?=week\b)|\bweek on (\w+)\b", cleaned)
            if (a or b) in _DAY_WORDS
        ),
        None,
    )
    if named_day is not None and not re.search(r"\bnext\b", cleaned):
        # "friday week", "a week on friday": a week after the coming Friday.
        days = (_DAYS.index(named_day[:3]) - today.weekday()) % 7 or 7
        return today + timedelta(days=days + 7)
    if re.search(r"\b(a week today|this time next week|in a weeks time|a week on)\b", cleaned):
        return today + timedelta(days=7)
    if counted := _FROM_TODAY.search(cleaned):
        # "2 weeks today", "a fortnight today", "three weeks from now": counted from today.
        return today + _counted(counted)
    if re.search(r"\b(today|tonight|this afternoon|this evening|later)\b", cleaned):
        return today
    if "fortnight" in cleaned and not _IN.search(cleaned):
        return today + timedelta(days=14)
    if ahead := _IN.search(cleaned):
        return today + _counted(ahead)
    for word in cleaned.split():
        if word[:3] in _MONTHS and (named := _named(cleaned, today)):
            return named
    weekday = next((w for w in cleaned.split() if w in _DAY_WORDS), None)
    # A day of the month beside it: "9th", "the 10th", or a number just after the weekday
    # ("fri 11"), but not a time ("tue 2 pm", "monday at 10").
    dated = re.search(r"\b(?:the )?(\d{1,2})(?:st|nd|rd|th)\b", cleaned) or (
        re.search(rf"\b{weekday} (?:the )?(\d{{1,2}})\b(?! ?(?:am|pm|oclock))", cleaned)
        if weekday is not None
        else None
    )
    if weekday is not None and dated is not None and "week" not in cleaned:
        # "wed 9th", "thursday the 10th": the day of the month, on that weekday if it can be.
        return _day_of_month(today, int(dated.group(1)), _DAYS.index(weekday[:3]))
    if weekday is not None:
        index = _DAYS.index(weekday[:3])
        if "next week" in cleaned:
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=index)
        days = (index - today.weekday()) % 7
        if days == 0 and re.search(r"\bnext\b", cleaned):
            days = 7  # "next tuesday", said on a Tuesday, is a week on
        return today + timedelta(days=days)
    if ordinal := re.search(r"\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)?\b", cleaned) or (
        re.fullmatch(r"(?:on )?(\d{1,2})(?:st|nd|rd|th)", cleaned)
    ):
        day_of_month = int(ordinal.group(1))
        found = _future(today, day_of_month, today.month, today.year)
        if found is None:
            month = today.month % 12 + 1
            found = _future(today, day_of_month, month, today.year + (today.month == 12))
        return found
    return None


def _day_of_month(today: date, day: int, weekday: int) -> date | None:
    """The next ``day`` of a month falling on ``weekday``, else the next ``day`` at all."""
    first = None
    year, month = today.year, today.month
    for _ in range(3):  # this month or the next two: "sat 31st" is not next July
        found = _future(today, day, month, year)
        if found is not None:
            if found.weekday() == weekday:
                return found
            first = first or found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return first


def _named(cleaned: str, today: date) -> date | None:
    """A day with a month's name: "3rd december", "the 3rd of jan", "jan 3rd"."""
    tokens = cleaned.split()
    for index, token in enumerate(tokens):
        if token[:3] not in _MONTHS or not token.isalpha():
            continue
        month = _MONTHS.index(token[:3]) + 1
        near = tokens[max(0, index - 2) : index][::-1] + tokens[index + 1 : index + 2]
        for other in near:
            if number := _ORDINAL.fullmatch(other):
                return _future(today, int(number.group(1)), month, None)
    return None


def _future(today: date, day: int, month: int, year: int | None) -> date | None:
    """The date, in the coming year when no year is given; None if it is no date."""
    if year is not None and year < 100:
        year += 2000
    try:
        found = date(year or today.year, month, day)
        if year is None and found < today:
            found = date(today.year + 1, month, day)
    except ValueError:
        return None
    return found if found >= today else None
