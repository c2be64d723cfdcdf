"""Check-ins at the right local time, across the clock changes, never at night unasked."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.engine import CheckinAsked, CheckinsStopped, Counted, Option, State
from bot.engine.checkins import at_night, choices, due, message

from .conftest import pressed
from .playing import effects_of, keys_of, play

LONDON = ZoneInfo("Europe/London")


def _london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("asked", "expected_utc"),
    [
        # Saturday 24 Oct 2026, 20:30 BST: tomorrow is Sunday 25 Oct, back on GMT.
        (_london(2026, 10, 24, 20, 30), datetime(2026, 10, 25, 10, 0, tzinfo=UTC)),
        # Saturday 28 Mar 2026, 20:30 GMT: tomorrow is Sunday 29 Mar, on BST.
        (_london(2026, 3, 28, 20, 30), datetime(2026, 3, 29, 9, 0, tzinfo=UTC)),
        # Asked at 02:00 in the night the clocks go back: the morning that is coming.
        (_london(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 10, 0, tzinfo=UTC)),
    ],
)
def test_tomorrow_morning_is_ten_local_across_the_clock_change(
    asked: datetime, expected_utc: datetime
) -> None:
    when = due(Option.CHECKIN_MORNING, asked, LONDON)
    assert when == expected_utc
    assert when is not None and when.astimezone(LONDON).hour == 10


def test_this_evening_is_seven_local_and_gone_after_seven() -> None:
    summer = due(Option.CHECKIN_EVENING, _london(2026, 7, 1, 12), LONDON)
    assert summer == datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
    assert due(Option.CHECKIN_EVENING, _london(2026, 7, 1, 19, 30), LONDON) is None


def test_in_an_hour_counts_real_time_across_the_change() -> None:
    # 00:30 BST on 25 Oct; an hour later the wall clock says 01:30 GMT... the hour is real.
    asked = _london(2026, 10, 25, 0, 30)
    assert due(Option.CHECKIN_HOUR, asked, LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_night_is_never_offered_unless_asked_for_explicitly() -> None:
    evening = _london(2026, 11, 28, 21, 30)
    offered = choices(evening, LONDON)
    assert Option.CHECKIN_HOUR not in offered
    assert Option.CHECKIN_HOUR_NIGHT in offered
    assert Option.CHECKIN_EVENING not in offered
    assert at_night(_london(2026, 11, 28, 22, 0), LONDON)
    assert at_night(_london(2026, 11, 29, 7, 59), LONDON)
    assert not at_night(_london(2026, 11, 29, 8, 0), LONDON)


def test_a_stale_hour_button_at_night_offers_again_instead() -> None:
    late = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)
    _, outcomes = play(["hi", pressed("checkin_hour", late)], now=late)
    (reply,) = outcomes[-1].replies
    assert reply.key == "checkin_offer" and reply.values["unavailable"]
    assert not effects_of(outcomes, CheckinAsked)


def test_an_hour_at_night_when_asked_for_explicitly() -> None:
    late = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)
    _, outcomes = play(["hi", "check in", pressed("checkin_hour_night", late)], now=late)
    assert keys_of(outcomes)[1:] == [["checkin_offer"], ["checkin_set"]]
    (asked,) = effects_of(outcomes, CheckinAsked)
    assert asked.kind == "hour_night" and asked.due == datetime(
        2026, 11, 28, 22, 32, tzinfo=UTC
    )  # asked at 21:32


def test_booked_then_stopped() -> None:
    noon = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    _, outcomes = play(["hi", "check in", pressed("checkin_evening", noon), "stop"], now=noon)
    (asked,) = effects_of(outcomes, CheckinAsked)
    assert asked.due == datetime(2026, 11, 28, 19, 0, tzinfo=UTC)
    values = outcomes[2].replies[0].values
    assert values["at"]["day"] == "today" and values["at"]["time"] == "19:00"
    assert effects_of(outcomes[3:], CheckinsStopped)


def test_stop_checkins_button_stops_them() -> None:
    _, outcomes = play(["hi", pressed("stop_checkins")])
    assert keys_of(outcomes)[-1] == ["stopped"]
    assert effects_of(outcomes, CheckinsStopped)


def test_the_checkin_is_counted_sent_and_a_reply_picks_it_up_and_is_counted() -> None:
    state, outcomes = play(["hi"])
    state, replies, effects = message(state)
    assert [r.key for r in replies] == ["checkin_message"]
    assert [(e.kind) for e in effects if isinstance(e, Counted)] == ["checkin_sent"]
    # "1" on SMS picks the first option of the check-in itself.
    state, outcomes = play(["1"], state=state)
    assert keys_of(outcomes) == [["wait_ask"]]
    answered = [e for e in effects_of(outcomes, Counted) if e.kind == "checkin_answered"]
    assert len(answered) == 1
    _, again = play(["menu"], state=state)
    assert not effects_of(again, Counted)


def test_a_carers_checkin_counts_are_carers() -> None:
    from bot.engine.carer import audience_for

    state = State(carer=True)
    state, _, effects = message(state)
    assert [e.audience for e in audience_for(state, effects)] == ["carer"]
    _, outcomes = play(["how do I help him"], state=state)
    assert [(e.kind, e.audience) for e in effects_of(outcomes, Counted)] == [
        ("checkin_answered", "carer")
    ]


def test_urgent_words_after_a_checkin_still_get_the_urgent_reply_first() -> None:
    state, _, _ = message(State(step="menu"))
    _, outcomes = play(["I want to kill myself"], state=state)
    assert keys_of(outcomes)[0][0] == "urgent"
    assert [e.kind for e in effects_of(outcomes, Counted)] == ["checkin_answered"]
