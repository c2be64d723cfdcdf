"""A short grounding exercise (5-4-3-2-1), one step at a time, with a way back."""

from __future__ import annotations

from dataclasses import replace

from .journey import WAIT_OPTIONS, Step
from .replies import Option, Reply
from .state import State

STEPS = 6  # an opening with five things seen, then touch, hear, smell, taste, a breath
STEP_OPTIONS = (Option.NEXT, Option.MENU)


def begin(state: State) -> Step:
    return _at(state, 1)


def step_now(state: State) -> int:
    _, _, number = state.step.partition(":")
    return int(number) if number.isdigit() else 0


def next_step(state: State) -> Step:
    return _at(state, step_now(state) + 1)


def _at(state: State, number: int) -> Step:
    if number >= STEPS:
        state = replace(state, step="wait_menu")
        return state, (Reply("grounding", {"step": STEPS}, WAIT_OPTIONS),), ()
    state = replace(state, step=f"grounding:{number}")
    return state, (Reply("grounding", {"step": number}, STEP_OPTIONS),), ()


def done(state: State) -> Step:
    """They have had enough of the exercise: end it kindly, with what else helps."""
    state = replace(state, step="wait_menu")
    return state, (Reply("grounding_done", {}, WAIT_OPTIONS),), ()
