"""The desk's rules, pure: who may read what and for how long, unread counts, why a
supporter cannot take anyone now, which alerts a supporter wants.

The store only stores; the dashboard and Telegram ask these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# The alerts a supporter can mute, each on its own.
ALERTS = ("new", "urgent", "transfer", "line")
DEFAULT_WRAP_UP = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Held:
    """What the rules need to know of one handoff."""

    supporter_id: str | None
    status: str
    ended_at: datetime | None


def may_read(held: Held, supporter_id: str, now: datetime, wrap_up: timedelta) -> bool:
    """A supporter reads a conversation only while it is theirs and open, and for a
    short wrap-up after it ends (to finish the outcome and the note); never after."""
    if held.supporter_id != supporter_id:
        return False
    if held.status == "active":
        return True
    if held.status != "ended" or held.ended_at is None:
        return False
    return now - held.ended_at <= wrap_up


def lead_may_read(held: Held) -> bool:
    """A lead may read any live conversation (each read is recorded for audit)."""
    return held.status == "active"


def window(
    joined_at: datetime, ended_at: datetime | None, previous_end: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """The stretch of a person's conversation that belongs to one handoff: from the end
    of their previous handoff (so the bot conversation that led here is context) to
    this one's end. Earlier and later chats with other supporters stay out."""
    return previous_end, ended_at


def in_window(at: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or at > start) and (end is None or at <= end)


def raised_by(risk: dict[str, object] | None) -> bool:
    """Whether this line is one that raised the risk: the risk check's news, not a line
    that only sat in the same window as an earlier one (a "thank you" after it)."""
    return bool(risk and risk.get("alerted"))


def unread(person_line_ids: Iterable[int], seen_upto: int | None) -> int:
    """The person's lines the holder has not had on screen yet."""
    cursor = seen_upto or 0
    return sum(1 for line_id in person_line_ids if line_id > cursor)


def take_blocked(
    on_shift: bool, on_break: bool, active: int, cap: int
) -> tuple[str, dict[str, int]] | None:
    """Why a supporter cannot take anyone now (a reason key and its figures), or None."""
    if not on_shift:
        return "off_shift", {}
    if on_break:
        return "on_break", {}
    if active >= cap:
        return "at_cap", {"active": active, "cap": cap}
    return None


def wanted_alerts(muted: Sequence[str]) -> list[str]:
    return [kind for kind in ALERTS if kind not in set(muted)]


def clean_muted(chosen: Iterable[str]) -> list[str]:
    """Only alert kinds that exist, once each, in the usual order."""
    wanted = set(chosen)
    return [kind for kind in ALERTS if kind in wanted]


def reachable_leads(leads: Iterable[tuple[str, bool]], present: set[str]) -> list[str]:
    """Leads who can be told now: on the dashboard (a stream open) or on Telegram.
    ``leads`` is (id, has Telegram linked)."""
    return [lead_id for lead_id, telegram in leads if telegram or lead_id in present]


# -- naming ------------------------------------------------------------------------

_PSEUDONYM = "Guest-"
_CODE = 6


def pseudonym(person_id: str) -> str:
    """What supporters call a person: never a phone number or a username."""
    return _PSEUDONYM + person_id.removeprefix("p-")[:_CODE].upper()


def pseudonym_code(name: str) -> str | None:
    """The person-id prefix a supporter means by "Guest-3FA2C1" (lower case), or None
    when it cannot be one."""
    code = name.strip().lower().removeprefix(_PSEUDONYM.lower())
    if len(code) != _CODE or any(c not in "0123456789abcdef" for c in code):
        return None
    return code


# -- what supporters write: caps -----------------------------------------------------

MAX_NOTE = 2000  # a note on a conversation, for the next supporter
MAX_HANDOVER = 1000  # a handover note (at the end) or a transfer note


def note_text(text: str) -> str:
    return text[:MAX_NOTE]


def handover_note(note: str) -> str | None:
    """A handover or transfer note as kept: trimmed, capped, None when empty."""
    return note.strip()[:MAX_HANDOVER] or None


# -- alerts on Telegram --------------------------------------------------------------

# A staff alert that fails this many times is given up (and a lead sees it failed).
STAFF_MAX_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class Audience:
    """Whom a staff alert is for: one supporter, everyone on shift, or the leads."""

    kind: str  # "supporter", "on_shift" or "leads"
    supporter_id: str | None = None


def audience(to: str) -> Audience:
    """A staff message's ``to`` ("supporter:<id>", "on_shift", anything else: "leads")."""
    kind, _, target = to.partition(":")
    if kind == "supporter":
        return Audience("supporter", target)
    if kind == "on_shift":
        return Audience("on_shift")
    return Audience("leads")


def focus(live: Sequence[tuple[int, bool]]) -> int | None:
    """The conversation a supporter's Telegram messages go to, from their live ones as
    (handoff id, is the one they set): the one set, else their only live one, else None
    (they must choose)."""
    chosen = [handoff_id for handoff_id, focused in live if focused]
    if chosen:
        return chosen[0]
    return live[0][0] if len(live) == 1 else None
