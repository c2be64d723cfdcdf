"""What the engine answers with: replies as data, and effects for the shell to carry out.

A reply is a message key (a template in ``messages/``), the values it needs and the
options offered with it. Channels decide how it looks; the engine never sees wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Option(StrEnum):
    """Choices a person can pick: buttons on Telegram and the web, numbers on SMS."""

    SOMEWHERE = "somewhere"
    TALK = "talk"
    CARER = "carer"
    WAIT = "wait"
    URGENT = "urgent"
    MENU = "menu"
    MORE = "more"
    SAFE_YES = "safe_yes"
    SAFE_NO = "safe_no"
    THOUGHTS_YES = "thoughts_yes"  # yes to "are you having thoughts of ending your life?"
    THOUGHTS_NO = "thoughts_no"
    JOIN = "join"  # join the peer queue
    LEAVE_MESSAGE = "leave_message"  # join with nobody on shift: a message for the next
    SKIP = "skip"
    LEAVE_QUEUE = "leave_queue"
    END_CHAT = "end_chat"
    FORGET_YES = "forget_yes"  # yes, delete everything about me
    FORGET_NO = "forget_no"


OPTION_IDS = frozenset(option.value for option in Option)
MENU_OPTIONS = (Option.SOMEWHERE, Option.TALK, Option.CARER, Option.WAIT, Option.URGENT)


@dataclass(frozen=True, slots=True)
class Reply:
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class RiskAssessed:
    """A risk decision, for audit and for the peer queue: rule ids, never message text."""

    level: str
    categories: tuple[str, ...]
    rules: tuple[str, ...]
    ruleset_version: str
    alerted: bool


@dataclass(frozen=True, slots=True)
class Counted:
    """Something to count for reports, anonymously: a kind from ``bot.store.COUNT_KINDS``,
    an optional detail (a directory entry id, a feedback statement) and value."""

    kind: str
    detail: str = ""
    value: float | None = None
    audience: str = ""  # "carer" when the person is here for someone else


@dataclass(frozen=True, slots=True)
class JoinQueue:
    """Ask for a peer supporter: the shell opens a handoff in the same transaction."""

    priority: int
    audience: str = ""
    off_shift: bool = False


@dataclass(frozen=True, slots=True)
class SetTopic:
    """The person's own line about what they'd like to talk about (risk-checked)."""

    text: str


@dataclass(frozen=True, slots=True)
class LeaveQueue:
    pass


@dataclass(frozen=True, slots=True)
class EndChat:
    """The person ended a live conversation with a supporter."""


@dataclass(frozen=True, slots=True)
class Forget:
    """Delete everything about this person, in the same transaction as this turn; only
    this turn's replies (saying so) are kept until delivered."""


Effect = RiskAssessed | Counted | Forget | JoinQueue | SetTopic | LeaveQueue | EndChat


# Every message key the engine can emit, for the test that each exists in every locale.
REPLY_KEYS = (
    "greeting",
    "menu",
    "help",
    "urgent",
    "are_you_safe",
    "safe_no",
    "safe_yes",
    "concern",
    "not_ready",
    "stopped",
    "stale_choice",
    "fallback",
    "only_text",
    "empty",
    "urgent_more",
    "thoughts_no",
    "where_ask",
    "places",
    "talk_intro",
    "talk_nobody",
    "talk_unavailable",
    "queue_joined",
    "topic_ask",
    "topic_saved",
    "queue_waiting",
    "queue_left",
    "peer_live_note",
    "peer_ended_by_you",
    # Sent by the shell for supporters' actions and the queue's clock, not by handle().
    "queue_position",
    "peer_joined",
    "peer_message",
    "peer_released",
    "peer_transferred",
    "peer_ended",
    "peer_still_there",
    "peer_closed_quiet",
    "forget_ask",
    "forgotten",
    "forget_kept",
    "slow_down",
    "blocked",
)
