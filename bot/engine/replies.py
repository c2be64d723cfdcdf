"""What the engine answers with: replies as data, and effects for the shell to carry out.

A reply is a message key (a template in ``messages/``), the values it needs and the
options offered with it. Channels decide how it looks; the engine never sees wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
    # Carers ("I'm supporting someone").
    THEY_SAFE = "they_safe"
    THEY_NOT_SAFE = "they_not_safe"
    CARER_SUPPORT = "carer_support"  # support for me, the carer
    CARER_HELP = "carer_help"  # how to help the person
    THEIR_PLACES = "their_places"  # where the person can go
    # While you wait: what for, then what helps.
    WAIT_CALLBACK = "wait_callback"
    WAIT_ASSESSMENT = "wait_assessment"
    WAIT_APPOINTMENT = "wait_appointment"
    WAIT_BED = "wait_bed"
    WAIT_NOTHING = "wait_nothing"
    PLAN = "plan"
    PLAN_EDIT = "plan_edit"
    PLAN_DELETE = "plan_delete"
    PLAN_DELETE_YES = "plan_delete_yes"
    PLAN_KEEP = "plan_keep"
    PLAN_SIGNS = "plan_signs"
    PLAN_HELPS = "plan_helps"
    PLAN_PEOPLE = "plan_people"
    PLAN_CONTACTS = "plan_contacts"
    CHECKIN = "checkin"
    CHECKIN_HOUR = "checkin_hour"
    CHECKIN_HOUR_NIGHT = "checkin_hour_night"  # an hour from now, though it is night
    CHECKIN_EVENING = "checkin_evening"
    CHECKIN_MORNING = "checkin_morning"
    CHECKIN_DAY = "checkin_day"  # the morning of the appointment
    STOP_CHECKINS = "stop_checkins"
    GROUNDING = "grounding"
    NEXT = "next"
    # Feedback: five statements, each yes / partly / no or skipped.
    FEEDBACK = "feedback"
    FEEDBACK_PEER = "feedback_peer"  # feedback on a conversation with a peer supporter
    FB_YES = "fb_yes"
    FB_PARTLY = "fb_partly"
    FB_NO = "fb_no"


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
    """A risk decision, for audit and for the peer queue: rule ids, never message text.

    ``message_id`` is the inbound message that raised it (the store's inbox id), so the
    desk can show those words beside the flag; ``source`` says what raised it: the
    risk check reading a message ("message"), or a safety answer ("answer": a press of
    "No, I'm not safe", a carer's "No, or I'm not sure"), whose rule reads "answer:<option>".
    """

    level: str
    categories: tuple[str, ...]
    rules: tuple[str, ...]
    ruleset_version: str
    alerted: bool
    message_id: int | None = None
    source: str = "message"


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


@dataclass(frozen=True, slots=True)
class PlanChanged:
    """The person's plan as it now stands (sections to their own words), or None when
    they deleted it; the shell saves it in the same transaction as the turn."""

    plan: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class CheckinAsked:
    """Send a check-in at ``due`` (UTC); ``kind`` says which one they chose."""

    due: datetime
    kind: str


@dataclass(frozen=True, slots=True)
class CheckinsStopped:
    """Cancel every check-in still to be sent to this person."""


@dataclass(frozen=True, slots=True)
class FeedbackGiven:
    """One finished feedback: statement id to 1 / 0.5 / 0 (skipped ones left out)."""

    about: str
    answers: dict[str, float]


@dataclass(frozen=True, slots=True)
class FeedbackNoted:
    """The optional sentence after a feedback: stored with it, never counted."""

    note: str


@dataclass(frozen=True, slots=True)
class UrgentUnreachable:
    """This turn is urgent but the person cannot be sent replies on their channel (they
    texted STOP): supporters on shift and leads are alerted at once instead."""


Effect = (
    RiskAssessed
    | UrgentUnreachable
    | Counted
    | Forget
    | JoinQueue
    | SetTopic
    | LeaveQueue
    | EndChat
    | PlanChanged
    | CheckinAsked
    | CheckinsStopped
    | FeedbackGiven
    | FeedbackNoted
)


# Every message key the engine can emit, for the test that each exists in every locale.
REPLY_KEYS = (
    "greeting",
    "menu",
    "help",
    "urgent",
    "are_you_safe",
    "safe_no",
    "safe_yes",
    "safe_yes_after_act",
    "concern",
    "not_ready",
    "stopped",
    "stale_choice",
    "fallback",
    "only_text",
    "empty",
    "urgent_more",
    "other_languages",
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
    "peer_card",
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
    "carer_start",
    "carer_urgent",
    "carer_safe_ask",
    "carer_safe_after_act",
    "carer_menu",
    "carer_help",
    "wait_ask",
    "wait_date_ask",
    "wait_menu",
    "plan_intro",
    "plan_ask",
    "plan_show",
    "plan_none",
    "plan_edit_which",
    "plan_delete_ask",
    "plan_deleted",
    "plan_kept",
    "checkin_offer",
    "checkin_set",
    "checkin_message",
    "grounding",
    "feedback_ask",
    "feedback_note",
    "feedback_thanks",
    "reask",
    "checkin_ok",
    "checkin_not_ok",
    "grounding_done",
    "not_a_person",
    "message_ask",
    "message_left",
)
