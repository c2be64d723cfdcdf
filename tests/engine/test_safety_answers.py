"""The engine's own safety answers (bot/engine/safety.py), played as conversations.

What the person sends, and what the bot answers, with the words where the words are
the behaviour: a "not safe" raises the conversation to urgent; risk inside an answer
gets the urgent reply first and the journey goes on; "yes, I'm safe" after an act
already done still says A&E now; a carer is asked about the person they care for.
These are controls in docs/clinical-safety/hazard-log.md (H15 to H19).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import load_settings
from bot.engine import (
    Context,
    FeedbackNoted,
    Inbound,
    Kind,
    Option,
    Outcome,
    PlanChanged,
    RiskAssessed,
    SetTopic,
    State,
    UrgentUnreachable,
    handle,
)
from bot.engine.talk import PeerView
from bot.risk import Level
from bot.service import wording_for
from bot.wording import Wording

from .conftest import START, pressed
from .playing import effects_of, keys_of, play

OVERDOSE = "I've taken 20 paracetamol"
THEIR_OVERDOSE = "my son has taken an overdose"
WAITING = PeerView("waiting", position=2)


@pytest.fixture(scope="module")
def wording() -> Wording:
    return wording_for(load_settings({}))


def words(wording: Wording, outcome: Outcome) -> list[str]:
    """What the person reads, reply by reply."""
    return [wording.render(reply).text for reply in outcome.replies]


def answers(outcomes: list[Outcome]) -> list[RiskAssessed]:
    return [e for e in effects_of(outcomes, RiskAssessed) if e.source == "answer"]


# -- a "not safe" raises the conversation -------------------------------------------


def test_no_im_not_safe_after_urgent_help_raises_the_conversation_to_urgent() -> None:
    state, outcomes = play(["hi", pressed("urgent"), pressed("safe_no")])
    assert keys_of(outcomes) == [["greeting"], ["urgent", "are_you_safe"], ["safe_no"]]
    assert state.flag is Level.URGENT
    (raised,) = answers(outcomes)
    assert raised.level == "urgent" and raised.rules == ("answer:safe_no",) and raised.alerted


def test_a_typed_no_to_are_you_safe_raises_it_too() -> None:
    state, outcomes = play(["hi", pressed("urgent"), "no"])
    assert keys_of(outcomes)[-1] == ["safe_no"]
    assert state.flag is Level.URGENT and answers(outcomes)


def test_a_carer_saying_the_person_is_not_safe_raises_the_conversation() -> None:
    for answer in (pressed("they_not_safe"), "no"):
        state, outcomes = play(["hi", pressed("carer"), answer])
        assert keys_of(outcomes)[-1] == ["carer_urgent"]
        assert state.flag is Level.URGENT
        (raised,) = answers(outcomes)
        assert raised.rules == ("answer:they_not_safe",)


def test_joining_the_queue_after_a_not_safe_joins_at_urgent() -> None:
    state, _ = play(["hi", pressed("carer"), pressed("they_not_safe")])
    from bot.peer.queue import Shift

    shift = Shift(on_shift=1, likely_wait=None, next_shift=None, today=START.date())
    joined = handle(state, pressed("join"), Context(now=START, shift=shift))
    (join,) = [e for e in joined.effects if type(e).__name__ == "JoinQueue"]
    assert join.priority == Level.URGENT  # type: ignore[union-attr]
    assert join.audience == "carer"  # type: ignore[union-attr]


def test_a_yes_to_thoughts_of_ending_their_life_is_recorded_as_an_answer() -> None:
    _, outcomes = play(["hi", "I feel hopeless", pressed("thoughts_yes")])
    assert keys_of(outcomes)[-1] == ["urgent", "are_you_safe"]
    assert answers(outcomes)[0].rules == ("answer:thoughts_yes",)


# -- risk inside an answer: the urgent reply first, and the journey carries on ----------


def test_a_plan_answer_with_risk_words_is_kept_and_the_plan_goes_on() -> None:
    state, outcomes = play(
        ["hi", "my plan", "when I start thinking I want to kill myself", "a walk", "skip", "GP"]
    )
    assert keys_of(outcomes)[2:] == [
        ["urgent", "plan_ask"],  # the numbers first, then the next question
        ["plan_ask"],
        ["plan_ask"],
        ["plan_show"],
    ]
    assert outcomes[2].replies[0].urgent and outcomes[2].replies[-1].values["section"] == "helps"
    assert Option.URGENT in outcomes[2].replies[-1].options  # urgent help one step away
    assert state.plan == {
        "signs": "when I start thinking I want to kill myself",
        "helps": "a walk",
        "contacts": "GP",
    }
    assert effects_of(outcomes, PlanChanged) == [PlanChanged(state.plan)]
    assert state.flag is Level.URGENT


def test_a_topic_with_risk_words_is_saved_after_the_urgent_reply() -> None:
    state = State(step="topic", offered=(Option.SKIP, Option.LEAVE_QUEUE))
    topic = "I have taken all my pills and want to talk"
    outcome = handle(state, Inbound(Kind.TEXT, START, text=topic), Context(START, peer=WAITING))
    assert [r.key for r in outcome.replies] == ["urgent", "topic_saved"]
    assert SetTopic(topic) in outcome.effects
    assert outcome.state.flag is Level.URGENT and outcome.state.step == "queue"


def test_a_feedback_sentence_with_risk_words_is_kept() -> None:
    _, outcomes = play(["hi", "feedback", *["skip"] * 2, "it didn't help, I want to die"])
    assert keys_of(outcomes)[-1] == ["urgent", "feedback_thanks"]
    assert effects_of(outcomes, FeedbackNoted) == [FeedbackNoted("it didn't help, I want to die")]


def test_a_concern_inside_a_plan_answer_asks_and_keeps_the_answer() -> None:
    state, outcomes = play(["hi", "my plan", "I feel hopeless"])
    assert keys_of(outcomes)[-1] == ["concern", "plan_ask"]
    assert state.plan_draft == {"signs": "I feel hopeless"}


def test_risk_words_that_answer_no_question_are_still_the_whole_answer() -> None:
    state, outcomes = play(["hi", "I want to kill myself"])
    assert keys_of(outcomes)[-1] == ["urgent", "are_you_safe"]
    assert state.step == "urgent"


def test_a_worded_reply_to_a_check_in_with_risk_words_is_answered_and_counted() -> None:
    state = State(step="checkin_sent", offered=(Option.WAIT, Option.TALK))
    outcome = handle(
        state, Inbound(Kind.TEXT, START, text="still no call and I want to die"), Context(START)
    )
    assert [r.key for r in outcome.replies] == ["urgent", "are_you_safe"]
    assert any(getattr(e, "kind", "") == "checkin_answered" for e in outcome.effects)


# -- after an act already done: A&E now, never "I'm glad" --------------------------------


def test_yes_im_safe_after_an_overdose_still_says_go_to_a_and_e(wording: Wording) -> None:
    _, outcomes = play(["hi", OVERDOSE, pressed("safe_yes")])
    assert keys_of(outcomes)[-1] == ["safe_yes_after_act"]
    (text,) = words(wording, outcomes[-1])
    assert "A&E now" in text and "999" in text and "even if you feel fine" in text
    assert "glad" not in text.lower()
    assert outcomes[-1].replies[0].urgent


def test_a_typed_yes_after_an_overdose_says_the_same() -> None:
    _, outcomes = play(["hi", OVERDOSE, "yes"])
    assert keys_of(outcomes)[-1] == ["safe_yes_after_act"]


def test_yes_im_safe_without_an_act_is_glad(wording: Wording) -> None:
    _, outcomes = play(["hi", pressed("urgent"), pressed("safe_yes")])
    assert keys_of(outcomes)[-1] == ["safe_yes"]
    assert "glad" in words(wording, outcomes[-1])[0]


def test_a_carer_saying_they_are_safe_after_an_overdose_hears_a_and_e_now(
    wording: Wording,
) -> None:
    for answer in (pressed("they_safe"), "yes"):
        _, outcomes = play(["hi", pressed("carer"), THEIR_OVERDOSE, answer])
        assert keys_of(outcomes)[2:] == [
            ["urgent", "urgent_more", "carer_safe_ask"],
            ["carer_safe_after_act"],
        ]
        (text,) = words(wording, outcomes[-1])
        assert "A&E now" in text and "Even if they seem fine" in text
    assert "glad" not in text.lower()


# -- carers: the safety question is about the person they care for -------------------------


def test_a_carers_urgent_words_about_them_ask_whether_they_are_safe(wording: Wording) -> None:
    state, outcomes = play(
        ["hi", pressed("carer"), "my son says he is going to kill himself tonight"]
    )
    urgent = outcomes[-1]
    assert keys_of(outcomes)[-1] == ["urgent", "urgent_more", "carer_safe_ask"]
    first, _, question = words(wording, urgent)
    assert first.startswith("If their life is at risk") and "999" in first and "116 123" in first
    assert question == "Is the person you care for safe right now?"
    assert urgent.replies[-1].options[:2] == (Option.THEY_SAFE, Option.THEY_NOT_SAFE)
    # A plain "yes" is about the person, and never "I'm glad".
    _, after = play(["yes"], state=state)
    assert keys_of(after) == [["carer_menu"]]
    (text,) = words(wording, after[0])
    assert "If that changes" in text and "999" in text and "glad" not in text.lower()
    # A "no" is what to do now, about them.
    _, after = play(["no"], state=state)
    assert keys_of(after) == [["carer_urgent"]]
    assert "If they are in danger now" in words(wording, after[0])[0]


def test_a_carer_pressing_urgent_help_is_asked_about_the_person(wording: Wording) -> None:
    state, outcomes = play(["hi", pressed("carer"), pressed("urgent")])
    assert keys_of(outcomes)[-1] == ["urgent", "carer_safe_ask"]
    assert words(wording, outcomes[-1])[0].startswith("If their life is at risk")
    assert state.step == "carer_safe"


def test_they_are_safe_at_the_first_question_is_thanks_and_the_carer_menu(
    wording: Wording,
) -> None:
    _, outcomes = play(["hi", pressed("carer"), pressed("they_safe")])
    (text,) = words(wording, outcomes[-1])
    assert text.startswith("Thank you. If that changes") and "glad" not in text.lower()
    assert words(wording, outcomes[1]) == [
        "Thank you for looking out for them. First: is the person safe right now?"
    ]


def test_a_carer_in_crisis_themself_is_asked_about_themself(wording: Wording) -> None:
    _, outcomes = play(["hi", pressed("carer"), "I can't do this anymore, I want to kill myself"])
    assert keys_of(outcomes)[-1] == ["urgent", "are_you_safe"]
    assert words(wording, outcomes[-1])[0].startswith("If your life is at risk")


def test_a_carers_worry_is_asked_about_the_person_they_care_for(wording: Wording) -> None:
    state, outcomes = play(["hi", pressed("carer"), "my daughter keeps saying she feels hopeless"])
    assert keys_of(outcomes)[-1] == ["concern"]
    assert "is the person you care for having thoughts" in words(wording, outcomes[-1])[0]
    _, after = play([pressed("thoughts_yes")], state=state)
    assert keys_of(after)[-1][-1] == "carer_safe_ask"


# -- which message raised it, and someone who cannot be sent replies ----------------------


def test_every_risk_record_names_the_message_that_raised_it() -> None:
    state = State(step="menu")
    typed = handle(state, Inbound(Kind.TEXT, START, text=OVERDOSE, id=41), Context(START))
    (record,) = [e for e in typed.effects if isinstance(e, RiskAssessed)]
    assert (record.message_id, record.source) == (41, "message")
    at = START + timedelta(minutes=1)
    answer = handle(typed.state, Inbound(Kind.OPTION, at, option="safe_no", id=42), Context(at))
    (record,) = [e for e in answer.effects if isinstance(e, RiskAssessed)]
    assert (record.message_id, record.source) == (42, "answer")
    assert OVERDOSE not in repr(typed.effects)


def test_urgent_words_from_someone_who_cannot_be_sent_replies_alert_staff() -> None:
    state = State(step="menu")
    unreachable = Context(START, reachable=False)
    urgent = handle(state, Inbound(Kind.TEXT, START, text=OVERDOSE), unreachable)
    assert UrgentUnreachable() in urgent.effects
    ordinary = handle(state, Inbound(Kind.TEXT, START, text="menu"), unreachable)
    assert not [e for e in ordinary.effects if isinstance(e, UrgentUnreachable)]
    reachable = handle(state, Inbound(Kind.TEXT, START, text=OVERDOSE), Context(START))
    assert not [e for e in reachable.effects if isinstance(e, UrgentUnreachable)]



def _at(question: str, text: str) -> list[str]:
    from .test_answers import BENCH

    outcome = BENCH.send(question, Inbound(Kind.TEXT, BENCH.NOW, text=text))
    return [reply.key for reply in outcome.replies]


@pytest.fixture
def read_as_concern(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every message read as a concern by a rule (not the learned layer alone), whatever
    the risk data of the day says."""
    from bot.engine import dialogue
    from bot.risk import Assessment

    concern = Assessment(Level.CONCERN, ("hopeless",), ("hopeless",), "test", "en")
    monkeypatch.setattr(dialogue, "assess", lambda messages: concern)


