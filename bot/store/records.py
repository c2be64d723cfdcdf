"""The records every layer shares: what a turn changes (replies, risk records, counts,
queue and wait changes, staff messages), what the store gives back (inbound messages,
outbox items, handoffs, delivery reports). Plain frozen dataclasses, no I/O and no SQL;
``bot.store.contract`` says what a store does with them.

Each was defined beside the SQL that wrote it; they live here so the store's modules
(and everything above them) import them from one place, one way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class OpenHandoff:
    """A person's open request to talk, as a turn needs it."""

    id: int
    status: str
    priority: int
    supporter_id: str | None
    supporter_name: str
    supporter_chat: str | None
    position: int | None


@dataclass(frozen=True, slots=True)
class StaffMessage:
    """For supporters on Telegram. ``to``: "supporter:<id>", "on_shift" or "leads"."""

    to: str
    text: str
    urgent: bool = False
    person_id: str | None = None  # set when it carries the person's words


@dataclass(frozen=True, slots=True)
class Handoff:
    id: int
    person_id: str
    person: str  # pseudonym
    status: str
    priority: int
    was_urgent: bool
    audience: str
    topic: str | None
    joined_at: datetime
    off_shift: bool
    taken_at: datetime | None
    supporter_id: str | None
    ended_at: datetime | None
    ended_by: str | None
    outcome: list[str]
    handover_note: str | None
    last_person_at: datetime | None
    seen_upto: int | None = None
    transferred_by: str | None = None
    transfer_note: str | None = None


@dataclass(frozen=True, slots=True)
class QueueChange:
    """What a turn changes in the queue (from the engine's effects)."""

    join: tuple[int, str, bool] | None = None  # priority, audience, off_shift
    topic: str | None = None
    leave: bool = False
    end: bool = False
    priority: int = 0  # the conversation's risk flag now: a waiting person moves up


@dataclass(frozen=True, slots=True)
class PlanSaved:
    """The person's plan as it now stands; None deletes it."""

    sections: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class CheckinBooked:
    """A check-in at ``due``; it replaces any still pending, so one is ever waiting."""

    due: datetime
    kind: str


@dataclass(frozen=True, slots=True)
class CheckinsCancelled:
    pass


@dataclass(frozen=True, slots=True)
class FeedbackSaved:
    about: str
    answers: dict[str, float]


@dataclass(frozen=True, slots=True)
class FeedbackNote:
    """The optional sentence, added to the person's latest feedback."""

    note: str


WaitChange = PlanSaved | CheckinBooked | CheckinsCancelled | FeedbackSaved | FeedbackNote


# What a delivery report says happened to a sent reply.
DeliveryOutcome = Literal["sent", "delivered", "failed", "retry"]


# What the anonymous counts table holds; reports read these and nothing else personal.
COUNT_KINDS = frozenset(
    {
        "contact",  # a conversation started (first message after CONTACT_GAP of silence)
        "signpost",  # detail: directory entry id shown to someone
        "queue_join",  # detail: priority
        "queue_raise",  # detail: "concern>urgent", a priority raised in the queue
        "became_carer",  # a contact counted as a person's turned out to be a carer's
        "queue_wait",  # value: seconds from joining to being taken
        "queue_left",  # left the queue before being taken
        "escalation",  # detail: the rung of the ladder used
        "peer_end",  # detail: outcome tag
        "feedback",  # detail: statement id, value: 1 yes, 0.5 partly, 0 no
        "plan_made",
        "checkin_sent",
        "checkin_answered",
        "forgotten",
    }
)


@dataclass(frozen=True, slots=True)
class Received:
    inbox_id: int
    person_id: str
    duplicate: bool


@dataclass(frozen=True, slots=True)
class StoredInbound:
    id: int
    person_id: str
    channel: str
    kind: str
    body: dict[str, Any]
    received_at: datetime
    # The person's open request to talk, read in the turn's own transaction.
    handoff: OpenHandoff | None = None
    # The lead's block in force when it arrived, if any (see bot/store/privacy.py).
    block_id: int | None = None
    # False when replies cannot be sent on its channel (the address opted out: STOP).
    reachable: bool = True


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reply to store in the outbox: its key, its rendered body, its urgency."""

    key: str
    body: dict[str, Any]
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class RiskRecord:
    level: str
    categories: Sequence[str]
    rules: Sequence[str]
    ruleset_version: str
    alerted: bool
    # The message that raised it (default: the turn's own) and what raised it: the risk
    # check reading a message ("message") or a safety answer ("answer").
    inbox_id: int | None = None
    source: str = "message"


@dataclass(frozen=True, slots=True)
class RiskMessage:
    """A message that raised someone's risk flag, for the desk to show beside the flag:
    what it said (``text``; for a button, the option id in ``option``), when, and why."""

    event_id: int
    at: datetime
    level: str
    categories: tuple[str, ...]
    rules: tuple[str, ...]
    source: str  # "message": the risk check read it; "answer": a safety answer
    inbox_id: int | None
    kind: str
    text: str
    option: str | None


@dataclass(frozen=True, slots=True)
class Count:
    """One anonymous count (see COUNT_KINDS); no person id by design."""

    kind: str
    detail: str = ""
    value: float | None = None
    audience: str = ""
    channel: str = ""


@dataclass(frozen=True, slots=True)
class Turn:
    """What one processed message changes: the new state, replies to send, risk records."""

    state: str
    replies: Sequence[Outgoing]
    risks: Sequence[RiskRecord] = field(default_factory=tuple)
    counts: Sequence[Count] = field(default_factory=tuple)
    queue: QueueChange | None = None
    staff: Sequence[StaffMessage] = field(default_factory=tuple)
    # Delete everything about the person in this same transaction, keeping only the
    # address and these replies until they are delivered (bot/store/privacy.py).
    forget: bool = False
    # Plans, check-ins and feedback (bot.store.wait), written in the same transaction.
    wait: Sequence[WaitChange] = field(default_factory=tuple)
    # "carer" when the person is here for someone else, so a new contact counts as theirs.
    audience: str = ""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    person_id: str
    channel: str
    address: str | None
    key: str
    body: dict[str, Any]
    urgent: bool
    status: str
    attempts: int


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What a delivery report changed: the reply, whose it is, and its status now."""

    outbox_id: int
    person_id: str
    address: str | None
    status: str
    changed: bool


@dataclass(frozen=True, slots=True)
class FailedDelivery:
    """A reply that will never be sent, for leads: whose (pseudonymous id, never the
    address), on which channel, which message, why, and when it was given up."""

    outbox_id: int
    person_id: str
    channel: str
    key: str
    urgent: bool
    attempts: int
    reason: str
    failed_at: datetime


@dataclass(frozen=True, slots=True)
class CheckinTurn:
    """What sending one check-in writes: the new state, the replies, counts."""

    state: str
    replies: Sequence[Outgoing]
    counts: Sequence[Count] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ShiftFigures:
    on_shift: int
    waiting_by_priority: tuple[int, int, int]
    recent_waits: tuple[float, ...]
