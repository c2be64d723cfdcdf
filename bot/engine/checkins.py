"""Check-ins: a gentle automatic message at a time the person chose, in local time.

Pure: the clock and the service's time zone come in. Never at night (22:00-08:00 local)
unless the person asks for exactly that. The shell stores and sends them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .journey import WAIT_OPTIONS, Step
from .replies import CheckinAsked, Counted, Effect, Option, Reply
from .state import State

NIGHT_STARTS, NIGHT_ENDS = time(22), time(8)
EVENING = time(19)
MORNING = time(10)
DAY_OF = time(8, 30)  # the morning of an appointment, early enough to come before it
IN_AN_HOUR = timedelta(hours=1)
KINDS = {
    Option.CHECKIN_HOUR: "hour",
    Option.CHECKIN_HOUR_NIGHT: "hour_night",
    Option.CHECKIN_EVENING: "evening",
    Option.CHECKIN_MORNING: "morning",
    Option.CHECKIN_DAY: "day",
}
MESSAGE_OPTIONS = (Option.WAIT, Option.TALK, Option.URGENT, Option.STOP_CHECKINS)


def at_night(moment: datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    # zoneinfo picks the right offset for that day, so 10:00 stays 10:00 across the
    # clock change; a wall time the change skips or repeats takes zoneinfo's fold=0.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def due(option: Option, now: datetime, zone: ZoneInfo, waiting_date: str = "") -> datetime | None:
    """When a check-in of this kind would go, in UTC; None when it no longer can."""
    today = now.astimezone(zone).date()
    when: datetime | None
    if option in (Option.CHECKIN_HOUR, Option.CHECKIN_HOUR_NIGHT):
        when = now.astimezone(UTC) + IN_AN_HOUR
    elif option is Option.CHECKIN_EVENING:
        when = _local(today, EVENING, zone)
    elif option is Option.CHECKIN_MORNING:
        # Asked in the small hours, "tomorrow morning" is the morning that is coming.
        early = now.astimezone(zone).time() < NIGHT_ENDS
        when = _local(today if early else today + timedelta(days=1), MORNING, zone)
    elif option is Option.CHECKIN_DAY and waiting_date:
        when = _local(date.fromisoformat(waiting_date), DAY_OF, zone)
    else:
        return None
    return when if when > now else None


def choices(now: datetime, zone: ZoneInfo, waiting_date: str = "") -> tuple[Option, ...]:
    """The check-ins that can still be had, none of them at night unless said so."""
    offered: list[Option] = []
    for option in (Option.CHECKIN_DAY, Option.CHECKIN_EVENING, Option.CHECKIN_MORNING):
        if due(option, now, zone, waiting_date) is not None:
            offered.append(option)
    hour = Option.CHECKIN_HOUR_NIGHT if at_night(now + IN_AN_HOUR, zone) else Option.CHECKIN_HOUR
    return (hour, *offered)


def suggestion(waiting_for: str, waiting_date: str, now: datetime, zone: ZoneInfo) -> str:
    """The check-in that suits what they are waiting for, if it can still be had."""
    if waiting_for == "appointment" and due(Option.CHECKIN_DAY, now, zone, waiting_date):
        return str(Option.CHECKIN_DAY)
    if waiting_for == "callback" and due(Option.CHECKIN_EVENING, now, zone):
        return str(Option.CHECKIN_EVENING)
    return ""


def offer(state: State, now: datetime, zone: ZoneInfo, unavailable: bool = False) -> Step:
    options = choices(now, zone, state.waiting_date)
    values = {
        "waiting_for": state.waiting_for,
        "suggest": suggestion(state.waiting_for, state.waiting_date, now, zone),
        "unavailable": unavailable,
    }
    return (
        replace(state, step="checkin"),
        (Reply("checkin_offer", values, (*options, Option.MENU)),),
        (),
    )


def when_words(moment: datetime, now: datetime, zone: ZoneInfo) -> dict[str, object]:
    """A time as the template says it: "today", "tomorrow" or a weekday number, and HH:MM."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    days = (local.date() - today).days
    day: str | int = "today" if days == 0 else "tomorrow" if days == 1 else local.weekday()
    return {"day": day, "date": local.day, "month": local.month, "time": local.strftime("%H:%M")}


def chosen(state: State, option: Option, now: datetime, zone: ZoneInfo) -> Step:
    when = due(option, now, zone, state.waiting_date)
    if when is None or (at_night(when, zone) and option is not Option.CHECKIN_HOUR_NIGHT):
        # An old button for a time that has passed, or would now fall at night.
        return offer(state, now, zone, unavailable=True)
    effects: tuple[Effect, ...] = (CheckinAsked(due=when, kind=KINDS[option]),)
    values = {"at": when_words(when, now, zone), "waiting_for": state.waiting_for}
    return replace(state, step="wait_menu"), (Reply("checkin_set", values, WAIT_OPTIONS),), effects


def message(state: State) -> Step:
    """The check-in itself, for the shell's scheduler: the next reply picks it up."""
    values = {"waiting_for": state.waiting_for}
    reply = Reply("checkin_message", values, MESSAGE_OPTIONS)
    state = replace(state, step="checkin_sent", offered=MESSAGE_OPTIONS)
    return state, (reply,), (Counted("checkin_sent"),)


NOT_OK_OPTIONS = (Option.TALK, Option.PLAN, Option.SOMEWHERE, Option.URGENT)


def answered(state: State, well: bool) -> Step:
    """A check-in answered in words: glad, or a caring next step (a supporter, the plan,
    somewhere to go, urgent help)."""
    values = {"waiting_for": state.waiting_for, "has_plan": bool(state.plan)}
    if well:
        return replace(state, step="wait_menu"), (Reply("checkin_ok", values, WAIT_OPTIONS),), ()
    reply = Reply("checkin_not_ok", values, NOT_OK_OPTIONS)
    return replace(state, step="wait_menu"), (reply,), ()


def release(state: State) -> Step:
    """A reply held back in a flood, once the window has passed (bot/engine/holdback.py);
    nothing if the person has been answered since."""
    if not state.held:
        return state, (), ()
    offered = next((r.options for r in reversed(state.held) if r.options), state.offered)
    return replace(state, held=(), slowed=False, offered=offered), state.held, ()
