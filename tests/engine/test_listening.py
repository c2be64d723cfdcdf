"""Natural answers, as conversations: what the person types at each question, and what
the bot answers. The question being answered comes first; nobody loses their place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine import (
    CheckinsStopped,
    Context,
    Forget,
    Option,
    PlanChanged,
    RiskAssessed,
    SetTopic,
    State,
    handle,
)
from bot.engine.checkins import message
from bot.engine.talk import PeerView
from bot.peer.queue import Shift

from .conftest import START, after_greeting, converse, pressed, said
from .playing import effects_of, play

TUESDAY = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def test_are_you_safe_in_everyday_words() -> None:
    for answer, meant in [
        ("not really", "safe_no"),
        ("no im scared", "safe_no"),
        ("no. please help", "safe_no"),
        ("idk", "safe_no"),
        ("ye", "safe_yes"),
        ("yh im safe", "safe_yes"),
        ("no not at all, i'm safe", "safe_yes"),
    ]:
        converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"]), (answer, [meant])])


def test_an_unclear_answer_to_are_you_safe_is_asked_again_with_the_numbers() -> None:
    state = converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"])])
    outcome = handle(state, said("purple"), Context(now=START))
    (reply,) = outcome.replies
    assert reply.key == "reask" and reply.urgent and reply.values["question"] == "are_you_safe"
    assert Option.SAFE_NO in reply.options


def test_the_direct_question_answered_in_text_speak() -> None:
    for answer in ("yeah tbh", "all the time", "sometimes", "not sure"):
        state = State(step="concern")
        converse([(answer, ["urgent", "are_you_safe"])], state)
    converse([("nah just stressed", ["thoughts_no"])], State(step="concern"))


def test_a_carer_answers_about_the_person_they_care_for() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            ("im worried about my son", ["carer_start"]),
            ("yes they are safe", ["carer_menu"]),
            ("how do i help him", ["carer_help"]),
        ]
    )
    converse([("hi", ["greeting"]), ("carer", ["carer_start"]), ("not sure", ["carer_urgent"])])
    # Worrying words are read for risk and still answer the question asked.
    converse(
        [
            ("hi", ["greeting"]),
            ("carer", ["carer_start"]),
            ("no hes threatening to hurt himself", ["carer_urgent"]),
        ]
    )


def test_a_stray_word_never_hijacks_the_question() -> None:
    converse([("hi", ["greeting"]), ("waiting", ["wait_ask"]), ("a call back", ["wait_menu"])])
    state = converse([("hi", ["greeting"]), ("forget me", ["forget_ask"])])
    converse([("wait no", ["forget_kept"])], state)
    _, outcomes = play(["hi", "forget me", "yes please"])
    assert effects_of(outcomes, Forget)


def test_destructive_words_only_as_the_whole_message() -> None:
    _, outcomes = play(["hi", "I can't stop yawning"])
    assert not effects_of(outcomes, CheckinsStopped)
    assert outcomes[-1].replies[0].key == "reask"
    _, outcomes = play(["hi", "stop please"])
    assert effects_of(outcomes, CheckinsStopped)


def test_not_understood_twice_offers_a_supporter_with_the_words_kept() -> None:
    shift = Shift(on_shift=1, likely_wait=timedelta(minutes=5))
    state = converse([("hi", ["greeting"]), ("waiting", ["wait_ask"])])
    first = handle(state, said("hmm well"), Context(now=START, shift=shift))
    assert [r.key for r in first.replies] == ["reask"]
    assert first.state.step == "wait_ask" and not first.replies[0].values["second"]
    second = handle(first.state, said("its complicated"), Context(now=START, shift=shift))
    (reply,) = second.replies
    assert reply.values["second"] and Option.TALK in reply.options
    assert second.state.step == "wait_ask"
    talk = handle(second.state, pressed("talk"), Context(now=START, shift=shift))
    join = handle(talk.state, pressed("join"), Context(now=START, shift=shift))
    assert SetTopic("its complicated") in join.effects
    assert [r.key for r in join.replies] == ["queue_joined", "topic_saved"]


def test_a_request_to_talk_keeps_its_topic() -> None:
    shift = Shift(on_shift=1, likely_wait=timedelta(minutes=5))
    state = converse([("hi", ["greeting"])])
    text = "i'd like to talk to a peer supporter about my mum"
    asked = handle(state, said(text), Context(now=START, shift=shift))
    assert [r.key for r in asked.replies] == ["talk_intro"]
    joined = handle(asked.state, said("yes please"), Context(now=START, shift=shift))
    assert SetTopic(text) in joined.effects
    waiting = PeerView(status="waiting", position=1)
    left = handle(
        joined.state,
        said("take me out of the queue"),
        Context(now=START, shift=shift, peer=waiting),
    )
    assert [r.key for r in left.replies] == ["queue_left"]


@pytest.mark.parametrize(
    "text",
    [
        "can i talk to someone",
        "could i speak to one of your peer supporters please",
        "is there anyone i can talk to",
        "hiya i need to talk to someone",
    ],
)
def test_a_bare_request_to_talk_is_no_topic(text: str) -> None:
    """Only asking to talk says nothing a supporter needs: the topic is still asked."""
    shift = Shift(on_shift=1, likely_wait=timedelta(minutes=5))
    state = converse([("hi", ["greeting"])])
    asked = handle(state, said(text), Context(now=START, shift=shift))
    assert [r.key for r in asked.replies] == ["talk_intro"]
    joined = handle(asked.state, said("yes please"), Context(now=START, shift=shift))
    assert [r.key for r in joined.replies] == ["queue_joined", "topic_ask"]
    assert not any(isinstance(e, SetTopic) for e in joined.effects)


def test_words_typed_in_the_queue_are_added_for_the_supporter() -> None:
    shift = Shift(on_shift=1, likely_wait=timedelta(minutes=5))
    waiting = PeerView(status="waiting", position=2)
    state = converse([("hi", ["greeting"])])
    asked = handle(state, said("talk to someone about my mum"), Context(now=START, shift=shift))
    joined = handle(asked.state, said("yes"), Context(now=START, shift=shift))
    assert SetTopic("talk to someone about my mum") in joined.effects
    queued = Context(now=START, shift=shift, peer=waiting)
    still = handle(joined.state, said("still here, been a long day"), queued)
    assert [r.key for r in still.replies] == ["queue_waiting"]
    assert still.replies[0].values == {"position": 2, "kept": True}
    kept = "talk to someone about my mum / still here, been a long day"
    assert still.effects[-1] == SetTopic(kept)
    # "hello?" or "ill wait" asks for no help menu or waiting-list help here.
    for chat in ("hello?", "got a cup of tea, ill wait", "is anyone there"):
        assert [r.key for r in handle(still.state, said(chat), queued).replies] == ["queue_waiting"]
    # Leaving clears what they wrote: a later queue starts anew.
    left = handle(still.state, said("im going to go now, cancel"), queued)
    assert [r.key for r in left.replies] == ["queue_left"]
    assert left.state.topic == ""


def test_a_check_in_answered_in_words() -> None:
    state = converse(
        [("hi", ["greeting"]), ("waiting", ["wait_ask"]), ("a call back", ["wait_menu"])]
    )
    sent = message(state)[0]
    converse([("not great, still no call", ["checkin_not_ok"])], sent)
    converse([("a bit better thanks", ["checkin_ok"])], sent)
    outcome = handle(sent, said("not great, still no call"), Context(now=START))
    assert {Option.TALK, Option.PLAN, Option.SOMEWHERE} <= set(outcome.replies[0].options)


def test_done_ends_grounding_kindly() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            ("grounding", ["grounding"]),
            ("tree, car, lamp, phone, cup", ["grounding"]),
            ("done", ["grounding_done"]),
        ]
    )


def test_plan_controls_are_never_saved() -> None:
    state, outcomes = play(["hi", "my plan", "pass", "go back"])
    assert [r.key for r in outcomes[-1].replies] == ["menu"]
    assert not effects_of(outcomes, PlanChanged)
    state, outcomes = play(["hi", "my plan", "i stop sleeping", "skip", "cancel"])
    assert state.step == "menu" and not effects_of(outcomes, PlanChanged)


def test_appointment_dates_in_words() -> None:
    for typed, day in [
        ("next tuesday", "2026-12-08"),
        ("tuesday", "2026-12-01"),
        ("in a fortnight", "2026-12-15"),
        ("on the 14th", "2026-12-14"),
        ("the 3rd of jan", "2027-01-03"),
        ("tomorrow", "2026-12-02"),
    ]:
        state, _ = play(["hi", "waiting", "an appointment", typed], now=TUESDAY)
        assert state.waiting_date == day, typed
    state, outcomes = play(["hi", "waiting", "appointment", "dont know yet"], now=TUESDAY)
    assert [r.key for r in outcomes[-1].replies] == ["wait_menu"] and not state.waiting_date


def test_feedback_in_words() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            (pressed("feedback"), ["feedback_ask"]),
            # Two statements about the service (the peer ones only after a peer chat).
            ("not really", ["feedback_ask"]),
            ("a bit", ["feedback_note"]),
            ("no thanks", ["feedback_thanks"]),
            (pressed("feedback"), ["feedback_ask"]),
            ("definitely", ["feedback_ask"]),
            ("skip", ["feedback_note"]),
            ("thank you she was really kind", ["feedback_thanks"]),
        ]
    )


def test_a_worrying_yes_to_are_you_safe_still_gets_the_direct_question() -> None:
    state = converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"])])
    outcome = handle(
        state, said("yes but I feel so hopeless, there's no point anymore"), Context(now=START)
    )
    assert outcome.replies[0].key == "concern"
    # A worrying "not safe" is answered as one, the numbers first.
    outcome = handle(
        state, said("no, I feel hopeless, there's no point anymore"), Context(now=START)
    )
    assert [r.key for r in outcome.replies] == ["safe_no"]


def test_a_first_message_asking_to_talk_keeps_its_topic() -> None:
    shift = Shift(on_shift=1, likely_wait=timedelta(minutes=5))
    first = handle(State(), said("can i talk to someone about my dad"), Context(START, shift=shift))
    assert [r.key for r in first.replies] == ["greeting", "talk_intro"]
    joined = handle(first.state, pressed("join"), Context(START, shift=shift))
    assert SetTopic("can i talk to someone about my dad") in joined.effects


def test_a_plain_answer_is_taken_though_the_learned_layer_worries() -> None:
    # "He's fine right now" is an answer to "is the person safe?", not a disclosure: it
    # is taken, and what the risk check read is still recorded for the supporters.
    _, outcomes = play(["hi", pressed("carer"), "he's fine right now"])
    assert [r.key for r in outcomes[-1].replies] == ["carer_menu"]
    assert effects_of(outcomes[-1:], RiskAssessed)
    # A worried answer still gets the direct question: "not sure" is not safe.
    converse([("hi", ["greeting"]), ("carer", ["carer_start"]), ("not sure", ["carer_urgent"])])


def test_asking_what_the_question_means_asks_it_again() -> None:
    state = converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"])])
    for text in ("wait what do you mean", "?", "huh"):
        (reply,) = handle(state, said(text), Context(now=START)).replies
        assert reply.key == "reask" and reply.urgent, text  # never "while you wait"


def test_thumbs_and_text_speak() -> None:
    for answer, meant in [("👍", "safe_yes"), ("👍🏽", "safe_yes"), ("👎", "safe_no")]:
        converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"]), (answer, [meant])])
    converse(
        [("i dont think i am", ["safe_no"])],
        converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"])]),
    )


def test_a_changed_answer_counts_as_changed() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            ("waiting", ["wait_ask"]),
            ("a call back... wait no, it's my assessment im waiting on", ["wait_menu"]),
        ]
    )
    state = converse([("hi", ["greeting"]), ("waiting", ["wait_ask"])])
    outcome = handle(state, said("a call back... wait no, my assessment"), Context(now=START))
    assert outcome.state.waiting_for == "assessment"
    assessed = handle(state, said("an assessment with the mental health team"), Context(START))
    assert assessed.state.waiting_for == "assessment"


def test_a_lone_ok_at_the_topic_question_is_no_topic() -> None:
    shift = Shift(on_shift=1, likely_wait=timedelta(minutes=5))
    waiting = PeerView(status="waiting", position=1)
    state = converse([("hi", ["greeting"])])
    state = handle(state, said("talk"), Context(START, shift=shift)).state
    state = handle(state, pressed("join"), Context(START, shift=shift)).state
    for text in ("ok", "k", "yes", "👍", "ok thanks"):
        outcome = handle(state, said(text), Context(START, shift=shift, peer=waiting))
        assert not any(isinstance(e, SetTopic) for e in outcome.effects), text
        assert outcome.state.topic == "", text
    # Leaving in many words, and only in a message that is all about leaving.
    for text in ("exit queue", "actually i dont want to wait anymore take me out"):
        outcome = handle(state, said(text), Context(START, shift=shift, peer=waiting))
        assert [r.key for r in outcome.replies] == ["queue_left"], text
    kept = handle(
        state,
        said("i dont want to wait anymore for the crisis team"),
        Context(START, shift=shift, peer=waiting),
    )
    assert SetTopic("i dont want to wait anymore for the crisis team") in kept.effects


def test_a_carers_worry_about_the_person_is_asked_about_the_person() -> None:
    # Never "are you safe?" then "I'm glad" about the wrong person.
    state = converse(
        [("hi", ["greeting"]), ("carer", ["carer_start"]), ("they_safe", ["carer_menu"])]
    )
    outcome = handle(state, said("shes talking about ending it"), Context(now=START))
    (concern,) = outcome.replies
    assert concern.key == "concern" and concern.values["carer"] is True
    unsure = handle(outcome.state, said("not sure"), Context(now=START))
    keys = [r.key for r in unsure.replies]
    assert keys[0] == "urgent" and unsure.replies[0].values["carer"] is True
    assert keys[-1] == "carer_safe_ask" and "safe_yes" not in keys
    converse([("not sure", ["carer_urgent"])], unsure.state)
    first = handle(
        after_greeting(), said("im worried about my son he says he wants to die"), Context(START)
    )
    assert [r.key for r in first.replies][-1] == "carer_safe_ask"
    # The carer's own worry stays theirs.
    own = handle(state, said("i cant do this anymore, i want to end it all"), Context(START))
    assert own.replies[0].key in ("urgent", "concern")
    assert own.replies[-1].key in ("are_you_safe", "concern")
    assert own.replies[-1].values.get("carer") in (None, False)


def test_where_the_page_already_greeted_them_hi_gets_the_menu() -> None:
    # The web chat page shows the greeting before anything is typed: not said twice.
    greeted = Context(now=START, greeted=True)
    for first in ("hi", "hello", "Hi there"):
        outcome = handle(State(), said(first), greeted)
        assert [r.key for r in outcome.replies] == ["menu"], first
        assert outcome.state.step == "menu"
    # Anything else is answered at the menu it shows, with nothing said twice.
    outcome = handle(State(), said("can i talk to someone"), greeted)
    assert "greeting" not in [r.key for r in outcome.replies]
    assert outcome.replies[0].key in ("talk_intro", "talk_unavailable")
    (urgent, *rest) = handle(State(), said("I want to kill myself"), greeted).replies
    assert urgent.key == "urgent" and rest[-1].key == "are_you_safe"
    # Elsewhere (Telegram, SMS) the first message still gets the greeting.
    first = handle(State(), said("hi"), Context(now=START))
    assert [r.key for r in first.replies] == ["greeting"]
