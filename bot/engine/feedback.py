"""Feedback: optional and skippable. Five statements about what good peer support feels
like, each yes / partly / no or skipped, then an optional sentence, then thanks.

``start(state, about)`` is the way in for any journey that offers it: "peer" after a
peer conversation, "signpost" after places were shown."""

from __future__ import annotations

from dataclasses import replace

from .journey import Step
from .replies import MENU_OPTIONS, Counted, Effect, FeedbackGiven, FeedbackNoted, Option, Reply
from .state import State

# Statement ids, in the order asked; reports and the templates name them. The five are
# about a peer supporter: asked only after a peer conversation. After a bot-only
# journey (places shown) two plain statements about the service are asked instead.
STATEMENTS = ("listened", "warm", "equal", "validated", "time")
SERVICE_STATEMENTS = ("helped", "easy")


def statements_for(about: str) -> tuple[str, ...]:
    return STATEMENTS if about == "peer" else SERVICE_STATEMENTS


VALUES = {Option.FB_YES: 1.0, Option.FB_PARTLY: 0.5, Option.FB_NO: 0.0}
SKIPPED = -1.0  # kept in the state to know where we are; never stored or counted
ASK_OPTIONS = (Option.FB_YES, Option.FB_PARTLY, Option.FB_NO, Option.SKIP, Option.MENU)
NOTE_OPTIONS = (Option.SKIP, Option.MENU)
MAX_NOTE = 1_000
ABOUT = ("peer", "signpost")


def start(state: State, about: str) -> tuple[State, tuple[Reply, ...]]:
    """Ask the first statement."""
    about = about if about in ABOUT else "signpost"
    state = replace(state, step="feedback", about=about, answers={})
    return state, (_ask(state, 0),)


def _ask(state: State, number: int) -> Reply:
    statements = statements_for(state.about)
    values = {
        "about": state.about,
        "number": number + 1,
        "total": len(statements),
        "statement": statements[number],
    }
    return Reply("feedback_ask", values, ASK_OPTIONS)


def answered(state: State, option: Option) -> Step:
    """A statement answered (or skipped); after the fifth, the optional sentence."""
    answers = dict(state.answers or {})
    number = len(answers)
    statements = statements_for(state.about)
    if number >= len(statements):
        return note(state, None)
    answers[statements[number]] = VALUES.get(option, SKIPPED)
    state = replace(state, answers=answers)
    if number + 1 < len(statements):
        return state, (_ask(state, number + 1),), ()
    given = {s: v for s, v in answers.items() if v != SKIPPED}
    effects: list[Effect] = [Counted("feedback", detail=s, value=v) for s, v in given.items()]
    effects.append(FeedbackGiven(about=state.about, answers=given))
    state = replace(state, step="feedback_note")
    return state, (Reply("feedback_note", {}, NOTE_OPTIONS),), tuple(effects)


def note(state: State, text: str | None) -> Step:
    """The optional sentence (None: skipped), stored with the answers, then thanks."""
    effects: tuple[Effect, ...] = ()
    if text is not None and text.strip() and state.step == "feedback_note":
        effects = (FeedbackNoted(text.strip()[:MAX_NOTE]),)
    state = replace(state, step="menu", about="", answers=None)
    return state, (Reply("feedback_thanks", {}, MENU_OPTIONS),), effects
