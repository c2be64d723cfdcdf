"""The "somewhere to go now" journey, end to end through the engine and the real
starter directory, at a fixed hour."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.directory import Directory, load_directory
from bot.engine import Context, Inbound, Kind, Option, State, handle

SATURDAY_NIGHT = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory()


def _play(directory: Directory, *sent: str | Inbound, now: datetime = SATURDAY_NIGHT):
    state, outcome = State(), None
    for item in sent:
        inbound = item if isinstance(item, Inbound) else Inbound(Kind.TEXT, now, text=item)
        outcome = handle(state, inbound, Context(now=now, directory=directory))
        state = outcome.state
    assert outcome is not None
    return outcome


def _names(outcome) -> list[str]:
    (reply,) = [r for r in outcome.replies if r.key == "places"]
    return [result["name"] for result in reply.values["results"]]


def test_a_postcode_district_gets_three_results_open_now_first(directory: Directory) -> None:
    outcome = _play(directory, "hi", "somewhere to go", "bd18")
    (reply,) = outcome.replies
    assert reply.key == "places" and reply.values["where"] == "BD18"
    results = reply.values["results"]
    assert len(results) == 3
    assert all(result["open_now"] for result in results)
    assert results[0]["name"].startswith("First Response")
    assert reply.options == (Option.MORE, Option.MENU, Option.URGENT)


def test_more_pages_on_and_unverified_entries_never_appear(directory: Directory) -> None:
    shown: list[str] = []
    outcome = _play(directory, "hi", "haven", "BD18 3AA")
    shown += _names(outcome)
    state = outcome.state
    while Option.MORE in outcome.replies[-1].options:
        outcome = handle(
            state,
            Inbound(Kind.TEXT, SATURDAY_NIGHT, text="more"),
            Context(now=SATURDAY_NIGHT, directory=directory),
        )
        state = outcome.state
        shown += _names(outcome)
    assert len(shown) == len(set(shown)) > 3
    unverified = {e.name for e in directory.entries if e.status != "active"}
    assert unverified and not unverified & set(shown)
    assert not any("Sanctuary" in name or name == "Haven" for name in shown)


def test_an_unknown_place_still_gets_national_lines(directory: Directory) -> None:
    outcome = _play(directory, "hi", "somewhere", "the moon")
    (reply,) = outcome.replies
    assert reply.values["unknown_place"] is True
    assert reply.values["results"]


def test_a_shared_location_searches_nearby(directory: Directory) -> None:
    shipley = Inbound(Kind.LOCATION, SATURDAY_NIGHT, latitude=53.833, longitude=-1.777)
    outcome = _play(directory, "hi", shipley)
    (reply,) = outcome.replies
    assert reply.key == "places" and reply.values["where"]


def test_closed_services_say_when_they_open(directory: Directory) -> None:
    # Huddersfield's Well Bean cafe is open Sat, Sun, Mon evenings only.
    tuesday_noon = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    shown = []
    outcome = _play(directory, "hi", "somewhere", "HD1", now=tuesday_noon)
    state = outcome.state
    shown += outcome.replies[0].values["results"]
    while Option.MORE in outcome.replies[-1].options:
        outcome = handle(
            state,
            Inbound(Kind.TEXT, tuesday_noon, text="more"),
            Context(now=tuesday_noon, directory=directory),
        )
        state = outcome.state
        shown += outcome.replies[0].values["results"]
    closed = [r for r in shown if not r["open_now"]]
    assert closed and all(r["next_change"] for r in closed)


def test_without_a_directory_the_journey_is_honest(directory: Directory) -> None:
    state = State(step="menu")
    outcome = handle(
        state,
        Inbound(Kind.TEXT, SATURDAY_NIGHT, text="haven"),
        Context(now=SATURDAY_NIGHT, directory=None),
    )
    assert [(r.key, r.values) for r in outcome.replies] == [("not_ready", {"feature": "somewhere"})]


def test_urgent_language_while_searching_is_answered_first(directory: Directory) -> None:
    outcome = _play(directory, "hi", "somewhere", "I want to kill myself")
    assert outcome.replies[0].key == "urgent"


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("BD7 no sorry BD9", "BD9"),
        ("keighley, no sorry, silsden", "BD20"),
        ("shipley, no, bingley", "BD16"),
        ("bd3 oops i mean bd5", "BD5"),
        ("wait no i'm at my mums in thornton", "BD13"),
        # Where they are now, not where they usually live.
        ("i'm staying at a mates in bingley at the mo but i normally live in bd4", "BD16"),
        ("i live in bd4 but im in shipley at the moment", "BD18"),
        ("i live in bingley", "BD16"),
        ("no fixed abode, bradford", "BD1"),
    ],
)
def test_a_place_corrected_is_the_place_searched(
    directory: Directory, typed: str, district: str
) -> None:
    outcome = _play(directory, "hi", "somewhere to go", typed)
    assert [r.key for r in outcome.replies] == ["places"]
    assert outcome.state.where is not None and outcome.state.where["district"] == district
