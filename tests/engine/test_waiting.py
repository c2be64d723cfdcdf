"""While you wait: what for, remembered, shaping what is offered; and grounding."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.engine import Option
from bot.engine.journey import WAIT_OPTIONS
from bot.engine.waiting import parse_day

from .conftest import converse, pressed
from .playing import keys_of, play

NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # a Saturday


def test_waiting_for_a_call_back_suggests_the_phone_and_an_evening_checkin() -> None:
    state, outcomes = play(["hi", "waiting", pressed("wait_callback")], now=NOON)
    (menu,) = outcomes[-1].replies
    assert menu.key == "wait_menu" and menu.options == WAIT_OPTIONS
    assert menu.values["waiting_for"] == "callback"
    assert menu.values["suggest"] == "checkin_evening"
    assert state.waiting_for == "callback"
    # Remembered: the next time goes straight to the menu, and shapes the check-in offer.
    state, outcomes = play(["wait", pressed("checkin")], state=state, now=NOON)
    assert keys_of(outcomes) == [["wait_menu"], ["checkin_offer"]]
    assert outcomes[-1].replies[0].values["suggest"] == "checkin_evening"


def test_an_appointment_date_offers_a_checkin_the_morning_of_it() -> None:
    state, outcomes = play(["hi", "wait", pressed("wait_appointment"), "Weds"], now=NOON)
    assert keys_of(outcomes)[2:] == [["wait_date_ask"], ["wait_menu"]]
    assert state.waiting_date == "2026-12-02"
    state, outcomes = play([pressed("checkin")], state=state, now=NOON)
    offer = outcomes[-1].replies[0]
    assert offer.values["suggest"] == "checkin_day"
    assert Option.CHECKIN_DAY in offer.options


def test_a_date_not_understood_is_asked_again_and_can_be_skipped() -> None:
    converse(
        [
            ("hi", ["greeting"]),
            (pressed("wait"), ["wait_ask"]),
            ("3", ["wait_date_ask"]),  # the appointment, by number
            ("when they tell me", ["wait_date_ask"]),
            ("skip", ["wait_menu"]),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 28)),
        ("tomorrow", date(2026, 11, 29)),
        ("Monday", date(2026, 11, 30)),
        ("on saturday", date(2026, 11, 28)),
        ("3/12", date(2026, 12, 3)),
        ("03.12.2026", date(2026, 12, 3)),
        ("3rd December", date(2026, 12, 3)),
        ("14 jan", date(2027, 1, 14)),
        ("1/1/2020", None),  # in the past
        ("31/2", None),
        ("soon", None),
        # A weekday with the day of the month: the date, not the coming weekday.
        ("wed 9th", date(2026, 12, 9)),
        ("thursday the 10th", date(2026, 12, 10)),
        ("fri 11", date(2026, 12, 11)),
        ("tue 1 pm", date(2026, 12, 1)),  # a time, not the 1st
        ("sat 31st", date(2026, 12, 31)),  # the next 31st, though a Thursday
        # "Friday week": a week after the coming Friday.
        ("friday week", date(2026, 12, 11)),
        ("a week on friday", date(2026, 12, 11)),
        ("monday week", date(2026, 12, 7)),
        ("next friday", date(2026, 12, 4)),
    ],
)
def test_days_as_people_type_them(text: str, expected: date | None) -> None:
    assert parse_day(text, date(2026, 11, 28)) == expected


def test_grounding_goes_one_step_at_a_time_with_a_way_back() -> None:
    _, outcomes = play(["hi", "grounding", "next", pressed("next"), "menu"])
    assert keys_of(outcomes)[1:] == [["grounding"], ["grounding"], ["grounding"], ["menu"]]
    assert [o.replies[0].values["step"] for o in outcomes[1:4]] == [1, 2, 3]
    _, outcomes = play(["grounding", *["next"] * 5])
    last = outcomes[-1].replies[0]
    assert last.values == {"step": 6} and last.options == WAIT_OPTIONS


def test_the_wait_menu_leads_to_everything_it_offers() -> None:
    state, _ = play(["hi", "wait", pressed("wait_nothing")])
    for option, key in [
        ("plan", "plan_intro"),
        ("checkin", "checkin_offer"),
        ("grounding", "grounding"),
        ("somewhere", "not_ready"),  # no directory in this test
        ("talk", "talk_unavailable"),  # no queue in this test
        ("menu", "menu"),
    ]:
        _, outcomes = play([pressed(option)], state=state)
        assert keys_of(outcomes)[0][0] == key, option


def test_something_not_on_the_buttons_keeps_the_place_and_the_topic_question() -> None:
    # "For my benefits to come through" is answered like "Nothing in particular": on to
    # the waiting things, and not kept as a topic, which would skip "what would you like
    # to talk about?" when they join the queue later (blind set 6, answers6).
    state, outcomes = play(["hi", "wait", "for my benefits to come through"], now=NOON)
    assert keys_of(outcomes)[-1] == ["wait_menu"]
    assert state.step == "wait_menu" and state.topic == ""


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("friday, no thursday", "2026-12-03"),
        ("friday. no wait, saturday", "2026-12-05"),
        ("monday, no sorry tuesday next week", "2026-12-08"),
        ("the 10th no the 11th", "2026-12-11"),
        ("thursday actually no wednesday", "2026-12-02"),
        ("no idea, maybe friday", "2026-12-04"),  # not a correction: friday all the same
    ],
)
def test_a_date_corrected_is_the_date_kept(typed: str, day: str) -> None:
    tuesday = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    state, outcomes = play(["hi", "wait", pressed("wait_appointment"), typed], now=tuesday)
    assert keys_of(outcomes)[-1] == ["wait_menu"]
    assert state.waiting_date == day
