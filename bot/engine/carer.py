"""The carers' journey: is the person safe right now, then support for the carer, how to
help the person, and a carer peer supporter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.directory import Audience

from . import safety
from .journey import CARER_OPTIONS, Step
from .replies import Counted, Effect, Option, Reply
from .state import State

SAFE_OPTIONS = (Option.THEY_SAFE, Option.THEY_NOT_SAFE, Option.URGENT)
HELP_OPTIONS = (Option.THEIR_PLACES, Option.CARER_SUPPORT, Option.TALK, Option.MENU)


def as_carer(state: State) -> State:
    # The peer queue routes on audience "carer" to supporters tagged as carer peers.
    return replace(state, carer=True, audience=str(Audience.CARER))


def start(state: State) -> Step:
    """First, before anything else for a carer: is the person safe right now?"""
    state = replace(as_carer(state), step="carer_safe")
    return state, (Reply("carer_start", {}, SAFE_OPTIONS),), ()


def not_safe(state: State) -> Step:
    """What to do now: 999, NHS 111's mental health option, the local crisis line; and
    the conversation is urgent from now on (the peer queue takes them first)."""
    state, raised = safety.raised(as_carer(state), Option.THEY_NOT_SAFE)
    state = replace(state, step="carer_menu")
    return state, (Reply("carer_urgent", {}, CARER_OPTIONS, urgent=True),), (raised,)


def safe(state: State) -> Step:
    """They are safe for now: what would help the carer. After an overdose or an injury
    they told of, A&E now all the same, even if the person seems fine."""
    state = replace(as_carer(state), step="carer_menu")
    if safety.act_done(state):
        return state, (Reply("carer_safe_after_act", {}, CARER_OPTIONS, urgent=True),), ()
    return state, (Reply("carer_menu", {"safe": True}, CARER_OPTIONS),), ()


def menu(state: State) -> Step:
    state = replace(as_carer(state), step="carer_menu")
    return state, (Reply("carer_menu", {}, CARER_OPTIONS),), ()


def help_them(state: State) -> Step:
    """How to help the person: what to say, and where they can go."""
    state = replace(as_carer(state), step="carer_help")
    return state, (Reply("carer_help", {}, HELP_OPTIONS),), ()


def audience_for(state: State, effects: Iterable[Effect]) -> tuple[Effect, ...]:
    """Every count from a carer's conversation is a carer's, so reports can show them."""
    if not state.carer:
        return tuple(effects)
    return tuple(
        replace(e, audience="carer") if isinstance(e, Counted) and not e.audience else e
        for e in effects
    )


def became(before: State, after: State) -> tuple[Effect, ...]:
    """A conversation that turned out to be a carer's ("hi", then "I'm supporting my
    son"): its contact was counted as a person's, so the reports move it (the store
    drops this when the contact is counted in the same turn, already as a carer's)."""
    if after.carer and not before.carer:
        return (Counted("became_carer", audience="carer"),)
    return ()
