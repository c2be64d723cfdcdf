"""The peer queue's rules: who is taken next, by whom, and what the person is told.

Pure: no I/O and no clock but the one passed in. The store loads the rows, these rules
decide, and the store writes the decision in the same transaction, so two supporters
can never take the same person.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.risk import Level

# A person silent this long in a live conversation is asked if they're still there,
# and the conversation is closed kindly if they stay silent after that.
STILL_THERE_AFTER = timedelta(minutes=20)
CLOSE_AFTER_ASKING = timedelta(minutes=10)
# Someone waiting hears their position when it changes, and at least this often.
POSITION_EVERY = timedelta(minutes=5)
# After a conversation this long, or one that was urgent, a debrief or break is offered.
LONG_CONVERSATION = timedelta(minutes=45)
# Waits used for "the likely wait": the most recent ones, and only if there are enough.
RECENT_WAITS = 20
MIN_WAITS_FOR_ESTIMATE = 3


@dataclass(frozen=True, slots=True)
class Waiting:
    """Someone in the queue, as supporters see them: a pseudonym, never an address."""

    handoff_id: int
    person: str
    priority: Level
    joined_at: datetime
    # Tags of the supporter who would fit best ("carer" for a carer), if one is on shift.
    wants: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Desk:
    """A supporter as the queue sees them."""

    id: str
    on_shift: bool
    cap: int
    active: int
    tags: frozenset[str] = frozenset()
    break_until: datetime | None = None

    def on_break(self, now: datetime) -> bool:
        return self.break_until is not None and now < self.break_until

    def has_room(self, now: datetime) -> bool:
        return self.on_shift and not self.on_break(now) and self.active < self.cap


def ordered(waiting: Iterable[Waiting]) -> list[Waiting]:
    """Urgent, then concern, then the rest; first come first served within each."""
    return sorted(waiting, key=lambda w: (-int(w.priority), w.joined_at, w.handoff_id))


def position(waiting: Iterable[Waiting], handoff_id: int) -> int | None:
    """1 for the next person to be taken; None if not waiting."""
    for place, item in enumerate(ordered(waiting), start=1):
        if item.handoff_id == handoff_id:
            return place
    return None


def _fits(desk: Desk, item: Waiting) -> bool:
    return item.wants <= desk.tags


def next_for(
    desk: Desk, waiting: Sequence[Waiting], desks: Sequence[Desk], now: datetime
) -> Waiting | None:
    """Whom ``desk`` takes when they ask for "the next person".

    The queue picks, as crisis text lines do. Someone who wants a match (a carer peer)
    is left for a matching supporter while one has room; nobody urgent ever waits for a
    match.
    """
    if not desk.has_room(now):
        return None
    for item in ordered(waiting):
        if item.priority is Level.URGENT or _fits(desk, item):
            return item
        matched = any(
            other.id != desk.id and other.has_room(now) and _fits(other, item) for other in desks
        )
        if not matched:
            return item
    return None


def can_take(desk: Desk, now: datetime) -> bool:
    """Whether ``desk`` may take a specific person they chose."""
    return desk.has_room(now)


def transfer_targets(desks: Iterable[Desk], from_id: str, now: datetime) -> list[Desk]:
    """Named on-shift supporters with room, other than the one handing over."""
    return [desk for desk in desks if desk.id != from_id and desk.has_room(now)]


def likely_wait(recent_waits: Sequence[float]) -> timedelta | None:
    """The median of recent real waits, rounded up to five minutes; None when there are
    too few to say honestly."""
    waits = list(recent_waits)[-RECENT_WAITS:]
    if len(waits) < MIN_WAITS_FOR_ESTIMATE:
        return None
    minutes = statistics.median(waits) / 60
    return timedelta(minutes=max(5, 5 * -(-int(minutes) // 5)))


def position_update_due(
    current: int, last_sent: int | None, last_sent_at: datetime | None, now: datetime
) -> bool:
    if last_sent is None or last_sent_at is None:
        return True
    return current != last_sent or now - last_sent_at >= POSITION_EVERY


@dataclass(frozen=True, slots=True)
class Silence:
    """What to do about a person gone quiet in a live conversation."""

    action: str  # "ask" (are you still there?) or "close"


def silence(last_person_at: datetime, asked_at: datetime | None, now: datetime) -> Silence | None:
    if asked_at is not None and asked_at >= last_person_at:
        return Silence("close") if now - asked_at >= CLOSE_AFTER_ASKING else None
    if now - last_person_at >= STILL_THERE_AFTER:
        return Silence("ask")
    return None


def debrief_offered(
    was_urgent: bool, taken_at: datetime, ended_at: datetime, escalated: bool = False
) -> bool:
    """After an urgent, escalated or long conversation: a debrief or a break."""
    return was_urgent or escalated or ended_at - taken_at >= LONG_CONVERSATION


@dataclass(frozen=True, slots=True)
class Shift:
    """What a person is told before joining: who is on, the likely wait, the next shift."""

    on_shift: int
    likely_wait: timedelta | None = None
    next_shift: datetime | None = None  # local time, when nobody is on
    today: date | None = None  # local, to say "today" or "tomorrow"
    # How many wait at each priority (index = risk level), for a newcomer's position.
    waiting_by_priority: tuple[int, ...] = field(default_factory=tuple)

    @property
    def waiting(self) -> int:
        return sum(self.waiting_by_priority)

    def waiting_at_or_above(self, priority: int) -> int:
        return sum(self.waiting_by_priority[priority:])


# -- what a turn does to the person's place ------------------------------------------


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """What the rules make of a turn's queue change for an open handoff."""

    raised_from: Level | None  # the priority before this turn raised it, if it did
    urgent_now: bool  # raised to urgent by this turn (supporters are alerted)
    # "left" (stopped waiting) or "ended" (ended a live conversation), if either.
    closes: str | None


