"""Opening hours: OpenStreetMap ``opening_hours`` through opening-hours-py, in UK time.

opening-hours-py can load public holidays for a country, but its calendar for "GB"
(2.1.4) is incomplete for England: for 2026 it has Good Friday, the two May bank
holidays, Christmas Day and 28 December, and lacks New Year's Day, Easter Monday, the
late summer bank holiday (31 August) and Boxing Day. So ``PH`` is never left to it.
Before evaluation each ``PH`` in a rule's day list is replaced by the England and
Wales bank holidays from the ``holidays`` package, written as dated rules the parser
understands::

    Mo-Fr 18:00-23:00; Sa,Su,PH 12:30-23:00
 -> Mo-Fr 18:00-23:00; Sa,Su 12:30-23:00; 2026 Aug 31,2026 Dec 25,... 12:30-23:00

The dated rule sits where the PH rule was, so later rules still override it, as
OpenStreetMap intends. Times are wall-clock times in Europe/London: the parser gets
naive local datetimes and its answers are turned back into aware ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays
import opening_hours


class HasHours(Protocol):
    """Anything with opening hours (``bot.directory.models.Entry``): a protocol, so this
    module does not import the models (which import it)."""

    @property
    def hours(self) -> str | None: ...

LONDON = ZoneInfo("Europe/London")
ALWAYS = "24/7"

# The parser raises its own ParserError; the stub file documents SyntaxError.
_PARSE_ERRORS: tuple[type[Exception], ...] = (
    getattr(opening_hours, "ParserError", SyntaxError),
    SyntaxError,
    ValueError,
)
# Beyond this a change counts as "never", which keeps next_change() cheap.
_HORIZON_DAYS = 366
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_DAY_ITEM = rf"(?:PH|{_DAY}(?:\s*-\s*{_DAY})?)"
_PH_RULE = re.compile(rf"\s*(?P<days>{_DAY_ITEM}(?:\s*,\s*{_DAY_ITEM})*)(?P<rest>(?:\s.*)?)", re.S)
_SOLAR = re.compile(r"\b(?:sunrise|sunset|dawn|dusk)\b")
_COMMENT = re.compile(r'"[^"]*"')


def bank_holidays(years: Iterable[int]) -> list[date]:
    """England and Wales bank holidays (including one-off ones and substitute days)."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    return sorted(calendar)


def is_bank_holiday(day: date) -> bool:
    return day in holidays.country_holidays("GB", subdiv="ENG", years=day.year)


def _hide_comments(text: str) -> tuple[str, list[str]]:
    comments: list[str] = []

    def keep(match: re.Match[str]) -> str:
        comments.append(match.group(0))
        return f"\x00{len(comments) - 1}\x00"

    return _COMMENT.sub(keep, text), comments


def _show_comments(text: str, comments: list[str]) -> str:
    return re.sub("\x00(\\d+)\x00", lambda m: comments[int(m.group(1))], text)


def _dated(days: Iterable[date]) -> str:
    return ",".join(f"{d.year} {_MONTHS[d.month - 1]} {d.day:02d}" for d in days)


def expand_public_holidays(hours: str, days: Iterable[date]) -> str:
    """Rewrite every ``PH`` as the given dates; raise ValueError for forms we cannot."""
    text, comments = _hide_comments(hours)
    if not re.search(r"\bPH\b", text):
        return hours
    if "||" in text:
        raise ValueError("PH cannot be combined with a fallback rule (||)")
    dated = _dated(days)
    rules: list[str] = []
    for rule in text.split(";"):
        if not re.search(r"\bPH\b", rule):
            rules.append(rule.strip())
            continue
        match = _PH_RULE.fullmatch(rule)
        if match is None or re.search(r"\bPH\b", match.group("rest")):
            raise ValueError(
                "PH is understood only in the list of days that starts a rule, "
                "such as 'Sa,Su,PH 12:30-23:00' or 'PH off'"
            )
        rest = match.group("rest").rstrip()
        others = [d.strip() for d in match.group("days").split(",") if d.strip() != "PH"]
        if others:
            rules.append(",".join(others) + rest)
        rules.append(dated + rest)
    return _show_comments("; ".join(rules), comments)


