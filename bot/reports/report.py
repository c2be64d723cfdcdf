"""A lead's report, worked out from anonymous count rows and risk-event rows.

Pure: rows in, figures out. Days are the service's local days (a count made at 23:30
UTC on a summer evening belongs to the next London day), and every figure passes
through small-number suppression before anyone sees it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine.feedback import STATEMENTS as STATEMENTS  # one list: reports and dialogue agree

from .suppression import Shown, count, derived, share, total

# Channels always shown, in this order, even on a day nobody used them.
CHANNELS = ("telegram", "sms", "web")
# The five statements of the feedback, in the order people are asked them.
ANSWERS = ("yes", "partly", "no")
PRIORITIES = ("urgent", "concern", "none")
# The count kinds a report reads (naming them lets SQLite use the (kind, at) index).
REPORT_KINDS = (
    "contact",
    "signpost",
    "queue_join",
    "queue_raise",
    "became_carer",
    "peer_end",
    "queue_wait",
    "queue_left",
    "escalation",
    "feedback",
    "plan_made",
    "checkin_sent",
    "checkin_answered",
)
# A report over more days than this is refused: it would only be slow to read.
MAX_DAYS = 400


@dataclass(frozen=True, slots=True)
class Named:
    """One line of a breakdown: what it is (an id), what to call it, and its count."""

    key: str
    label: str
    shown: Shown


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    by_channel: tuple[Shown, ...]  # in the order of Report.channels


@dataclass(frozen=True, slots=True)
class Feedback:
    statement: str
    answers: tuple[Shown, ...]  # yes, partly, no
    total: Shown
    yes_share: Shown


@dataclass(frozen=True, slots=True)
class Waits:
    """Time from joining the peer queue to being taken, in seconds."""

    taken: Shown
    median: Shown
    p90: Shown


@dataclass(frozen=True, slots=True)
class Report:
    first: date
    last: date
    channels: tuple[str, ...]
    days: tuple[Day, ...]
    contacts: Shown
    contacts_by_channel: tuple[Shown, ...]
    people: Shown
    carers: Shown
    signposts: tuple[Named, ...]
    queue_joins: tuple[Named, ...]
    waits: Waits
    queue_left: Shown
    escalations: Shown
    escalations_by_rung: tuple[Named, ...]
    outcomes: tuple[Named, ...]  # how peer conversations ended, by outcome tag
    urgent_flags: Shown
    feedback: tuple[Feedback, ...]
    plans_made: Shown
    checkins_sent: Shown
    checkins_answered: Shown
    checkins_answered_share: Shown


def bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants that open ``first`` and close ``last``, both local days."""
    since = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return since, until


def default_range(now: datetime, zone: ZoneInfo, days: int = 28) -> tuple[date, date]:
    """The last ``days`` local days, today included."""
    today = now.astimezone(zone).date()
    return today - timedelta(days=days - 1), today


def local_day(at: str | datetime, zone: ZoneInfo) -> date:
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _answer(value: float | None) -> str | None:
    if value is None:
        return None
    if value >= 0.75:
        return "yes"
    if value >= 0.25:
        return "partly"
    return "no"


def _breakdown(
    tally: Counter[str], names: Mapping[str, str], order: Sequence[str] = ()
) -> tuple[Named, ...]:
    """Lines for each key: a fixed ``order`` first, then the rest by count, biggest first.
    Hidden lines sort by name only, so their order gives nothing away."""
    rest = [key for key in tally if key not in order]
    rest.sort(key=lambda k: (-tally[k] if tally[k] >= 5 else 0, names.get(k, k)))
    return tuple(Named(key, names.get(key, key), count(tally[key])) for key in (*order, *rest))


