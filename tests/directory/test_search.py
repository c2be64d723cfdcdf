"""Search: open now, near, meant for them; never unverified, never empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.directory import (
    LONDON,
    Audience,
    Directory,
    Entry,
    Kind,
    Status,
    Where,
    load_directory,
    parse_where,
    search,
    stale_entries,
)
from bot.directory.search import LINE_KINDS

MakeEntry = Callable[..., dict[str, Any]]
MakeFolder = Callable[..., Path]
SATURDAY_NIGHT = datetime(2026, 11, 28, 21, 0, tzinfo=LONDON)
TUESDAY_7PM = datetime(2026, 12, 1, 19, 0, tzinfo=LONDON)
BAME = {"audiences": ["bame"]}
CARERS = {"audiences": ["carers"]}


def _ranking_directory() -> Directory:
    def make(entry_id: str, postcodes: list[str] | None, hours: str) -> Entry:
        area = {"postcodes": postcodes} if postcodes else {"national": True}
        return Entry.model_validate(
            {
                "id": entry_id,
                "name": entry_id,
                "kind": "safe_haven",
                "status": "active",
                "for": {"audiences": ["everyone"]},
                "area": area,
                "hours": hours,
                "access": "walk_in",
                "source": "test",
                "verified_on": date(2026, 11, 1),
            }
        )

    return Directory(
        entries=(
            make("bradford-daytime", ["BD"], "Mo-Fr 09:00-17:00"),
            make("shipley-daytime", ["BD18"], "Mo-Fr 09:00-17:00"),
            make("lifeline", None, "24/7"),
            make("bradford-evening", ["BD"], "18:00-23:00"),
            make("shipley-evening", ["BD18", "BD17"], "18:00-23:00"),
        )
    )


DIRECTORY_FOR_RANKING = _ranking_directory()
BD18 = Where(area="BD", district="BD18", label="BD18")


def ids(results: list[Any]) -> list[str]:
    return [result.entry.id for result in results]


def where(directory: Directory, text: str) -> Where:
    found = parse_where(text, directory.places)
    assert found is not None
    return found


def test_a_carer_in_shipley_on_saturday_night(shipped: Directory) -> None:
    results = search(shipped, where(shipped, "BD18 3AA"), Audience.CARER, SATURDAY_NIGHT)
    assert ids(results)[0] == "first-response-bradford"
    first = results[0]
    assert (first.open_now, first.next_change, first.local) == (True, None, True)
    # No carer support is verified in the shipped files, so lines come first: the general
    # crisis lines (local, then national by name), text, lines for one group, then
    # information and websites.
    assert ids(results) == [
        "first-response-bradford",  # local and open
        "nhs-111-mental-health",  # then national general crisis lines, open, by name
        "samaritans",
        "saneline",
        "shout",  # a text line
        "calm",  # specialist lines: for men (and anyone)
        "papyrus-hopeline247",  # for young people and those worried about one
        "hub-of-hope",  # a website
        "mind-infoline",  # closed: last
    ]
    assert all(not r.local and r.distance_km is None for r in results[1:])


def test_open_now_only(shipped: Directory) -> None:
    results = search(
        shipped, where(shipped, "Shipley"), Audience.CARER, SATURDAY_NIGHT, open_now_only=True
    )
    assert results and all(result.open_now for result in results)
    assert "mind-infoline" not in ids(results)


def test_open_first_then_local_then_national() -> None:
    results = search(DIRECTORY_FOR_RANKING, BD18, Audience.ME, TUESDAY_7PM)
    assert ids(results) == [
        "shipley-evening",  # open, district
        "bradford-evening",  # open, area
        "lifeline",  # open, national
        "shipley-daytime",  # closed, district
        "bradford-daytime",  # closed, area
    ]


def test_district_before_area_and_nearer_before_further(
    make_folder: MakeFolder, make_entry: MakeEntry
) -> None:
    folder = make_folder(
        {
            "local.yaml": [
                make_entry("a-bradford", area={"postcodes": ["BD"]}, place={"town": "Bradford"}),
                make_entry("b-keighley", area={"postcodes": ["BD"]}, place={"town": "Keighley"}),
                make_entry("c-shipley-only", area={"postcodes": ["BD18"]}),
                make_entry("d-nowhere", area={"postcodes": ["BD"]}),
            ]
        }
    )
    directory = load_directory(folder)
    in_keighley = search(directory, where(directory, "Keighley"), Audience.ME, TUESDAY_7PM)
    assert ids(in_keighley) == ["b-keighley", "a-bradford", "d-nowhere", "lifeline"]
    assert in_keighley[0].distance_km == pytest.approx(0.0, abs=0.1)
    assert in_keighley[1].distance_km == pytest.approx(12.8, abs=1.0)
    assert in_keighley[2].distance_km is None  # no place: nothing to measure
    in_shipley = search(directory, where(directory, "BD18"), Audience.ME, TUESDAY_7PM)
    assert ids(in_shipley) == [
        "c-shipley-only",
        "a-bradford",
        "b-keighley",
        "d-nowhere",
        "lifeline",
    ]


def test_nearest_safe_haven_first_in_surrey(shipped: Directory) -> None:
    near_aldershot = search(shipped, where(shipped, "GU11 1AA"), Audience.ME, TUESDAY_7PM)
    assert ids(near_aldershot)[:2] == ["aldershot-safe-haven", "guildford-safe-haven"]
    near_guildford = search(shipped, where(shipped, "Guildford"), Audience.ME, TUESDAY_7PM)
    assert ids(near_guildford)[:2] == ["guildford-safe-haven", "aldershot-safe-haven"]


def test_sussex_sites_by_area_and_distance(shipped: Directory) -> None:
    in_worthing = search(shipped, where(shipped, "Worthing"), Audience.ME, TUESDAY_7PM)
    local = [r.entry.id for r in in_worthing if r.local]
    assert local == ["staying-well-worthing", "staying-well-brighton", "staying-well-eastbourne"]
    in_crawley = search(shipped, where(shipped, "RH10 1AA"), Audience.ME, TUESDAY_7PM)
    assert [r.entry.id for r in in_crawley if r.local] == ["staying-well-crawley"]


def test_shared_location_uses_the_persons_own_point(shipped: Directory) -> None:
    # A shared location in Farnborough: Aldershot is nearer than Guildford.
    farnborough = Where.from_coordinates(51.29, -0.75, shipped.places)
    results = search(shipped, farnborough, Audience.ME, TUESDAY_7PM)
    assert ids(results)[:2] == ["aldershot-safe-haven", "guildford-safe-haven"]
    assert results[0].distance_km is not None and results[0].distance_km < 6


def test_leeds_services_are_for_leeds(shipped: Directory) -> None:
    monday_late = datetime(2026, 11, 30, 23, 0, tzinfo=LONDON)
    in_leeds = search(shipped, where(shipped, "LS6"), Audience.ME, monday_late)
    dial_house = next(r for r in in_leeds if r.entry.id == "dial-house-leeds")
    assert dial_house.open_now and dial_house.local
    assert dial_house.next_change == datetime(2026, 12, 1, 1, 0, tzinfo=LONDON)
    in_bradford = search(shipped, where(shipped, "BD1"), Audience.ME, monday_late)
    assert "dial-house-leeds" not in ids(in_bradford)
    assert "well-bean-huddersfield" not in ids(in_bradford)


def test_without_a_place_only_national_services(shipped: Directory) -> None:
    results = search(shipped, None, Audience.ME, SATURDAY_NIGHT)
    assert results and all(r.entry.area.national for r in results)
    far_away = Where.from_coordinates(55.86, -4.25, shipped.places)
    assert ids(search(shipped, far_away, Audience.ME, SATURDAY_NIGHT)) == ids(results)


def test_emergency_entries_are_left_to_the_bot(shipped: Directory) -> None:
    emergency = shipped.get("emergency-999")
    assert emergency is not None and emergency.status is Status.ACTIVE
    for audience in Audience:
        results = search(shipped, where(shipped, "BD"), audience, SATURDAY_NIGHT)
        assert all(r.entry.kind is not Kind.EMERGENCY for r in results)


class TestWhoItIsFor:
    def test_childline_is_for_young_people(self, shipped: Directory) -> None:
        bd = where(shipped, "BD")
        assert "childline" in ids(search(shipped, bd, Audience.YOUNG_PERSON, SATURDAY_NIGHT))
        assert "childline" not in ids(search(shipped, bd, Audience.ME, SATURDAY_NIGHT))
        # A person who says they are 15 is a young person, whatever button they pressed.
        assert "childline" in ids(search(shipped, bd, Audience.ME, SATURDAY_NIGHT, age=15))
        too_old = search(shipped, bd, Audience.YOUNG_PERSON, SATURDAY_NIGHT, age=25)
        assert "childline" not in ids(too_old)
        assert "papyrus-hopeline247" in ids(too_old)

    def test_a_carer_of_any_age_can_call_about_a_young_person(self, shipped: Directory) -> None:
        results = search(shipped, None, Audience.CARER, SATURDAY_NIGHT, age=58)
        assert "papyrus-hopeline247" in ids(results)
        assert "papyrus-hopeline247" not in ids(
            search(shipped, None, Audience.ME, SATURDAY_NIGHT, age=58)
        )

    def test_adult_services_need_an_adult(self, shipped: Directory) -> None:
        leeds = where(shipped, "Leeds")
        monday = datetime(2026, 11, 30, 20, 0, tzinfo=LONDON)
        assert "dial-house-leeds" in ids(search(shipped, leeds, Audience.ME, monday, age=30))
        assert "dial-house-leeds" not in ids(search(shipped, leeds, Audience.ME, monday, age=16))
        assert "dial-house-leeds" in ids(search(shipped, leeds, Audience.ME, monday))

    def test_community_services(self, make_folder: MakeFolder, make_entry: MakeEntry) -> None:
        folder = make_folder(
            {
                "bd.yaml": [
                    make_entry("voices", area={"postcodes": ["BD"]}, **{"for": BAME}),
                    make_entry("carers-group", area={"postcodes": ["BD"]}, **{"for": CARERS}),
                ]
            }
        )
        directory = load_directory(folder)
        bd = where(directory, "BD3")
        assert ids(search(directory, bd, Audience.COMMUNITY, TUESDAY_7PM)) == [
            "voices",
            "lifeline",
        ]
        assert ids(search(directory, bd, Audience.ME, TUESDAY_7PM)) == ["lifeline"]
        assert ids(search(directory, bd, Audience.CARER, TUESDAY_7PM)) == [
            "carers-group",
            "lifeline",
        ]


def test_only_active_entries_are_returned(make_folder: MakeFolder, make_entry: MakeEntry) -> None:
    folder = make_folder(
        {
            "bd.yaml": [
                make_entry("unsure", status="unverified", area={"postcodes": ["BD"]}),
                make_entry("gone", status="closed", area={"postcodes": ["BD"]}),
                make_entry("unsure-national", status="unverified", hours=None),
            ]
        }
    )
    directory = load_directory(folder)
    for audience in Audience:
        assert ids(search(directory, where(directory, "BD18"), audience, TUESDAY_7PM)) == [
            "lifeline"
        ]


WHERES = st.one_of(
    st.none(),
    st.sampled_from(["BD18", "BD", "LS6", "Keighley", "GU11", "BN1", "M1", "HX1", "TN34", "HG1"]),
    st.tuples(st.floats(49.9, 58.6), st.floats(-7.5, 1.7)),
)


@settings(max_examples=120, deadline=None)
@given(
    place=WHERES,
    audience=st.sampled_from(list(Audience)),
    minutes=st.integers(0, 3 * 366 * 24 * 60),
    age=st.one_of(st.none(), st.integers(0, 110)),
    open_now_only=st.booleans(),
)
def test_never_empty_and_never_unverified(
    shipped: Directory,
    place: str | tuple[float, float] | None,
    audience: Audience,
    minutes: int,
    age: int | None,
    open_now_only: bool,
) -> None:
    if isinstance(place, tuple):
        located: Where | None = Where.from_coordinates(*place, shipped.places)
    else:
        located = None if place is None else where(shipped, place)
    now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    results = search(shipped, located, audience, now, open_now_only=open_now_only, age=age)
    assert results
    assert all(r.entry.status is Status.ACTIVE for r in results)
    assert all(r.entry.kind is not Kind.EMERGENCY for r in results)

    # What they came for first (a carer: carer support; anyone else: places), then the
    # rest; open ones first within each.
    # (For a carer, lines come before other services.)
    def tier(r: Any) -> int:
        if audience is Audience.CARER:
            return 0 if r.for_carers else 1 if r.entry.kind in LINE_KINDS else 2
        return 0 if r.place else 1

    tiers = [tier(r) for r in results]
    assert tiers == sorted(tiers)
    for kind in set(tiers):
        opens = [r.open_now for r in results if tier(r) == kind]
        assert opens == sorted(opens, reverse=True)  # open ones first
    assert all(r.next_change is None or r.next_change.tzinfo is LONDON for r in results)


def test_stale_entries(make_folder: MakeFolder, make_entry: MakeEntry) -> None:
    folder = make_folder(
        {
            "old.yaml": [
                make_entry("older", verified_on=date(2025, 1, 1)),
                make_entry("old", status="unverified", verified_on=date(2026, 3, 1)),
                make_entry("long-closed", status="closed", verified_on=date(2020, 1, 1)),
                make_entry("edge", verified_on=date(2026, 6, 1)),
            ]
        }
    )
    directory = load_directory(folder)
    today = date(2026, 11, 28)  # 180 days before: 2026-06-01
    assert [e.id for e in stale_entries(directory, today)] == ["older", "old"]
    assert [e.id for e in stale_entries(directory, today, max_age_days=30)] == [
        "older",
        "old",
        "edge",
    ]


def test_the_shipped_directory_is_fresh_in_november_2026(shipped: Directory) -> None:
    assert stale_entries(shipped, date(2026, 11, 28)) == []
    assert len(stale_entries(shipped, date(2027, 6, 1))) == len(shipped.entries)
