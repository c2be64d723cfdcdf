"""Risk is read first on every message in every state; urgent help goes out first.

These are the engine's controls in docs/clinical-safety/hazard-log.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.engine import MENU_OPTIONS, Context, Option, RiskAssessed, State, handle
from bot.risk import Level

from .conftest import START, after_greeting, converse, pressed, said

URGENT = "I want to kill myself tonight"
STATES = {
    "first contact": State(),
    "menu": State(step="menu", offered=MENU_OPTIONS),
    "after urgent help": State(step="urgent", offered=(Option.SAFE_YES, Option.SAFE_NO)),
    "after a concern": State(step="concern", offered=(Option.THOUGHTS_YES,)),
    "unknown step from a later version": State(step="queue", offered=MENU_OPTIONS),
}


@pytest.mark.parametrize("name", STATES)
def test_urgent_language_gets_the_urgent_reply_first_in_every_state(name: str) -> None:
    outcome = handle(STATES[name], said(URGENT), Context(now=START))
    first, *rest = outcome.replies
    assert first.key == "urgent" and first.urgent
    assert rest[-1].key == "are_you_safe" and rest[-1].urgent
    assert Option.TALK in rest[-1].options
    assert outcome.state.flag is Level.URGENT
    (effect,) = outcome.effects
    assert isinstance(effect, RiskAssessed)
    assert effect.level == "urgent" and effect.alerted and effect.rules
    assert effect.ruleset_version


def test_risk_is_audited_by_rule_never_by_text() -> None:
    outcome = handle(after_greeting(), said(URGENT), Context(now=START))
    assert URGENT not in repr(outcome.effects)


@pytest.mark.parametrize("retraction", ["lol jk", "I'm fine", "just kidding", "haha"])
def test_a_joke_or_retraction_never_clears_the_flag(retraction: str) -> None:
    state = converse([("hi", ["greeting"]), (URGENT, ["urgent", "are_you_safe"])])
    after = handle(state, said(retraction, START + timedelta(minutes=5)), Context(now=START))
    assert after.state.flag is Level.URGENT
    assert after.replies[0].key != "urgent"  # noted, not shouted a second time
    assert Option.URGENT in after.replies[-1].options  # urgent help stays one step away
    later = handle(after.state, said("menu", START + timedelta(hours=5)), Context(now=START))
    assert later.state.flag is Level.URGENT


def test_a_message_split_across_two_texts_is_read_together() -> None:
    state = after_greeting()
    first = handle(state, said("I have taken", START), Context(now=START))
    assert first.state.flag is Level.NONE
    second = handle(
        first.state, said("all my pills", START + timedelta(seconds=20)), Context(now=START)
    )
    assert second.replies[0].key == "urgent"


def test_a_sentence_finished_in_a_second_text_keeps_the_first_answer_and_flag() -> None:
    # "just killed myself" is answered alone, at once; "in minecraft" finishes the sentence,
    # so the window reads it as one everyday message (hazard log H31), but the urgent reply
    # already sent and the flag it raised stand.
    first = handle(after_greeting(), said("just killed myself", START), Context(now=START))
    assert first.replies[0].key == "urgent"
    second = handle(
        first.state,
        said("in minecraft, fell in lava", START + timedelta(seconds=20)),
        Context(now=START),
    )
    assert second.replies[0].key != "urgent"
    assert second.state.flag is Level.URGENT
    assert Option.URGENT in second.replies[-1].options


def test_the_window_forgets_old_messages() -> None:
    state = after_greeting()
    first = handle(state, said("I have taken", START), Context(now=START))
    later = handle(
        first.state, said("all my pills", START + timedelta(hours=2)), Context(now=START)
    )
    assert len(later.state.recent) == 1


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        ("my partner hits me and I want to die", "abuse"),
        ("I'm 13 and I want to kill myself", "child_at_risk"),
        ("my son has taken an overdose", "third_party"),
    ],
)
def test_the_category_adds_the_help_that_fits(text: str, extra: str) -> None:
    outcome = handle(after_greeting(), said(text), Context(now=START))
    keys = [r.key for r in outcome.replies]
    # About someone else, the question is whether that person is safe.
    asked = "carer_safe_ask" if extra == "third_party" else "are_you_safe"
    assert keys == ["urgent", "urgent_more", asked]
    categories = outcome.replies[1].values["categories"]
    assert extra in categories or (extra == "child_at_risk" and "minor" in categories)


def test_concern_asks_directly_and_a_yes_is_urgent() -> None:
    state = after_greeting()
    outcome = handle(
        state, said("I feel so hopeless, there's no point anymore"), Context(now=START)
    )
    assert outcome.replies[0].key == "concern"
    assert outcome.state.flag >= Level.CONCERN
    yes = handle(outcome.state, said("yes"), Context(now=START))
    assert next(r.key for r in yes.replies) == "urgent"
    assert yes.state.flag is Level.URGENT
    no = handle(outcome.state, pressed("thoughts_no"), Context(now=START))
    assert no.replies[0].key == "thoughts_no"
    assert no.state.flag is Level.CONCERN  # a "no" does not lower what was seen


def test_not_safe_is_urgent_and_keeps_the_numbers() -> None:
    state = converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"])])
    outcome = handle(state, pressed("safe_no"), Context(now=START))
    assert outcome.replies[0].key == "safe_no" and outcome.replies[0].urgent


def test_ordinary_messages_raise_nothing() -> None:
    state = after_greeting()
    for text in ("menu", "this traffic is killing me", "what's open near BD18"):
        outcome = handle(state, said(text), Context(now=START))
        assert outcome.state.flag is Level.NONE, text
        assert not outcome.effects


def test_the_flag_is_only_cleared_by_someone_else() -> None:
    state = converse([("hi", ["greeting"]), (URGENT, ["urgent", "are_you_safe"])])
    for sent in ("yes", "menu", "I'm ok now honestly", "stop"):
        state = handle(state, said(sent, START + timedelta(days=1)), Context(now=START)).state
    assert state.flag is Level.URGENT
    assert replace(state, flag=Level.NONE).flag is Level.NONE  # a human's action, later


def test_a_yes_to_the_direct_question_on_first_contact_is_urgent() -> None:
    first = handle(
        State(), said("I feel so hopeless, there's no point anymore"), Context(now=START)
    )
    assert [r.key for r in first.replies] == ["greeting", "concern"]
    yes = handle(first.state, said("yes"), Context(now=START))
    assert yes.replies[0].key == "urgent"


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (
            State(step="concern", offered=(Option.THOUGHTS_YES, Option.THOUGHTS_NO)),
            "ive just taken something",
        ),
        (
            State(step="carer_menu", offered=(Option.CARER_SUPPORT, Option.CARER_HELP), carer=True),
            "i think hes already taken something",
        ),
        (State(step="menu", offered=MENU_OPTIONS), "i need an ambulance"),
    ],
)
def test_an_act_done_in_plain_words_gets_the_urgent_reply_first(state: State, text: str) -> None:
    # "If they tell you they have taken something... call 999" (the carer wording).
    outcome = handle(state, said(text), Context(now=START))
    assert outcome.replies[0].key == "urgent", [r.key for r in outcome.replies]


def test_something_taken_for_a_headache_is_no_emergency() -> None:
    outcome = handle(
        after_greeting(), said("ive taken something for my headache"), Context(now=START)
    )
    assert "urgent" not in [r.key for r in outcome.replies]
    assert outcome.state.flag is Level.NONE