def _percentile_90(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    # "inclusive": the 90th percentile lies within the waits seen, never beyond them.
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def build_report(
    counts: Iterable[Mapping[str, Any]],
    risks: Iterable[Mapping[str, Any]],
    first: date,
    last: date,
    zone: ZoneInfo,
    names: Mapping[str, str] | None = None,
    rung_names: Mapping[str, str] | None = None,
) -> Report:
    """Every figure for local days ``first`` to ``last`` inclusive.

    ``counts`` are rows of the counts table (at, kind, channel, audience, detail,
    value); ``risks`` rows of risk_events (at, level, alerted); ``names`` maps a
    directory entry id to the service's name, ``rung_names`` an escalation rung's id to
    its name on the ladder. Rows outside the days are ignored.

    A carer who began with "hi" is counted as a carer (``became_carer`` moves their
    contact); "joined by priority" is the highest priority reached in the queue
    (``queue_raise`` moves a join up).
    """
    names = names or {}
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    in_range = set(days)
    contacts: Counter[tuple[date, str]] = Counter()
    audiences: Counter[str] = Counter()
    signposts: Counter[str] = Counter()
    joins: Counter[str] = Counter()
    rungs: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    raises: list[tuple[str, str]] = []
    feedback: Counter[tuple[str, str]] = Counter()
    kinds: Counter[str] = Counter()
    waits: list[float] = []
    for row in counts:
        day = local_day(row["at"], zone)
        if day not in in_range:
            continue
        kind = row["kind"]
        kinds[kind] += 1
        if kind == "contact":
            contacts[day, row["channel"]] += 1
            audiences["carer" if row["audience"] == "carer" else "person"] += 1
        elif kind == "signpost":
            signposts[row["detail"]] += 1
        elif kind == "queue_join":
            joins[row["detail"] or "none"] += 1
        elif kind == "queue_raise":
            old, _, new = str(row["detail"] or "").partition(">")
            raises.append((old, new))
        elif kind == "peer_end":
            outcomes[row["detail"] or "none"] += 1
        elif kind == "queue_wait" and row["value"] is not None:
            waits.append(float(row["value"]))
        elif kind == "escalation":
            rungs[row["detail"]] += 1
        elif kind == "feedback":
            answer = _answer(row["value"])
            if answer is not None:
                feedback[row["detail"], answer] += 1
    # Moved once every row is read, whatever order they came in.
    for old, new in raises:
        if joins[old] > 0:  # a join before these days stays where it was counted
            joins[old] -= 1
            joins[new] += 1
    moved = min(kinds["became_carer"], audiences["person"])
    audiences["person"] -= moved
    audiences["carer"] += moved
    urgent = sum(
        1
        for row in risks
        if row["level"] == "urgent" and row["alerted"] and local_day(row["at"], zone) in in_range
    )
    channels = (*CHANNELS, *sorted({c for _, c in contacts} - set(CHANNELS)))
    channel_totals = [
        (
            sum(contacts[d, c] for d in days),
            total(
                sum(contacts[d, c] for d in days),
                [(contacts[d, c], count(contacts[d, c])) for d in days],
            ),
        )
        for c in channels
    ]
    people, carers = audiences["person"], audiences["carer"]
    waits.sort()
    answered, sent = kinds["checkin_answered"], kinds["checkin_sent"]
    statements = (*STATEMENTS, *sorted({s for s, _ in feedback} - set(STATEMENTS)))
    rung_lines = _breakdown(rungs, rung_names or {})
    return Report(
        first=first,
        last=last,
        channels=channels,
        days=tuple(Day(d, tuple(count(contacts[d, c]) for c in channels)) for d in days),
        contacts=total(
            kinds["contact"],
            channel_totals,
            [(people, count(people)), (carers, count(carers))],
        ),
        contacts_by_channel=tuple(shown for _, shown in channel_totals),
        people=count(people),
        carers=count(carers),
        signposts=_breakdown(signposts, names),
        queue_joins=_breakdown(joins, {}, PRIORITIES),
        waits=Waits(
            taken=count(len(waits)),
            median=derived(statistics.median(waits) if waits else None, len(waits)),
            p90=derived(_percentile_90(waits), len(waits)),
        ),
        queue_left=count(kinds["queue_left"]),
        escalations=total(
            kinds["escalation"], [(rungs[line.key], line.shown) for line in rung_lines]
        ),
        escalations_by_rung=rung_lines,
        outcomes=_breakdown(outcomes, {}),
        urgent_flags=count(urgent),
        feedback=tuple(_feedback(statement, feedback) for statement in statements),
        plans_made=count(kinds["plan_made"]),
        checkins_sent=count(sent),
        checkins_answered=count(answered),
        checkins_answered_share=share(answered, sent),
    )


def _feedback(statement: str, tally: Counter[tuple[str, str]]) -> Feedback:
    answers = [tally[statement, answer] for answer in ANSWERS]
    shown = tuple(count(n) for n in answers)
    answered = total(sum(answers), list(zip(answers, shown, strict=True)))
    return Feedback(
        statement=statement,
        answers=shown,
        total=answered,
        yes_share=share(answers[0], sum(answers), answered),
    )
