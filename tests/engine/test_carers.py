"""The carers' journey: safety first, then support for the carer, how to help, a peer."""

from __future__ import annotations

import pytest

from bot.directory import Directory, load_directory
from bot.engine import Counted, Option, RiskAssessed

from .conftest import converse, pressed
from .playing import effects_of, keys_of, play


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory()


def test_a_carer_is_asked_first_whether_the_person_is_safe() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            (pressed("carer"), ["carer_start"]),
            ("no", ["carer_urgent"]),
            (pressed("carer_help"), ["carer_help"]),
            (pressed("menu"), ["menu"]),
            ("I'm supporting someone", ["carer_start"]),
            ("yes", ["carer_menu"]),
        ]
    )


def test_not_safe_is_urgent_and_then_offers_the_carer_menu() -> None:
    state, outcomes = play(["hi", pressed("carer"), pressed("they_not_safe")])
    (reply,) = outcomes[-1].replies
    assert reply.key == "carer_urgent" and reply.urgent
    assert reply.options[:3] == (Option.CARER_SUPPORT, Option.CARER_HELP, Option.TALK)
    assert state.carer and state.audience == "carer"


def test_the_carer_is_offered_a_peer_supporter_as_a_carer() -> None:
    state, outcomes = play(["hi", "carer", "yes"])
    assert Option.TALK in outcomes[-1].replies[0].options
    assert state.audience == "carer"  # the queue routes carers to carer peers on this


def test_support_for_me_searches_for_carers_and_counts_carer_signposts(
    directory: Directory,
) -> None:
    state, outcomes = play(
        ["hi", "carer", "yes", pressed("carer_support"), "BD18"], directory=directory
    )
    assert keys_of(outcomes)[-2:] == [["where_ask"], ["places"]]
    assert state.audience == "carer"
    shown = [r["id"] for r in outcomes[-1].replies[0].values["results"]]
    signposts = [e for e in outcomes[-1].effects if isinstance(e, Counted)]
    assert [(c.kind, c.detail, c.audience) for c in signposts] == [
        ("signpost", entry, "carer") for entry in shown
    ]


def test_where_they_can_go_searches_for_the_person_and_still_counts_as_a_carers(
    directory: Directory,
) -> None:
    state, outcomes = play(
        ["hi", "carer", "yes", pressed("carer_help"), pressed("their_places"), "BD18"],
        directory=directory,
    )
    assert state.audience == "me" and state.carer
    assert {c.audience for c in effects_of(outcomes, Counted)} == {"carer"}


def test_somebody_for_themself_is_counted_as_themself(directory: Directory) -> None:
    _, outcomes = play(["hi", "somewhere to go", "BD18"], directory=directory)
    counted = effects_of(outcomes, Counted)
    assert counted and {c.audience for c in counted} == {""}
    assert {c.kind for c in counted} == {"signpost"}


def test_urgent_words_from_a_carer_still_come_first() -> None:
    _, outcomes = play(["hi", "carer", "my son says he is going to kill himself tonight"])
    assert keys_of(outcomes)[-1][0] == "urgent"
    assert effects_of(outcomes, RiskAssessed)


def test_without_a_directory_support_for_me_says_so_honestly() -> None:
    _, outcomes = play(["hi", "carer", "yes", pressed("carer_support")])
    (reply,) = outcomes[-1].replies
    assert (reply.key, reply.values) == ("not_ready", {"feature": "somewhere"})


HARM_DONE_OR_MEANS = [
    "it's changed, he's hurt himself",
    "she's grabbed a knife",
    "things have got worse, she's cut herself",
    "he's got a rope",
    "she's stood on the bridge",
    "he's swallowed something",
]


@pytest.mark.parametrize("words", HARM_DONE_OR_MEANS)
@pytest.mark.parametrize(
    "before", [[pressed("they_safe")], [pressed("they_safe"), pressed("carer_help")]]
)
def test_harm_done_or_means_in_hand_at_a_carer_question_is_they_are_not_safe(
    before: list, words: str
) -> None:
    # At the carers' menu or how to help, the person has already hurt themselves or has the
    # means in hand: what pressing "they are not safe" gives (999 or A&E now, urgent from
    # now on), not the direct question about their thoughts.
    state, outcomes = play(["hi", pressed("carer"), *before, words])
    keys = keys_of(outcomes)[-1]
    assert keys[0] in ("carer_urgent", "urgent"), keys
    assert "concern" not in keys
    assert state.flag.label == "urgent"  # the supporters see the conversation as urgent
    raised = [e for e in outcomes[-1].effects if isinstance(e, RiskAssessed)]
    assert any(e.level == "urgent" and e.alerted for e in raised)


def test_the_words_are_still_read_for_risk_and_recorded_with_the_answer() -> None:
    _, outcomes = play(["hi", pressed("carer"), pressed("they_safe"), "he's hurt himself"])
    records = [e for e in outcomes[-1].effects if isinstance(e, RiskAssessed)]
    # The risk check of the words, then the answer that raised the flag.
    assert [e.source for e in records] == ["message", "answer"]
    assert records[0].level == "concern" and "about-someone-else" in records[0].rules


def test_harm_words_elsewhere_are_the_risk_layers_not_a_carer_answer() -> None:
    # Not at the carers' questions: no carers' journey started by "knife" at the menu.
    _, outcomes = play(["hi", "where can i get a knife sharpened"])
    assert "carer_urgent" not in keys_of(outcomes)[-1]
