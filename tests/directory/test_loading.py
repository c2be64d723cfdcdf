"""Loading the directory: every mistake a lead can make is named by file, entry and field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.directory import DirectoryError, Kind, Status, default_directory_path, load_directory

MakeEntry = Callable[..., dict[str, Any]]
MakeFolder = Callable[..., Path]


def problems(folder: Path) -> list[str]:
    with pytest.raises(DirectoryError) as caught:
        load_directory(folder)
    return caught.value.problems


def only_problem(folder: Path) -> str:
    found = problems(folder)
    assert len(found) == 1, found
    return found[0]


def test_default_path_is_the_repo_directory_folder() -> None:
    path = default_directory_path()
    assert path.name == "directory"
    assert (path.parent / "bot" / "directory" / "__init__.py").exists()


def test_a_valid_folder_loads(make_folder: MakeFolder, make_entry: MakeEntry) -> None:
    folder = make_folder({"local.yaml": [make_entry("local-cafe", area={"postcodes": ["bd18"]})]})
    directory = load_directory(folder)
    cafe = directory.get("local-cafe")
    assert cafe is not None
    assert cafe.area.postcodes == ("BD18",)  # normalised
    assert cafe.kind is Kind.CRISIS_LINE and cafe.status is Status.ACTIVE
    assert cafe.cost == "free"
    assert directory.files["local-cafe"] == "local.yaml"
    assert directory.get("nothing-here") is None


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"hourz": "24/7"}, "hourz", "Extra inputs are not permitted"),
        ({"contact": {"phone": "0800 123"}}, "contact.phone", "not a valid UK phone number"),
        ({"contact": {"phone": "01234"}}, "contact.phone", "not a valid UK phone number"),
        ({"contact": {"email": "jo at example"}}, "contact.email", "not an email address"),
        ({"contact": {"web": "hubofhope.co.uk"}}, "contact.web", "http"),
        ({"contact": {"text_keyword": "SHOUT"}}, "contact.text_keyword", "needs a 'text'"),
        ({"hours": "Mo-Fr 9-5"}, "hours", "not valid opening_hours syntax"),
        ({"hours": ""}, "hours", "empty"),
        ({"hours": "Mo-Fr 09:00-17:00; SH off"}, "hours", "school holidays"),
        ({"hours": "sunrise-sunset"}, "hours", "clock times"),
        ({"hours": "Mo-Fr 09:00-17:00, PH 10:00-12:00"}, "hours", "PH is understood only"),
        ({"hours": "Dec PH off"}, "hours", "PH is understood only"),
        ({"hours": "Mo-Fr 09:00-17:00 || PH off"}, "hours", "fallback"),
        ({"hours": None}, "hours", "an active entry needs hours"),
        ({"access": "referral"}, "referral_via", "who refers people"),
        ({"access": "drop_in"}, "access", "walk_in"),
        ({"kind": "hospital"}, "kind", "crisis_line"),
        ({"status": "maybe"}, "status", "active"),
        ({"for": {"audiences": ["carers", "pensioners"]}}, "for.audiences.1", "everyone"),
        ({"for": {"audiences": []}}, "for.audiences", "at least 1"),
        ({"for": {"audiences": ["everyone"], "ages": [30, 18]}}, "for.ages", "above max"),
        ({"for": {"audiences": ["everyone"], "ages": ["18", None]}}, "for.ages.0", "integer"),
        ({"area": {"national": True, "postcodes": ["BD"]}}, "area", "not both"),
        ({"area": {}}, "area", "either"),
        ({"area": {"national": "yes"}}, "area.national", "boolean"),
        ({"area": {"postcodes": ["BD18", "XX9"]}}, "area.postcodes", "XX9"),
        ({"place": {"postcode": "BD18"}}, "place.postcode", "not a full UK postcode"),
        ({"place": {"town": "Atlantis"}}, "place.town", "not in places.yaml"),
        ({"place": {"lat": 53.8}}, "place", "both lat and lon"),
        ({"id": "Not A Slug"}, "id", "pattern"),
        ({"verified_on": "last week"}, "verified_on", "date"),
        ({"source": ""}, "source", "at least 1"),
    ],
)
def test_each_mistake_names_file_entry_and_field(
    make_folder: MakeFolder, make_entry: MakeEntry, fields: dict[str, Any], field: str, words: str
) -> None:
    folder = make_folder({"bradford.yaml": [make_entry("wrong-one", **fields)]})
    problem = only_problem(folder)
    entry_name = fields.get("id", "wrong-one")
    assert problem.startswith(f"bradford.yaml: entry '{entry_name}': field '{field}': "), problem
    assert words in problem


def test_every_problem_is_reported_at_once(make_folder: MakeFolder, make_entry: MakeEntry) -> None:
    folder = make_folder(
        {
            "a.yaml": [make_entry("one", hours="nonsense"), make_entry("two", kind="bus")],
            "b.yaml": [make_entry("three", contact={"phone": "12"})],
        }
    )
    found = problems(folder)
    assert [p.split(": field")[0] for p in found] == [
        "a.yaml: entry 'one'",
        "a.yaml: entry 'two'",
        "b.yaml: entry 'three'",
    ]
    assert "a.yaml: entry 'one'" in str(DirectoryError(found))


def test_an_entry_without_an_id_is_named_by_position(
    make_folder: MakeFolder, make_entry: MakeEntry
) -> None:
    nameless = make_entry()
    del nameless["id"]
    folder = make_folder({"national.yaml": [make_entry("fine"), nameless]})
    assert only_problem(folder) == "national.yaml: entry #2 (no id): field 'id': Field required"


def test_ids_are_unique_across_files(make_folder: MakeFolder, make_entry: MakeEntry) -> None:
    folder = make_folder({"a.yaml": [make_entry("twice")], "b.yaml": [make_entry("twice")]})
    assert only_problem(folder) == "b.yaml: entry 'twice': field 'id': already used in a.yaml"


def test_yaml_mistakes_name_the_file(make_folder: MakeFolder) -> None:
    folder = make_folder({"broken.yaml": "entries:\n  - id: [unclosed\n"})
    problem = only_problem(folder)
    assert problem.startswith("broken.yaml: cannot read:")
    assert "line" in problem


def test_a_key_given_twice_is_an_error_not_an_overwrite(make_folder: MakeFolder) -> None:
    text = "entries:\n  - id: twice\n    hours: '24/7'\n    hours: 'Mo 10:00-12:00'\n"
    problem = only_problem(make_folder({"twice.yaml": text}))
    assert problem.startswith("twice.yaml: cannot read:")
    assert "'hours' given twice" in problem


@pytest.mark.parametrize("text", ["- id: a-list\n", "services: []\n", "entries: nope\n"])
def test_a_file_must_hold_an_entries_list(make_folder: MakeFolder, text: str) -> None:
    problem = only_problem(make_folder({"shape.yaml": text}))
    assert problem == "shape.yaml: expected a mapping with one key, 'entries', holding a list"


def test_an_entry_must_be_a_mapping(make_folder: MakeFolder) -> None:
    problem = only_problem(make_folder({"odd.yaml": "entries:\n  - just text\n"}))
    assert problem == "odd.yaml: entry #1 (no id): expected a mapping of fields"


def test_an_empty_file_is_allowed(make_folder: MakeFolder) -> None:
    directory = load_directory(make_folder({"empty.yaml": ""}))
    assert [e.id for e in directory.entries] == ["lifeline"]


def test_short_codes_and_unquoted_numbers_are_phone_numbers(
    make_folder: MakeFolder, make_entry: MakeEntry
) -> None:
    text = (
        "entries:\n"
        "  - id: short-codes\n    name: Short codes\n    kind: text_line\n"
        "    status: active\n    for: {audiences: [everyone]}\n    area: {national: true}\n"
        "    contact: {phone: 999, text: 85258, text_keyword: SHOUT}\n"
        "    hours: 24/7\n    access: self_referral\n    source: test\n"
        "    verified_on: 2026-11-01\n"
    )
    directory = load_directory(make_folder({"codes.yaml": text}))
    codes = directory.get("short-codes")
    assert codes is not None
    assert (codes.contact.phone, codes.contact.text) == ("999", "85258")
    assert codes.verified_on == date(2026, 11, 1)


@pytest.mark.parametrize("number", ["116 123", "111", "0800 952 1181", "07741 900395"])
def test_uk_numbers_pass(make_folder: MakeFolder, make_entry: MakeEntry, number: str) -> None:
    folder = make_folder({"ok.yaml": [make_entry("ok", contact={"phone": number})]})
    loaded = load_directory(folder).get("ok")
    assert loaded is not None and loaded.contact.phone == number


def test_full_postcodes_are_normalised(make_folder: MakeFolder, make_entry: MakeEntry) -> None:
    place = {"postcode": "bd183aa", "town": "shipley", "lat": 53.83, "lon": -1.77}
    folder = make_folder({"ok.yaml": [make_entry("placed", place=place)]})
    placed = load_directory(folder).get("placed")
    assert placed is not None and placed.place is not None
    assert placed.place.postcode == "BD18 3AA"
    assert placed.location == (53.83, -1.77)


def test_entries_that_are_not_active_may_leave_hours_out(
    make_folder: MakeFolder, make_entry: MakeEntry
) -> None:
    folder = make_folder({"maybe.yaml": [make_entry("unsure", status="unverified", hours=None)]})
    unsure = load_directory(folder).get("unsure")
    assert unsure is not None and unsure.hours is None


def test_search_must_always_have_a_national_line(
    make_folder: MakeFolder, make_entry: MakeEntry
) -> None:
    folder = make_folder(
        {"local.yaml": [make_entry("local", area={"postcodes": ["BD"]})]}, lifeline=False
    )
    assert "no active national line for everyone open 24/7" in only_problem(folder)


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nowhere").endswith("nowhere: not a folder")


def test_a_folder_without_places_uses_the_shipped_gazetteer(make_folder: MakeFolder) -> None:
    directory = load_directory(make_folder({}))
    assert directory.places.place("Shipley") is not None


def test_a_broken_gazetteer_names_places_yaml(make_folder: MakeFolder) -> None:
    folder = make_folder(
        {"places.yaml": "places:\n  - {name: Nowhere, district: ZZ1, lat: 53.0, lon: -1.0}\n"}
    )
    problem = only_problem(folder)
    assert problem.startswith("places.yaml: field 'places.0.district':")
    assert "ZZ1" in problem
