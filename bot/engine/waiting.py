"""While you wait: what for (remembered, to shape what is offered), then the menu of
things that help: my plan, check-ins, grounding, somewhere to go, talk."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from . import checkins, words
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
    day = parse_day(text, now.astimezone(zone).date())
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


def parse_day(text: str, today: date) -> date | None:
    """A day as people type it: today, tomorrow, a weekday, 3/12, 3rd December."""
    cleaned = words.clean(text).removeprefix("on ").removeprefix("next ")
    if cleaned == "today":
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    if cleaned[:3] in _DAYS and cleaned.isalpha():
        ahead = (_DAYS.index(cleaned[:3]) - today.weekday()) % 7
        return today + timedelta(days=ahead)
    text = text.strip().lower()
    if numeric := _NUMERIC.fullmatch(text):
        day, month, year = numeric.groups()
        return _future(today, int(day), int(month), int(year) if year else None)
    if (named := _WORDS.fullmatch(cleaned)) and named.group(2) in _MONTHS:
        return _future(today, int(named.group(1)), _MONTHS.index(named.group(2)) + 1, None)
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
