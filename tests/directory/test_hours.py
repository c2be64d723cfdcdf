"""Opening hours in UK time: midnight, overnight spans, bank holidays and clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import opening_hours
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.directory import LONDON, Directory, bank_holidays, is_bank_holiday, is_open
from bot.directory.hours import check_hours, expand_public_holidays, hours_state

ALDERSHOT = "Mo-Fr 18:00-23:00; Sa,Su,PH 12:30-23:00"
MIND_INFOLINE = "Mo-Fr 09:00-18:00; PH off"
DIAL_HOUSE = "Mo,We,Fr,Sa,Su 18:00-01:00"
SANCTUARY = "18:00-01:00"
WELL_BEAN = "Sa,Su,Mo 18:00-24:00"


def uk(text: str, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON, fold=fold)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_always_open_has_no_next_change() -> None:
    assert hours_state("24/7", uk("2026-12-25T03:00")) == (True, None)


def test_unknown_hours_count_as_closed() -> None:
    assert hours_state(None, uk("2026-11-28T21:00")) == (False, None)


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        hours_state("24/7", datetime(2026, 11, 28, 21, 0))


def test_is_open_reads_the_entry(shipped: Directory) -> None:
    calm = shipped.get("calm")
    assert calm is not None
    assert is_open(calm, uk("2026-11-28T21:00")) == (True, uk("2026-11-29T00:00"))
    assert is_open(calm, uk("2026-11-29T00:00")) == (False, uk("2026-11-29T17:00"))


def test_next_change_is_aware_london_time() -> None:
    _, change = hours_state(SANCTUARY, utc("2026-07-01T12:00"))
    assert change is not None
    assert change.tzinfo is LONDON
    assert change == uk("2026-07-01T18:00")
    assert change.utcoffset() == timedelta(hours=1)


def test_now_in_any_timezone_means_the_same_instant() -> None:
    instant = utc("2026-07-01T17:30")  # 18:30 in London (BST)
    india = instant.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert hours_state(SANCTUARY, instant) == hours_state(SANCTUARY, india)
    assert hours_state(SANCTUARY, instant)[0] is True


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-30T23:59", (True, "2026-12-01T00:00")),  # Monday, closing at midnight
        ("2026-12-01T00:00", (False, "2026-12-05T18:00")),  # Tuesday: next open Saturday
        ("2026-11-28T18:00", (True, "2026-11-29T00:00")),  # opening minute counts as open
        ("2026-11-28T17:59", (False, "2026-11-28T18:00")),
    ],
)
def test_midnight(now: str, expected: tuple[bool, str]) -> None:
    assert hours_state(WELL_BEAN, uk(now)) == (expected[0], uk(expected[1]))


@pytest.mark.parametrize(
    ("now", "open_now"),
    [
        ("2026-11-29T00:30", True),  # Sunday morning: Saturday night still open
        ("2026-11-29T01:00", False),  # closed at 01:00, conservatively
        ("2026-12-01T00:30", True),  # Tuesday morning: Monday's night
        ("2026-12-02T00:30", False),  # Wednesday morning: Tuesday was closed
        ("2026-12-02T18:00", True),
        ("2026-12-03T00:59", True),
    ],
)
def test_overnight_spans(now: str, open_now: bool) -> None:
    assert hours_state(DIAL_HOUSE, uk(now))[0] is open_now


def test_the_sanctuary_is_open_at_half_past_midnight() -> None:
    assert hours_state(SANCTUARY, uk("2026-11-29T00:30")) == (True, uk("2026-11-29T01:00"))


def test_england_bank_holidays_come_from_holidays() -> None:
    assert bank_holidays([2026]) == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),  # Boxing Day falls on a Saturday: Monday is the substitute
    ]
    assert is_bank_holiday(date(2026, 8, 31))
    assert not is_bank_holiday(date(2026, 8, 3))  # Scotland's summer holiday, not England's


def test_opening_hours_py_alone_misses_english_bank_holidays() -> None:
    """Why PH is worked out here: the library's GB calendar lacks these (2.1.4).

    If this starts failing, the library has caught up and the rewrite may be dropped.
    """
    library = opening_hours.OpeningHours("PH", country="GB")
    missed = [date(2026, 1, 1), date(2026, 4, 6), date(2026, 8, 31), date(2026, 12, 26)]
    assert not any(library.is_open(datetime.combine(d, datetime.min.time())) for d in missed)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-08-31T13:00", (True, "2026-08-31T23:00")),  # late summer bank holiday, Monday
        ("2026-08-24T13:00", (False, "2026-08-24T18:00")),  # an ordinary Monday
        ("2026-12-25T13:00", (True, "2026-12-25T23:00")),  # Christmas, a Friday
        ("2026-12-28T13:00", (True, "2026-12-28T23:00")),  # substitute day for Boxing Day
        ("2026-12-29T13:00", (False, "2026-12-29T18:00")),
        ("2026-12-31T23:30", (False, "2027-01-01T12:30")),  # across the year: New Year's Day
        ("2027-03-29T12:45", (True, "2027-03-29T23:00")),  # Easter Monday 2027
    ],
)
def test_aldershot_weekends_and_bank_holidays(now: str, expected: tuple[bool, str]) -> None:
    assert hours_state(ALDERSHOT, uk(now)) == (expected[0], uk(expected[1]))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-12-24T17:00", (True, "2026-12-24T18:00")),
        ("2026-12-25T10:00", (False, "2026-12-29T09:00")),  # Christmas to Boxing Day substitute
        ("2026-08-31T10:00", (False, "2026-09-01T09:00")),
        ("2026-08-28T18:30", (False, "2026-09-01T09:00")),  # Friday evening: Tuesday next
        ("2026-12-31T18:00", (False, "2027-01-04T09:00")),
    ],
)
def test_mind_infoline_is_closed_on_bank_holidays(now: str, expected: tuple[bool, str]) -> None:
    assert hours_state(MIND_INFOLINE, uk(now)) == (expected[0], uk(expected[1]))


def test_public_holidays_become_dated_rules_in_place() -> None:
    days = [date(2026, 8, 31), date(2026, 12, 25)]
    assert expand_public_holidays(ALDERSHOT, days) == (
        "Mo-Fr 18:00-23:00; Sa,Su 12:30-23:00; 2026 Aug 31,2026 Dec 25 12:30-23:00"
    )
    assert expand_public_holidays("PH off", days) == "2026 Aug 31,2026 Dec 25 off"
    assert expand_public_holidays("24/7", days) == "24/7"
    quoted = 'Mo-Fr 09:00-17:00 "not on PH"'
    assert expand_public_holidays(quoted, days) == quoted


def test_a_later_rule_still_overrides_a_public_holiday_rule() -> None:
    # OpenStreetMap: later rules win, so a bank holiday Monday keeps Monday's hours here.
    hours = "PH 10:00-12:00; Mo 14:00-16:00"
    assert hours_state(hours, uk("2026-08-31T11:00"))[0] is False
    assert hours_state(hours, uk("2026-08-31T15:00"))[0] is True
    assert hours_state(hours, uk("2026-12-25T11:00"))[0] is True  # a Friday


def test_check_hours_strips_and_accepts_valid_values() -> None:
    assert check_hours("  Mo-Fr 09:00-18:00; PH off ") == "Mo-Fr 09:00-18:00; PH off"


class TestSpringForward:
    """2026-03-29: at 01:00 GMT the clocks jump to 02:00 BST."""

    def test_a_night_that_closes_at_one_closes_when_the_clocks_jump(self) -> None:
        for hours in (DIAL_HOUSE, SANCTUARY):
            open_now, closes = hours_state(hours, utc("2026-03-29T00:30"))  # 00:30 GMT
            assert open_now is True
            assert closes is not None
            assert closes.astimezone(UTC) == utc("2026-03-29T01:00")  # shown as 02:00 BST
            assert closes.isoformat() == "2026-03-29T02:00:00+01:00"
            assert hours_state(hours, utc("2026-03-29T01:00"))[0] is False  # 02:00 BST

    def test_the_minutes_before_the_jump(self) -> None:
        assert hours_state(DIAL_HOUSE, utc("2026-03-29T00:59"))[0] is True

    def test_an_opening_time_that_never_happens_takes_effect_at_the_jump(self) -> None:
        hours = "Su 01:30-03:00"
        open_now, opens = hours_state(hours, utc("2026-03-29T00:30"))
        assert (open_now, opens) == (False, uk("2026-03-29T02:00"))
        assert hours_state(hours, utc("2026-03-29T01:00")) == (True, uk("2026-03-29T03:00"))

    def test_always_open_stays_open(self) -> None:
        for minute in range(0, 180, 15):
            now = utc("2026-03-29T00:00") + timedelta(minutes=minute)
            assert hours_state("24/7", now) == (True, None)


class TestFallBack:
    """2026-10-25: at 02:00 BST the clocks go back to 01:00 GMT; 01:00-02:00 happens twice."""

    def test_closing_at_one_happens_on_the_first_pass(self) -> None:
        assert hours_state(DIAL_HOUSE, uk("2026-10-25T00:30")) == (True, uk("2026-10-25T01:00"))
        first_one = utc("2026-10-25T00:00")  # 01:00 BST
        assert hours_state(DIAL_HOUSE, first_one) == (False, uk("2026-10-25T18:00"))
        second_half_past = utc("2026-10-25T01:30")  # 01:30 GMT, the second pass
        assert hours_state(DIAL_HOUSE, second_half_past)[0] is False

    def test_a_time_inside_the_repeated_hour_is_not_reopened_on_the_second_pass(self) -> None:
        hours = "Sa 18:00-01:30"
        assert hours_state(hours, utc("2026-10-25T00:15"))[0] is True  # 01:15 BST
        assert hours_state(hours, utc("2026-10-25T00:45"))[0] is False  # 01:45 BST
        assert hours_state(hours, utc("2026-10-25T01:15"))[0] is False  # 01:15 GMT

    def test_closing_at_two_is_after_both_passes(self) -> None:
        hours = "Sa 18:00-02:00"
        for minutes in (0, 30, 60, 90):
            now = utc("2026-10-25T00:00") + timedelta(minutes=minutes)
            open_now, closes = hours_state(hours, now)
            assert open_now is True, now
            assert closes is not None and closes.astimezone(UTC) == utc("2026-10-25T02:00")
        assert hours_state(hours, utc("2026-10-25T02:00"))[0] is False

    def test_an_opening_inside_the_repeated_hour_stays_open_through_the_second_pass(
        self,
    ) -> None:
        hours = "Su 01:30-03:00"
        assert hours_state(hours, uk("2026-10-25T01:00")) == (False, uk("2026-10-25T01:30"))
        assert hours_state(hours, uk("2026-10-25T01:15", fold=1))[0] is True
        _, closes = hours_state(hours, uk("2026-10-25T01:45"))
        assert closes is not None and closes.astimezone(UTC) == utc("2026-10-25T03:00")


EXPRESSIONS = [ALDERSHOT, MIND_INFOLINE, DIAL_HOUSE, SANCTUARY, WELL_BEAN, "Sa 18:00-01:30"]


@settings(max_examples=150, deadline=None)
@given(
    hours=st.sampled_from(EXPRESSIONS),
    minutes=st.integers(min_value=0, max_value=2 * 366 * 24 * 60),
)
def test_the_state_changes_at_the_next_change(hours: str, minutes: int) -> None:
    now = utc("2026-01-01T00:00") + timedelta(minutes=minutes)
    open_now, change = hours_state(hours, now)
    assert change is not None
    assert change > now
    assert change.tzinfo is LONDON
    assert hours_state(hours, change)[0] is not open_now
    assert hours_state(hours, change - timedelta(minutes=1))[0] is open_now