def after_turn(
    status: str, priority: int, new_priority: int, leave: bool, end: bool
) -> TurnOutcome:
    """A waiting person only ever moves up; leaving is for the queue, ending for a live
    conversation (a "stop" in the wrong state changes nothing)."""
    raised = new_priority > priority
    closes = None
    if leave and status == "waiting":
        closes = "left"
    elif end and status == "active":
        closes = "ended"
    return TurnOutcome(
        raised_from=Level(priority) if raised else None,
        urgent_now=raised and new_priority >= Level.URGENT,
        closes=closes,
    )


# -- the queue's clock ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Queued:
    """Someone waiting, with what they were told last."""

    waiting: Waiting
    off_shift: bool  # joined when nobody was on: a message left for the next shift
    position_sent: int | None
    position_sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class Live:
    """A live conversation, as the clock sees it."""

    handoff_id: int
    last_person_at: datetime | None
    taken_at: datetime | None
    still_there_at: datetime | None


@dataclass(frozen=True, slots=True)
class Tick:
    """What the clock does now: positions to tell (handoff id, place) and the silent
    to ask or close (handoff id, what)."""

    positions: tuple[tuple[int, int], ...]
    quiet: tuple[tuple[int, Silence], ...]


def tick(queued: Sequence[Queued], live: Sequence[Live], anyone_on: bool, now: datetime) -> Tick:
    by_id = {item.waiting.handoff_id: item for item in queued}
    positions = []
    for place, waiting in enumerate(ordered(item.waiting for item in queued), start=1):
        item = by_id[waiting.handoff_id]
        if item.off_shift and not anyone_on:
            continue  # no updates overnight
        if position_update_due(place, item.position_sent, item.position_sent_at, now):
            positions.append((waiting.handoff_id, place))
    quiet = []
    for conversation in live:
        found = silence(
            conversation.last_person_at or conversation.taken_at or now,
            conversation.still_there_at,
            now,
        )
        if found is not None:
            quiet.append((conversation.handoff_id, found))
    return Tick(tuple(positions), tuple(quiet))
