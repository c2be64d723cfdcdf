"""The dialogue engine: (state, inbound, context) -> (new state, replies, effects).

Pure: no I/O, no clock but the one passed in. Every message is read for risk first,
in every state, before anything else happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.directory import Directory, parse_where
from bot.peer.queue import Shift
from bot.risk import Assessment, Level, assess

from . import carer, feedback, forget, holdback, journeys, somewhere, talk, words
from .inbound import Inbound, Kind
from .replies import (
    MENU_OPTIONS,
    OPTION_IDS,
    CheckinsStopped,
    Counted,
    Effect,
    Option,
    Reply,
    RiskAssessed,
)
from .state import State
from .talk import PeerView

MAX_TEXT = 10_000


@dataclass(frozen=True, slots=True)
class Context:
    now: datetime
    directory: Directory | None = None  # None: the directory failed to load
    # The peer queue: who is on shift (None: the queue is unavailable) and the person's
    # own open request to talk, if any.
    shift: Shift | None = None
    peer: PeerView | None = None
    block_id: int | None = None  # a lead's block in force: ordinary replies held back
    # The service's time zone, for check-ins at local times.
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))


@dataclass(frozen=True, slots=True)
class Outcome:
    state: State
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...] = ()


def _menu(key: str = "menu", **values: object) -> Reply:
    return Reply(key, dict(values), MENU_OPTIONS)


URGENT_OPTIONS = (Option.TALK, Option.MENU)
SAFE_OPTIONS = (Option.SAFE_YES, Option.SAFE_NO, Option.TALK)
CONCERN_OPTIONS = (Option.THOUGHTS_YES, Option.THOUGHTS_NO, Option.TALK, Option.URGENT)


# Categories that add their own lines of help after the urgent numbers.
EXTRA_HELP = frozenset({"abuse", "child_at_risk", "minor", "third_party"})


def _urgent_replies(categories: tuple[str, ...]) -> tuple[Reply, ...]:
    replies = [Reply("urgent", {}, urgent=True)]
    extra = sorted(EXTRA_HELP.intersection(categories))
    if extra:
        replies.append(Reply("urgent_more", {"categories": extra}, urgent=True))
    replies.append(Reply("are_you_safe", {}, SAFE_OPTIONS, urgent=True))
    return tuple(replies)


def _read_risk(state: State, text: str, at: datetime) -> tuple[State, Assessment, bool]:
    """Assess the newest message alone and with the recent window (split SMS).

    Returns the new state, the assessment and whether it is news that needs an answer:
    a repeat of an already-answered urgent message inside the window (a "lol jk" after
    it, say) keeps the flag but does not send the urgent reply a second time.
    """
    alone = assess([text])
    state = state.with_recent(text, at)
    together = assess(state.window()) if len(state.recent) > 1 else alone
    combined = together if together.level > alone.level else alone
    news = alone.level > Level.NONE or together.level > state.last_level
    flag = max(state.flag, combined.level)
    categories = tuple(sorted(set(state.categories) | set(combined.categories)))
    state = replace(state, flag=Level(flag), categories=categories, last_level=combined.level)
    return state, combined, news and combined.level > Level.NONE


# A plain yes or no answers the question the step asked.
_YES_NO = {
    "urgent": {True: Option.SAFE_YES, False: Option.SAFE_NO},
    "concern": {True: Option.THOUGHTS_YES, False: Option.THOUGHTS_NO},
    "forget": {True: Option.FORGET_YES, False: Option.FORGET_NO},
    "carer_safe": {True: Option.THEY_SAFE, False: Option.THEY_NOT_SAFE},
    "plan_delete": {True: Option.PLAN_DELETE_YES, False: Option.PLAN_KEEP},
    "feedback": {True: Option.FB_YES, False: Option.FB_NO},
}


def _choice(state: State, inbound: Inbound) -> str | None:
    """What the person chose: an option, a command, a numbered reply or a known word."""
    if inbound.kind is Kind.OPTION:
        return inbound.option if inbound.option in OPTION_IDS else "stale"
    if inbound.kind is Kind.COMMAND:
        return {
            "start": "start",
            "menu": Option.MENU,
            "help": words.HELP,
            "urgent": Option.URGENT,
            "stop": words.STOP,
            "forget": words.FORGET,
            "talk": Option.TALK,
            "end": Option.END_CHAT,
            "plan": Option.PLAN,
        }.get(inbound.command or "", "unknown_command")
    answer = words.yes_or_no(inbound.text)
    if answer is not None and state.step in _YES_NO:
        return _YES_NO[state.step][answer]
    number = words.number_choice(inbound.text)
    if number is not None:
        if 1 <= number <= len(state.offered):
            return state.offered[number - 1]
        return "stale"
    return words.intent(inbound.text)


def _answer(
    state: State, choice: str | None, context: Context, effects: list[Effect]
) -> tuple[State, tuple[Reply, ...]]:
    directory = context.directory
    journey = journeys.answer(state, choice, context.now, context.zone, directory)
    if journey is not None:
        state, replies, more = journey
        effects.extend(more)
        return state, replies
    if choice == Option.SOMEWHERE:
        if directory is None:
            return replace(state, step="menu"), (_menu("not_ready", feature="somewhere"),)
        return somewhere.ask(state)
    if choice == Option.MORE and state.step == "places" and directory is not None:
        return somewhere.more(state, directory, context.now)
    if choice == Option.URGENT:
        return replace(state, step="urgent"), _urgent_replies(state.categories)
    if choice == Option.THOUGHTS_YES:
        state = replace(state, step="urgent", flag=Level.URGENT)
        return state, _urgent_replies(state.categories)
    if choice == Option.THOUGHTS_NO:
        return replace(state, step="menu"), (_menu("thoughts_no"),)
    if choice == Option.SAFE_NO:
        return replace(state, step="urgent"), (Reply("safe_no", {}, URGENT_OPTIONS, urgent=True),)
    if choice == Option.SAFE_YES:
        return replace(state, step="menu"), (_menu("safe_yes"),)
    if choice in (Option.MENU, "start"):
        return replace(state, step="menu"), (_menu(),)
    if choice == words.HELP:
        return replace(state, step="menu"), (_menu("help"),)
    if choice in (words.STOP, Option.STOP_CHECKINS):
        effects.append(CheckinsStopped())
        return replace(state, step="menu"), (_menu("stopped"),)
    if choice in (words.FORGET, Option.FORGET_YES):
        # A "yes" button from an old question asks again rather than deleting.
        return forget.ask(state)
    if choice == Option.FORGET_NO:
        return forget.kept(state)
    if choice == "stale":
        return state, (_menu("stale_choice"),)
    return state, (_menu("fallback"),)


def _answer_all(
    state: State, choice: str | None, context: Context
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]]:
    """``_answer``, plus the peer-queue choices, which also ask the shell for changes."""
    peer = context.peer
    waiting = peer is not None and peer.status == "waiting"
    if choice == Option.TALK:
        return talk.intro(state, context.shift, peer)
    if choice in (Option.JOIN, Option.LEAVE_MESSAGE):
        return talk.join(state, context.shift, peer, off_shift=choice == Option.LEAVE_MESSAGE)
    if waiting and peer is not None:
        if choice == Option.LEAVE_QUEUE:
            return talk.leave(state)
        if choice == words.STOP:
            # "Stop" means no more messages: out of the queue, and no check-ins either.
            state, replies, done = talk.leave(state)
            return state, replies, (*done, CheckinsStopped())
        if choice == Option.SKIP and state.step == "topic":
            return talk.skip_topic(state)
        if choice is None:
            return talk.waiting(state, peer)
    if choice == Option.FEEDBACK_PEER:
        state, replies = feedback.start(state, "peer")
        return state, replies, ()
    if choice in (Option.LEAVE_QUEUE, Option.END_CHAT):
        choice = Option.MENU
    effects: list[Effect] = []
    state, replies = _answer(state, choice, context, effects)
    return state, replies, tuple(effects)


def _live(
    state: State, inbound: Inbound, peer: PeerView
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]]:
    """A message during a live conversation with a supporter: relayed, not answered,
    unless it ends the conversation or asks for urgent help."""
    choice = _choice(state, inbound) if inbound.kind is not Kind.TEXT else None
    if inbound.kind is Kind.TEXT and words.intent(inbound.text) == Option.END_CHAT:
        choice = Option.END_CHAT
    if choice in (Option.END_CHAT, words.STOP):
        return talk.end(state, peer)
    if choice == Option.URGENT:
        return state, _urgent_replies(state.categories), ()
    if inbound.kind is Kind.UNSUPPORTED:
        return state, (Reply("only_text", {}),), ()
    if inbound.kind in (Kind.OPTION, Kind.COMMAND):
        return talk.live_note(state, peer)
    return state, (), ()


def _place(
    state: State, inbound: Inbound, text: str, context: Context
) -> tuple[State, tuple[Reply, ...]] | None:
    """A place typed or shared while the directory journey is under way, if it is one."""
    directory = context.directory
    if directory is None:
        return None
    if (
        inbound.kind is Kind.LOCATION
        and inbound.latitude is not None
        and inbound.longitude is not None
    ):
        return somewhere.place_shared(
            state, inbound.latitude, inbound.longitude, directory, context.now
        )
    if inbound.kind is not Kind.TEXT or not text.strip():
        return None
    if state.step == "where" and _choice(state, inbound) is None:
        return somewhere.place_named(state, text, directory, context.now)
    if (
        state.step == "places"
        and _choice(state, inbound) is None
        and parse_where(text, directory.places) is not None
    ):
        return somewhere.place_named(state, text, directory, context.now)
    return None


def _respond(
    state: State, inbound: Inbound, text: str, context: Context
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]]:
    peer = context.peer
    if peer is not None and peer.status == "active":
        return _live(state, inbound, peer)
    if (
        peer is not None
        and state.step in ("topic", "message")
        and inbound.kind is Kind.TEXT
        and text.strip()
        and _choice(state, inbound) is None
    ):
        return talk.topic(state, text)
    if inbound.kind is Kind.TEXT and journeys.typed_answer(state, text):
        state, replies, more = journeys.typed(state, text, context.now, context.zone)
        return state, replies, tuple(more)
    place = _place(state, inbound, text, context)
    if place is not None:
        return (*place, ())
    if inbound.kind is Kind.UNSUPPORTED:
        return state, (_menu("only_text"),), ()
    if inbound.kind is Kind.LOCATION:
        return _answer_all(state, Option.SOMEWHERE, context)
    if inbound.kind is Kind.TEXT and not text.strip():
        return state, (_menu("empty"),), ()
    return _answer_all(state, _choice(state, inbound), context)


def handle(state: State, inbound: Inbound, context: Context) -> Outcome:
    """Answer one inbound message."""
    before = state
    replies: list[Reply] = []
    effects: list[Effect] = []
    text = inbound.text[:MAX_TEXT] if inbound.kind is Kind.TEXT else ""

    urgent_now = concern_now = False
    if text.strip():
        state, assessment, news = _read_risk(state, text, inbound.at)
        if assessment.level > Level.NONE:
            effects.append(
                RiskAssessed(
                    level=assessment.level.label,
                    categories=assessment.categories,
                    rules=assessment.rules,
                    ruleset_version=assessment.ruleset_version,
                    alerted=news,
                )
            )
        urgent_now = news and assessment.level is Level.URGENT
        concern_now = news and assessment.level is Level.CONCERN

    live = context.peer is not None and context.peer.status == "active"
    if state.step == "checkin_sent":
        # Whatever they send after a check-in answers it, urgent words included.
        effects.append(Counted("checkin_answered"))
        state = replace(state, step="menu")

    if urgent_now:
        # The urgent reply and "are you safe?" are the whole answer, in every state;
        # to a first message, with who is answering between them, once (Telegram and SMS have
        # no page header to say it is automated).
        urgent = list(_urgent_replies(state.categories))
        if state.step == "new":
            urgent.insert(-1, Reply("not_a_person", {}, urgent=True))
        replies.extend(urgent)
        state = replace(state, step="urgent")
    elif state.step == "new":
        replies.append(Reply("greeting", {}, MENU_OPTIONS))
        state = replace(state, step="menu")
        if concern_now:
            # The direct question is the last thing asked, so a plain "yes" answers it.
            replies.append(Reply("concern", {}, CONCERN_OPTIONS))
            state = replace(state, step="concern")
        choice = _choice(state, inbound)
        if choice not in (None, "start", words.HELP, "stale", "unknown_command", Option.MENU):
            state, more, done = _answer_all(state, choice, context)
            replies.extend(more)
            effects.extend(done)
    elif concern_now and not live:
        # In a live conversation the supporter is told instead of the bot asking.
        replies.append(Reply("concern", {}, CONCERN_OPTIONS))
        state = replace(state, step="concern")
        choice = _choice(state, inbound)
        if choice is not None and choice != "stale":
            state, more, done = _answer_all(state, choice, context)
            replies.extend(more)
            effects.extend(done)
    elif (forgetting := forget.answer(state, _choice(state, inbound))) is not None:
        state, more, done = forgetting
        replies.extend(more)
        effects.extend(done)
    else:
        state, more, done = _respond(state, inbound, text, context)
        replies.extend(more)
        effects.extend(done)

    state, replies, held = holdback.apply(
        state,
        replies,
        inbound.at,
        context.block_id,
        risky=urgent_now or concern_now,
        pressed=inbound.kind is Kind.OPTION,
    )
    effects.extend(held)
    if state.flag is Level.URGENT and replies and replies[-1].options:
        # Keep urgent help one step away for as long as the flag stays on.
        last = replies[-1]
        if Option.URGENT not in last.options:
            replies[-1] = replace(last, options=(*last.options, Option.URGENT))
    offered = next((r.options for r in reversed(replies) if r.options), state.offered)
    effects.extend(somewhere.signposts(replies))
    effects = [*carer.audience_for(state, effects), *carer.became(before, state)]
    return Outcome(replace(state, offered=offered), tuple(replies), tuple(effects))
