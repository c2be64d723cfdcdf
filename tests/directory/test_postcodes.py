"""Reading where someone is from what they type, or from a shared location."""

from __future__ import annotations

import pytest

from bot.directory import Directory, Where, normalise_postcode, parse_where
from bot.directory.postcodes import POSTCODE_AREAS, split_outward


@pytest.mark.parametrize(
    ("text", "area", "district"),
    [
        ("BD18 3AA", "BD", "BD18"),
        ("bd183aa", "BD", "BD18"),
        ("  Bd18   3aa ", "BD", "BD18"),
        ("bd18", "BD", "BD18"),
        ("BD 18", "BD", "BD18"),
        ("Bd 3 9aq", "BD", "BD3"),  # a space in the outward code, as phones space it
        ("im in bd 3 9aq", "BD", "BD3"),
        ("LS 6 2AB", "LS", "LS6"),
        ("BD1 8AA", "BD", "BD1"),  # the inward code is always the last three characters
        ("bd18aa", "BD", "BD1"),
        ("BD", "BD", None),
        ("bd", "BD", None),
        ("in the BD area", "BD", None),
        ("ls29", "LS", "LS29"),
        ("I'm in LS6 2AB", "LS", "LS6"),
        ("it's HX1 near the station", "HX", "HX1"),
        ("M1 1AE", "M", "M1"),  # anywhere in the UK; national services still match
        ("SW1A 1AA", "SW", "SW1A"),
        ("M1", "M", "M1"),
    ],
)
def test_postcodes(shipped: Directory, text: str, area: str, district: str | None) -> None:
    where = parse_where(text, shipped.places)
    assert where is not None
    assert (where.area, where.district, where.label) == (area, district, district or area)


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "",
        "   ",
        "12345",
        "XX1 1AA",  # no such postcode area
        "sh1pley",
        "help me",
        "me",  # ME is Medway, but as a reply it is a word
        "so",
        "ta",
        "I'm in M1",  # M1 inside a sentence is as likely the motorway
        "c u l8r",
        "at 3 9am",
        "in the area",
    ],
)
def test_nonsense_is_none(shipped: Directory, text: str) -> None:
    assert parse_where(text, shipped.places) is None


def test_a_broken_inward_code_still_gives_the_district(shipped: Directory) -> None:
    # The district is all the search needs; better local results than none.
    where = parse_where("BD99 ZZZ", shipped.places)
    assert where is not None and where.district == "BD99"
    assert (where.lat, where.lon) == (53.85, -1.85)  # the BD area's rough centre


@pytest.mark.parametrize(
    ("text", "label", "district"),
    [
        ("Shipley", "Shipley", "BD18"),
        ("shipley please", "Shipley", "BD18"),
        ("in Keighley", "Keighley", "BD21"),
        ("SALTAIRE", "Shipley", "BD18"),
        ("Ilkley!", "Ilkley", "LS29"),
        ("near Leeds", "Leeds", "LS1"),
        ("I'm in Bradford city centre", "Bradford", "BD1"),
        ("Worthing", "Worthing", "BN11"),
    ],
)
def test_place_names(shipped: Directory, text: str, label: str, district: str) -> None:
    where = parse_where(text, shipped.places)
    assert where is not None
    assert (where.label, where.district) == (label, district)
    assert where.lat is not None and where.lon is not None


def test_a_postcode_beats_a_place_name(shipped: Directory) -> None:
    where = parse_where("Shipley, BD21 1AA", shipped.places)
    assert where is not None and where.district == "BD21"


def test_the_full_postcode_is_not_kept(shipped: Directory) -> None:
    where = parse_where("BD18 3AA", shipped.places)
    assert "3AA" not in repr(where)


def test_a_district_the_gazetteer_lacks_gets_its_area_centre(shipped: Directory) -> None:
    where = parse_where("BD11", shipped.places)
    assert where == Where(area="BD", district="BD11", label="BD11", lat=53.85, lon=-1.85)


def test_an_area_the_gazetteer_lacks_has_no_coordinates(shipped: Directory) -> None:
    where = parse_where("M1 1AE", shipped.places)
    assert where is not None and (where.lat, where.lon) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bd183aa", "BD18 3AA"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("ls6  2ab", "LS6 2AB"),
        ("BD18", None),
        ("BD18 3CA", None),  # C never appears in the last two letters
        ("QQ1 1AA", None),
    ],
)
def test_normalise_postcode(text: str, expected: str | None) -> None:
    assert normalise_postcode(text) == expected


def test_split_outward() -> None:
    assert split_outward("bd18") == ("BD", "BD18")
    assert split_outward("BD") == ("BD", None)
    assert split_outward("ls 29") == ("LS", "LS29")
    assert split_outward("BD18 3AA") is None
    assert split_outward("XX") is None


def test_every_uk_postcode_area_is_known() -> None:
    assert len(POSTCODE_AREAS) == 124
    assert {"BD", "LS", "HD", "HX", "WF", "HG", "GU", "BN", "RH", "TN"} <= POSTCODE_AREAS


class TestSharedLocation:
    def test_near_a_known_place(self, shipped: Directory) -> None:
        where = Where.from_coordinates(53.8301, -1.7802, shipped.places)
        assert (where.area, where.district, where.label) == ("BD", "BD18", "Shipley")
        assert (where.lat, where.lon) == (53.8301, -1.7802)  # their own point, for distance

    def test_between_places_the_nearest_wins(self, shipped: Directory) -> None:
        near_bingley = Where.from_coordinates(53.85, -1.85, shipped.places)
        assert near_bingley.label == "Bingley"
        near_aldershot = Where.from_coordinates(51.25, -0.74, shipped.places)
        assert near_aldershot.district == "GU11"

    def test_far_from_every_known_place(self, shipped: Directory) -> None:
        glasgow = Where.from_coordinates(55.86, -4.25, shipped.places)
        assert (glasgow.area, glasgow.district, glasgow.label) == ("", None, "")
        assert (glasgow.lat, glasgow.lon) == (55.86, -4.25)


def test_the_gazetteer_has_every_place_the_service_needs(shipped: Directory) -> None:
    places = shipped.places
    for name in [
        "Bradford", "Shipley", "Keighley", "Bingley", "Ilkley", "Skipton", "Otley", "Leeds",
        "Huddersfield", "Halifax", "Wakefield", "Harrogate", "Aldershot", "Guildford",
        "Brighton", "Crawley", "Eastbourne", "Hastings", "Worthing",
    ]:  # fmt: skip
        assert places.place(name) is not None, name
    assert set(places.areas) == {"BD", "LS", "HD", "HX", "WF", "HG", "GU", "BN", "RH", "TN"}
    for place in places.places:
        area = split_outward(place.district)
        assert area is not None and area[0] in places.areas, place.name
