"""Feedback: optional, skippable, five statements, an optional sentence, thanks."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import Counted, FeedbackGiven, FeedbackNoted, Option, RiskAssessed, State, feedback

from .conftest import converse, pressed
from .playing import effects_of, keys_of, play


def test_after_a_bot_only_chat_two_statements_about_the_service_not_the_peer_five() -> None:
    state, outcomes = play(
        [
            "hi",
            pressed("feedback"),
            pressed("fb_yes"),
            "3",  # no, by number on SMS
            "It was quick",
        ]
    )
    assert keys_of(outcomes)[1:] == [["feedback_ask"]] * 2 + [
        ["feedback_note"],
        ["feedback_thanks"],
    ]
    asked = [o.replies[0].values["statement"] for o in outcomes[1:3]]
    assert asked == ["helped", "easy"]
    text = "".join(str(o.replies[0].values) for o in outcomes[1:3])
    assert "warm" not in text
    answers = {"helped": 1.0, "easy": 0.0}
    assert effects_of(outcomes, FeedbackGiven) == [FeedbackGiven("signpost", answers)]
    counted = [(c.kind, c.detail, c.value) for c in effects_of(outcomes, Counted)]
    assert counted == [("feedback", s, v) for s, v in answers.items()]
    assert effects_of(outcomes, FeedbackNoted) == [FeedbackNoted("It was quick")]
    assert state.step == "menu" and state.answers is None


def test_five_statements_after_a_peer_chat_then_a_sentence_then_thanks() -> None:
    state, replies = feedback.start(State(step="menu"), "peer")
    state = replace(state, offered=replies[0].options)
    state, outcomes = play(
        [pressed("fb_partly"), pressed("skip"), pressed("fb_no"), "1", "1", "They listened"],
        state=state,
    )
    assert keys_of(outcomes)[:-1] == [["feedback_ask"]] * 4 + [["feedback_note"]]
    asked = [replies[0].values["statement"]] + [
        o.replies[0].values["statement"] for o in outcomes[:4]
    ]
    assert asked == ["listened", "warm", "equal", "validated", "time"]
    answers = {"listened": 0.5, "equal": 0.0, "validated": 1.0, "time": 1.0}
    (given,) = effects_of(outcomes, FeedbackGiven)
    assert given == FeedbackGiven("peer", answers)
    assert effects_of(outcomes, FeedbackNoted) == [FeedbackNoted("They listened")]


def test_it_can_be_left_at_any_point() -> None:
    _, outcomes = play(["hi", "feedback", "menu"])
    assert keys_of(outcomes)[-1] == ["menu"]
    assert not effects_of(outcomes, Counted) and not effects_of(outcomes, FeedbackGiven)
    converse(
        [
            ("hi", ["greeting"]),
            ("feedback", ["feedback_ask"]),
            ("skip", ["feedback_ask"]),
            ("skip", ["feedback_note"]),
            ("skip", ["feedback_thanks"]),
        ]
    )


def test_the_peer_journey_starts_it_about_the_peer_conversation() -> None:
    state, replies = feedback.start(State(step="menu"), "peer")
    assert [r.key for r in replies] == ["feedback_ask"]
    assert replies[0].values == {
        "about": "peer",
        "number": 1,
        "total": 5,
        "statement": "listened",
    }
    # The peer journey's turn records what was offered, as every turn does.
    state = replace(state, offered=replies[0].options)
    state, outcomes = play(["yes", "partly", "no", "1", "1", "skip"], state=state)
    (given,) = effects_of(outcomes, FeedbackGiven)
    values = dict(zip(feedback.STATEMENTS, [1, 0.5, 0, 1, 1], strict=True))
    assert given == FeedbackGiven("peer", values)


def test_the_sentence_is_read_for_risk_and_still_kept() -> None:
    state, _ = play(["hi", "feedback", *["skip"] * 2])
    assert state.step == "feedback_note"
    state, outcomes = play(["I want to kill myself"], state=state)
    # The urgent numbers first; then the feedback is finished as any other would be.
    assert keys_of(outcomes) == [["urgent", "feedback_thanks"]]
    assert effects_of(outcomes, RiskAssessed)
    assert effects_of(outcomes, FeedbackNoted) == [FeedbackNoted("I want to kill myself")]
    assert Option.URGENT in outcomes[0].replies[-1].options


def test_a_carers_feedback_is_counted_as_a_carers() -> None:
    _, outcomes = play(["hi", "carer", "yes", "feedback", "1", "1", "1", "1", "1"])
    assert {c.audience for c in effects_of(outcomes, Counted)} == {"carer"}