@pytest.mark.usefixtures("read_as_concern")
def test_an_answer_to_the_direct_question_is_taken_not_met_with_it_again() -> None:
    # Worry words inside a clear answer to the very question concern asks: asking it
    # again would ignore what they said ("nah im not gonna do anything daft, just knackered").
    assert _at("concern", "no I'm not, I promise, just tired and tearful")[-1] != "concern"
    assert _at("concern", "nah, nothing like that, just knackered")[-1] != "concern"
    assert _at("concern", "yes, all the time")[0] == "urgent"
    # Unclear, it is asked again, never with the generic fallback.
    assert "fallback" not in _at("concern", "zxq vrrp")


@pytest.mark.usefixtures("read_as_concern")
def test_the_message_for_the_next_shift_is_kept_after_the_direct_question() -> None:
    from .test_answers import BENCH

    text = "nothing urgent, just lonely tonight"
    outcome = BENCH.send("message_ask", Inbound(Kind.TEXT, BENCH.NOW, text=text))
    assert [r.key for r in outcome.replies] == ["concern", "message_left"]
    assert outcome.state.topic == text


def test_urgent_words_for_the_next_shift_get_are_you_safe() -> None:
    # Nobody reads the message soon: the urgent reply and "are you safe?", as anywhere.
    assert _at("message_ask", "i want to kill myself") == ["urgent", "are_you_safe"]
