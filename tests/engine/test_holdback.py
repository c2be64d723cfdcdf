"""Flood control and blocks as pure rules: ordinary replies held back, urgent ones never."""

from __future__ import annotations

from datetime import timedelta

from bot.engine import Context, Option, State, handle
from bot.engine.flood import LIMIT, WINDOW, arrive

from .conftest import START, pressed, said


def test_the_window_counts_arrivals_in_the_last_minute() -> None:
    arrivals: tuple[str, ...] = ()
    for second in range(LIMIT):
        arrivals, flooded = arrive(arrivals, START + timedelta(seconds=second))
        assert not flooded
    arrivals, flooded = arrive(arrivals, START + timedelta(seconds=LIMIT))
    assert flooded and len(arrivals) == LIMIT + 1
    # A minute later the old ones have aged out.
    _, flooded = arrive(arrivals, START + WINDOW + timedelta(seconds=LIMIT))
    assert not flooded


def _flood(state: State, count: int, start_second: int = 0) -> list[list[str]]:
    answers = []
    for n in range(count):
        at = START + timedelta(seconds=start_second + n)
        outcome = handle(state, said("menu", at), Context(now=at))
        answers.append([r.key for r in outcome.replies])
        state = outcome.state
    return answers


def test_a_flood_gets_one_kind_notice_and_then_quiet() -> None:
    answers = _flood(State(step="menu"), LIMIT + 5)
    assert answers[:LIMIT] == [["menu"]] * LIMIT
    assert answers[LIMIT] == ["slow_down"]
    assert answers[LIMIT + 1 :] == [[]] * 4


def test_urgent_replies_always_go_in_a_flood() -> None:
    state = State(step="menu")
    for n in range(LIMIT + 3):
        at = START + timedelta(seconds=n)
        state = handle(state, said("menu", at), Context(now=at)).state
    at = START + timedelta(seconds=LIMIT + 3)
    risky = handle(state, said("I want to end my life", at), Context(now=at))
    assert [r.key for r in risky.replies] == ["urgent", "are_you_safe"]
    asked = handle(risky.state, pressed("urgent", at), Context(now=at))
    assert [r.key for r in asked.replies] == ["urgent", "are_you_safe"]


def test_the_notice_comes_again_for_a_new_flood() -> None:
    answers = _flood(State(step="menu"), LIMIT + 2)
    assert answers[-2:] == [["slow_down"], []]
    state = State(step="menu")
    for n in range(LIMIT + 2):
        at = START + timedelta(seconds=n)
        state = handle(state, said("menu", at), Context(now=at)).state
    later = START + timedelta(minutes=5)
    calm = handle(state, said("menu", later), Context(now=later))
    assert [r.key for r in calm.replies] == ["menu"] and not calm.state.slowed


def test_a_block_replaces_ordinary_replies_with_one_notice_per_block() -> None:
    state = State(step="menu")
    keys = []
    for n, block in enumerate([7, 7, 7, 8, None]):
        at = START + timedelta(minutes=n)
        outcome = handle(state, said("menu", at), Context(now=at, block_id=block))
        keys.append([r.key for r in outcome.replies])
        state = outcome.state
    assert keys == [["blocked"], [], [], ["blocked"], ["menu"]]


def test_a_blocked_person_in_danger_still_gets_the_urgent_reply() -> None:
    state = State(step="menu", noticed_block=7)
    outcome = handle(state, said("I'm going to kill myself tonight"), Context(START, block_id=7))
    assert [r.key for r in outcome.replies] == ["urgent", "are_you_safe"]
    assert outcome.replies[-1].options[-1] is Option.URGENT or outcome.replies[-1].options
    concern = handle(State(step="menu"), said("I feel hopeless"), Context(START, block_id=7))
    assert "blocked" not in [r.key for r in concern.replies]


def test_button_presses_are_not_a_flood() -> None:
    # 21 presses in 35 seconds (the count) are all answered.
    state = State(step="menu")
    for n in range(LIMIT + 1):
        at = START + timedelta(seconds=n * 35 / (LIMIT + 1))
        outcome = handle(state, pressed("menu", at), Context(now=at))
        assert [r.key for r in outcome.replies] == ["menu"], n
        state = outcome.state
    assert state.arrivals == ()


def test_a_held_reply_is_released_when_the_window_has_passed() -> None:
    from bot.engine import CheckinAsked
    from bot.engine.checkins import release
    from bot.engine.holdback import RELEASE

    state = State(step="menu")
    for n in range(LIMIT + 2):
        at = START + timedelta(seconds=n)
        outcome = handle(state, said("menu", at), Context(now=at))
        state = outcome.state
    # The last typed message was held back and a release booked a window later.
    (booked,) = [e for e in outcome.effects if isinstance(e, CheckinAsked)]
    assert booked.kind == RELEASE and booked.due == at + WINDOW
    assert [r.key for r in state.held] == ["menu"]
    # The state survives being stored.
    state = State.from_json(state.to_json())
    assert [r.key for r in state.held] == ["menu"] and state.held[0].options
    released, replies, _ = release(state)
    assert [r.key for r in replies] == ["menu"]
    assert released.held == () and released.offered == replies[0].options
    # Answered in the meantime: nothing left to release.
    assert release(released)[1] == ()


def test_an_answer_after_the_flood_clears_what_was_held() -> None:
    state = State(step="menu")
    for n in range(LIMIT + 2):
        at = START + timedelta(seconds=n)
        state = handle(state, said("menu", at), Context(now=at)).state
    later = START + timedelta(minutes=5)
    calm = handle(state, said("menu", later), Context(now=later))
    assert calm.state.held == ()
