"""Forget me: a clear question, a clear answer, and the risk check still first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import Context, Counted, Forget, Option, State, handle

from .conftest import START, command, converse, pressed, said
from .playing import play


def _forget_effects(sent: object, state: State) -> tuple[object, ...]:
    inbound = said(sent, START) if isinstance(sent, str) else sent
    return handle(state, inbound, Context(now=START)).effects  # type: ignore[arg-type]


@pytest.mark.parametrize("confirm", ["yes", "1", "one", pressed("forget_yes")])
def test_forgetting_asks_then_deletes_on_a_clear_yes(confirm: object) -> None:
    state = converse([("hi", ["greeting"]), ("forget me", ["forget_ask"])])
    assert state.step == "forget" and state.offered == (Option.FORGET_YES, Option.FORGET_NO)
    outcome = handle(
        state,
        said(confirm, START) if isinstance(confirm, str) else confirm,  # type: ignore[arg-type]
        Context(now=START),
    )
    assert [r.key for r in outcome.replies] == ["forgotten"]
    assert Counted("forgotten") in outcome.effects and Forget() in outcome.effects
    assert outcome.state.step == "new"  # nothing of the old conversation carries over


@pytest.mark.parametrize("keep", ["no", "2", pressed("forget_no")])
def test_keeping_deletes_nothing(keep: object) -> None:
    state = converse([("hi", ["greeting"]), (command("forget"), ["forget_ask"])])
    outcome = handle(
        state,
        said(keep, START) if isinstance(keep, str) else keep,  # type: ignore[arg-type]
        Context(now=START),
    )
    assert [r.key for r in outcome.replies] == ["forget_kept"]
    assert not any(isinstance(e, Forget) for e in outcome.effects)


def test_urgent_language_on_the_confirmation_step_is_answered_and_nothing_is_deleted() -> None:
    state = converse([("hi", ["greeting"]), ("delete my data", ["forget_ask"])])
    outcome = handle(state, said("yes I want to kill myself"), Context(now=START))
    assert [r.key for r in outcome.replies] == ["urgent", "are_you_safe"]
    assert not any(isinstance(e, Forget) for e in outcome.effects)


def test_an_old_yes_button_asks_again_rather_than_deleting() -> None:
    state = converse([("hi", ["greeting"]), ("menu", ["menu"])])
    assert not any(isinstance(e, Forget) for e in _forget_effects(pressed("forget_yes"), state))
    converse([(pressed("forget_yes"), ["forget_ask"])], state)


def test_something_else_on_the_confirmation_step_is_read_as_usual() -> None:
    state = converse([("hi", ["greeting"]), ("forget me", ["forget_ask"])])
    converse([("menu", ["menu"]), ("yes", ["reask"])], state)


def test_a_flood_or_a_block_never_stops_forgetting() -> None:
    state = converse([("hi", ["greeting"]), ("forget me", ["forget_ask"])])
    outcome = handle(state, said("yes", START + timedelta(seconds=1)), Context(START, block_id=3))
    assert [r.key for r in outcome.replies] == ["forgotten"]


def test_worrying_words_at_the_confirmation_get_the_direct_question_then_it_again() -> None:
    # "My husband checks my phone" raises a concern: the direct question first (so a "no"
    # answers it), then "delete everything?" again, so the person keeps their place.
    state, outcomes = play(["hi", "forget me", "my husband checks my phone", "no"])
    assert [[r.key for r in o.replies] for o in outcomes][2:] == [
        ["concern"],
        ["thoughts_no", "forget_ask"],
    ]
    assert state.step == "forget" and state.offered == (Option.FORGET_YES, Option.FORGET_NO)
    assert not any(isinstance(e, Forget) for o in outcomes for e in o.effects)
    state, outcomes = play(["yes"], state=state)
    assert any(isinstance(e, Forget) for e in outcomes[-1].effects)
