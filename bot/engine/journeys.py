"""Where the carers', while-you-wait, plan, check-in, grounding and feedback journeys
take over from the dialogue: a chosen option, or words typed where a journey asked."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.directory import Audience, Directory

from . import carer, checkins, feedback, grounding, meaning, plan, somewhere, waiting
from .journey import Step
from .replies import MENU_OPTIONS, Option, Reply
from .state import State

# Steps where the person types their own words: a plan answer, a date, a sentence.
TYPED_STEPS = frozenset({"plan", "wait_date", "feedback_note"})


def typed_answer(state: State, text: str) -> bool:
    """Whether a text is the person's own words for the step that asked for them: not a
    whole-message control such as "skip", "go back" or "menu" (bot/engine/meaning.py)."""
    if state.step not in TYPED_STEPS or not text.strip():
        return False
    question = meaning.question_at(state.step, state.offered)
    return meaning.read(question, text, state.offered).meaning is None


def _somewhere(state: State, audience: Audience, directory: Directory | None) -> Step:
    if directory is None:
        not_ready = Reply("not_ready", {"feature": "somewhere"}, MENU_OPTIONS)
        return replace(state, step="menu"), (not_ready,), ()
    state, replies = somewhere.ask(state, audience)
    return state, replies, ()


def answer(
    state: State, choice: str | None, now: datetime, zone: ZoneInfo, directory: Directory | None
) -> Step | None:
    """A journey's answer to a chosen option, or None when it is not one of theirs."""
    if choice == "checkin_ok":
        return checkins.answered(state, well=True)
    if choice == "checkin_not_ok":
        return checkins.answered(state, well=False)
    if choice == "grounding_done" and state.step.startswith("grounding:"):
        return grounding.done(state)
    if choice is None or choice not in Option.__members__.values():
        return None
    option = Option(choice)
    if option is Option.CARER:
        return carer.start(state)
    if option is Option.THEY_NOT_SAFE:
        return carer.not_safe(state)
    if option is Option.THEY_SAFE:
        return carer.safe(state)
    if option is Option.CARER_HELP:
        return carer.help_them(state)
    if option is Option.CARER_SUPPORT:
        return _somewhere(carer.as_carer(state), Audience.CARER, directory)
    if option is Option.THEIR_PLACES:
        return _somewhere(state, Audience.ME, directory)
    if option is Option.WAIT:
        return waiting.ask(state, now, zone)
    if option in waiting.WAITING_FOR:
        return waiting.chose(state, option, now, zone)
    if option is Option.PLAN:
        return plan.open_plan(state)
    if option is Option.PLAN_EDIT:
        return plan.edit_which(state)
    if option in plan.EDIT:
        return plan.edit(state, option)
    if option is Option.PLAN_DELETE:
        return plan.delete_ask(state)
    if option is Option.PLAN_DELETE_YES and state.step == "plan_delete":
        return plan.delete(state)
    if option is Option.PLAN_KEEP or option is Option.PLAN_DELETE_YES:
        return plan.keep(state) if state.plan else plan.open_plan(state)
    if option is Option.CHECKIN:
        return checkins.offer(state, now, zone)
    if option in checkins.KINDS:
        return checkins.chosen(state, option, now, zone)
    if option is Option.GROUNDING:
        return grounding.begin(state)
    if option in (Option.NEXT, Option.MORE) and state.step.startswith("grounding:"):
        return grounding.next_step(state)
    if option is Option.FEEDBACK:
        state, replies = feedback.start(state, state.about)
        return state, replies, ()
    if option in feedback.VALUES and state.step == "feedback":
        return feedback.answered(state, option)
    if option is Option.SKIP:
        return _skip(state, now, zone)
    return None


def _skip(state: State, now: datetime, zone: ZoneInfo) -> Step | None:
    if state.step == "plan":
        return plan.answered(state, None)
    if state.step == "wait_date":
        return waiting.menu(state, now, zone)
    if state.step == "feedback":
        return feedback.answered(state, Option.SKIP)
    if state.step == "feedback_note":
        return feedback.note(state, None)
    return None


def typed(state: State, text: str, now: datetime, zone: ZoneInfo) -> Step:
    """Words typed where a journey asked for them (a step in TYPED_STEPS)."""
    if state.step == "wait_date":
        return waiting.date_typed(state, text, now, zone)
    if state.step == "feedback_note":
        return feedback.note(state, text)
    return plan.answered(state, text)
