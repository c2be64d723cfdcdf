"""Journeys as tables: what the person says, and the replies the bot sends."""

from __future__ import annotations

import pytest

from bot.engine import MENU_OPTIONS, Context, Inbound, Kind, Option, State, handle

from .conftest import START, after_greeting, command, converse, pressed, said


def test_first_contact_greets_then_offers_the_menu() -> None:
    outcome = handle(State(), said("hi"), Context(now=START))
    assert [r.key for r in outcome.replies] == ["greeting"]
    assert outcome.replies[0].options == MENU_OPTIONS
    assert outcome.state.offered == MENU_OPTIONS


def test_first_contact_with_a_request_greets_and_answers_it() -> None:
    converse([("urgent", ["greeting", "urgent", "are_you_safe"])])


@pytest.mark.parametrize(
    ("sent", "answer"),
    [
        ("menu", ["menu"]),
        ("MENU", ["menu"]),
        ("haven", ["not_ready"]),
        ("somewhere to go", ["not_ready"]),
        ("I want to talk to someone", ["talk_unavailable"]),
        ("carer", ["carer_start"]),
        ("waiting", ["wait_ask"]),
        ("my plan", ["plan_intro", "plan_ask"]),
        ("stop", ["stopped"]),
        ("forget me", ["forget_ask"]),
        ("urgent", ["urgent", "are_you_safe"]),
    ],
)
def test_obvious_words_work_in_any_state(sent: str, answer: list[str]) -> None:
    for step in ("menu", "urgent", "concern"):
        state = State(step=step, offered=MENU_OPTIONS)
        outcome = handle(state, said(sent), Context(now=START))
        assert [r.key for r in outcome.replies] == answer, (step, sent)


@pytest.mark.parametrize(
    ("step", "sent", "answer"),
    [
        # "help" alone where nothing is chosen yet is a plea: urgent help, the numbers first.
        ("menu", "help", ["urgent", "are_you_safe"]),
        ("menu", "what is this", ["help"]),
        ("urgent", "help", ["safe_no"]),  # asked "are you safe?", help means not safe
        ("concern", "help", ["urgent", "are_you_safe"]),
        ("menu", "blue cheese", ["reask"]),
        ("urgent", "blue cheese", ["reask"]),
        ("concern", "blue cheese", ["reask"]),
    ],
)
def test_the_question_being_answered_comes_first(step: str, sent: str, answer: list[str]) -> None:
    state = State(step=step, offered=MENU_OPTIONS)
    outcome = handle(state, said(sent), Context(now=START))
    assert [r.key for r in outcome.replies] == answer


def test_menu_options_by_button_and_by_number() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            (pressed("somewhere"), ["not_ready"]),
            ("2", ["talk_unavailable"]),  # talk, with no queue in this context
            ("five", ["urgent", "are_you_safe"]),
            ("1", ["safe_yes"]),  # yes, safe for now
            ("menu", ["menu"]),
            ("9", ["stale_choice"]),
        ]
    )


def test_not_ready_is_honest_and_offers_the_menu() -> None:
    state = after_greeting()
    for option in ("somewhere",):
        outcome = handle(state, pressed(option), Context(now=START))
        reply = outcome.replies[0]
        assert (reply.key, reply.values) == ("not_ready", {"feature": option})
        assert reply.options == MENU_OPTIONS


def test_a_stale_or_forged_button_gets_a_kind_answer() -> None:
    converse([("hi", ["greeting"]), (pressed("<script>"), ["stale_choice"])])


def test_are_you_safe_answered_in_words() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            ("urgent help", ["urgent", "are_you_safe"]),
            ("no", ["safe_no"]),
        ]
    )
    converse(
        [
            ("hi", ["greeting"]),
            ("urgent", ["urgent", "are_you_safe"]),
            ("yes", ["safe_yes"]),
        ]
    )


def test_commands() -> None:
    converse(
        [
            (command("start"), ["greeting"]),
            (command("menu"), ["menu"]),
            (command("help"), ["help"]),
            (command("urgent"), ["urgent", "are_you_safe"]),
            (command("stop"), ["stopped"]),
            (command("forget"), ["forget_ask"]),
            (command("whatever"), ["reask"]),  # the question stands
        ]
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_messages_get_a_sensible_reply(text: str) -> None:
    converse([("hi", ["greeting"]), (text, ["empty"])])


def test_unsupported_and_location_messages() -> None:
    state = after_greeting()
    photo = handle(state, Inbound(kind=Kind.UNSUPPORTED, at=START), Context(now=START))
    assert [r.key for r in photo.replies] == ["only_text"]
    place = handle(
        state,
        Inbound(kind=Kind.LOCATION, at=START, latitude=53.8, longitude=-1.8),
        Context(now=START),
    )
    assert [(r.key, r.values) for r in place.replies] == [("not_ready", {"feature": "somewhere"})]


def test_html_and_huge_messages_are_just_text() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            ("<script>alert(1)</script>", ["reask"]),
            ("x" * 10_000, ["reask"]),
        ]
    )


def test_every_reply_ends_with_options_to_choose_from() -> None:
    state = after_greeting()
    for sent in ("menu", "help", "urgent", "blue", "stop", "talk", ""):
        outcome = handle(state, said(sent), Context(now=START))
        assert outcome.replies[-1].options, sent


def test_state_survives_json() -> None:
    state = converse([("hi", ["greeting"]), ("urgent", ["urgent", "are_you_safe"])])
    assert State.from_json(state.to_json()) == state
    assert Option.SAFE_YES in State.from_json(state.to_json()).offered


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("stop", "stop"),
        ("STOP please", "stop"),
        ("I can't stop crying", None),
        ("please don't stop talking to me", None),
        ("end chat", "end_chat"),
        ("I just want it to end", None),
        ("cancel", "leave_queue"),
        ("I want to leave", None),
        ("forget me", "forget"),
        ("how do I delete a text", None),
    ],
)
def test_stop_end_leave_and_forget_only_as_the_whole_message(sent: str, meant: str | None) -> None:
    from bot.engine import words

    assert words.intent(sent) == meant


def test_check_ins_are_stopped_without_the_sms_opt_out_word() -> None:
    from bot.engine import words

    assert words.intent("stop check-ins") == "stop_checkins"
    assert words.intent("Stop check ins please") == "stop_checkins"


@pytest.mark.parametrize("plea", ["HELP", "help me", "HELP ME PLEASE", "Help!", "pls help"])
def test_a_plea_for_help_at_the_greeting_is_urgent_help(plea: str) -> None:
    # From someone in a crisis service's waiting room "HELP" is a plea, not "what is
    # this?": the urgent numbers and "are you safe?", first message or not.
    converse([("hi", ["greeting"]), (plea, ["urgent", "are_you_safe"])])
    first = [r.key for r in handle(State(), said(plea), Context(now=START)).replies]
    assert first[0] == "greeting" and first[-2:] == ["urgent", "are_you_safe"]


@pytest.mark.parametrize("again", ["hi", "hello?", "hiya", "Hey"])
def test_a_greeting_again_asks_the_question_again_shortly(again: str) -> None:
    # Not the help text: at the menu the menu again, at another question that question.
    converse([("hi", ["greeting"]), (again, ["menu"])])
    state = State(step="wait_ask", offered=(Option.MENU,))
    (reply,) = handle(state, said(again), Context(now=START)).replies
    assert (reply.key, reply.values["question"]) == ("reask", "wait_ask")