def _parse(hours: str) -> opening_hours.OpeningHours:
    try:
        return opening_hours.OpeningHours(hours, max_interval_days=_HORIZON_DAYS)
    except _PARSE_ERRORS as error:
        first = str(error).strip().splitlines()
        detail = f" ({first[-1].strip(' =')})" if first else ""
        raise ValueError(f"not valid opening_hours syntax: {hours!r}{detail}") from None


def check_hours(hours: str) -> str:
    """Validate an opening_hours value as a lead wrote it; return it stripped."""
    hours = hours.strip()
    if not hours:
        raise ValueError("empty; write '24/7' or days and times such as 'Mo-Fr 09:00-17:00'")
    bare, _ = _hide_comments(hours)
    if re.search(r"\bSH\b", bare):
        raise ValueError("SH (school holidays) is not supported: no school calendar is loaded")
    if _SOLAR.search(bare):
        raise ValueError("sunrise, sunset, dawn and dusk are not supported: write clock times")
    _parse(hours)
    # Any year's holidays show whether the rewritten PH rules parse.
    _parse(expand_public_holidays(hours, bank_holidays([2026])))
    return hours


@lru_cache(maxsize=4096)
def _evaluator(hours: str, year: int) -> opening_hours.OpeningHours:
    # The year either side covers overnight spans and next changes across New Year.
    return _parse(expand_public_holidays(hours, bank_holidays(range(year - 1, year + 2))))


def _next_hour(wall: datetime) -> datetime:
    return wall.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


# UK clock changes move one whole hour at 01:00 (GMT) / 02:00 (BST), so the skipped and
# the repeated wall times are always the hour from 01:00 to 02:00.


def _aware(wall: datetime) -> datetime:
    """A London wall time as an aware datetime, for a change the parser reported."""
    aware = datetime.fromtimestamp(wall.replace(tzinfo=LONDON).timestamp(), LONDON)
    if aware.replace(tzinfo=None) != wall:
        # In the spring gap: the change takes effect when the clocks jump to 02:00.
        return _aware(_next_hour(wall))
    # In the autumn's repeated hour fold=0 gives the first pass, when a change written
    # for that wall time happens.
    return aware


def _wall(now: datetime) -> datetime:
    """The naive wall time at which to ask the parser about ``now`` (aware, London)."""
    wall = now.replace(tzinfo=None)
    if now.fold and now.utcoffset() != now.replace(fold=0).utcoffset():
        # The second pass of the repeated hour: its changes happened in the first pass,
        # so the state is the one reached at the end of that hour.
        return _next_hour(wall) - timedelta(microseconds=1)
    return wall


def hours_state(hours: str | None, now: datetime) -> tuple[bool, datetime | None]:
    """(open now, next change as aware Europe/London time) for an opening_hours value.

    No hours (unknown) count as closed; so does an "unknown" state in the value.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if hours is None:
        return False, None
    wall = _wall(now.astimezone(LONDON))
    evaluator = _evaluator(hours, wall.year)
    change = evaluator.next_change(wall)
    return evaluator.is_open(wall), None if change is None else _aware(change.replace(tzinfo=None))


def is_open(entry: HasHours, now: datetime) -> tuple[bool, datetime | None]:
    """Whether ``entry`` is open at ``now`` and when that next changes (None: never)."""
    return hours_state(entry.hours, now)


def next_opening(hours: str, now: datetime) -> datetime | None:
    """When ``hours`` next open after ``now`` (aware); if open now, the opening after
    this spell ends. For "nobody is on shift now": inside the supporters' hours with
    nobody signed on, the honest answer is the next shift, not silence."""
    is_open_now, change = hours_state(hours, now)
    if is_open_now and change is not None:
        _, change = hours_state(hours, change)
    return change
