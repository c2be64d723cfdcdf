"""The starter directory says what directory-facts.md says, no more."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from bot.directory import Access, Directory, Entry, Group, Status, default_directory_path

UNVERIFIED = {
    "haven-cellar-trust",
    "the-sanctuary-bradford",
    "carers-resource-bradford",
    "carers-resource-skipton",
    "carers-resource-harrogate",
    "sharing-voices-bradford",
    "guide-line-bradford",
    "lslcs-connect",
    "carers-uk-helpline",
    "rethink-advice-line",
    "youngminds-parents-helpline",
    "switchboard-lgbt",
    "muslim-youth-helpline",
    "mind-supportline",
}


def get(directory: Directory, entry_id: str) -> Entry:
    entry = directory.get(entry_id)
    assert entry is not None, entry_id
    return entry


def test_files(shipped: Directory) -> None:
    assert set(shipped.files.values()) == {
        "national.yaml",
        "bradford.yaml",
        "leeds-west-yorkshire.yaml",
        "examples-elsewhere.yaml",
    }
    assert (default_directory_path() / "places.yaml").exists()


def test_every_entry_records_its_source_and_when_it_was_checked(shipped: Directory) -> None:
    for entry in shipped.entries:
        assert entry.source.strip(), entry.id
        assert entry.verified_on == date(2026, 11, 1), entry.id


def test_unverified_facts_ship_unverified(shipped: Directory) -> None:
    unverified = {e.id for e in shipped.entries if e.status is Status.UNVERIFIED}
    assert unverified == UNVERIFIED
    assert not any(e.status is Status.CLOSED for e in shipped.entries)


@pytest.mark.parametrize(
    ("entry_id", "phone", "hours"),
    [
        ("emergency-999", "999", "24/7"),
        ("nhs-111-mental-health", "111", "24/7"),
        ("samaritans", "116 123", "24/7"),
        ("papyrus-hopeline247", "0800 068 4141", "24/7"),
        ("calm", "0800 58 58 58", "17:00-24:00"),
        ("childline", "0800 1111", "24/7"),
        ("saneline", "0300 304 7000", "16:00-22:00"),
        ("mind-infoline", "0300 123 3393", "Mo-Fr 09:00-18:00; PH off"),
        ("first-response-bradford", "0800 952 1181", "24/7"),
        ("dial-house-leeds", "0113 260 9328", "Mo,We,Fr,Sa,Su 18:00-01:00"),
        ("well-bean-huddersfield", "07741 900395", "Sa,Su,Mo 18:00-24:00"),
    ],
)
def test_numbers_and_hours(shipped: Directory, entry_id: str, phone: str, hours: str) -> None:
    entry = get(shipped, entry_id)
    assert (entry.status, entry.contact.phone, entry.hours) == (Status.ACTIVE, phone, hours)


def test_shout_is_a_text_line(shipped: Directory) -> None:
    shout = get(shipped, "shout")
    assert (shout.contact.text, shout.contact.text_keyword, shout.contact.phone) == (
        "85258",
        "SHOUT",
        None,
    )


def test_first_response_old_number_is_nowhere(shipped: Directory) -> None:
    numbers = {e.contact.phone for e in shipped.entries} | {e.contact.text for e in shipped.entries}
    assert "01274 221181" not in numbers
    first_response = get(shipped, "first-response-bradford")
    assert first_response.area.postcodes == ("BD", "LS29")
    assert Group.CARERS in first_response.who.audiences


def test_dial_house_closes_at_the_earlier_time_and_says_why(shipped: Directory) -> None:
    dial_house = get(shipped, "dial-house-leeds")
    assert dial_house.notes is not None and "conflict" in dial_house.notes
    assert "02:00" not in (dial_house.hours or "")


def test_referral_only_havens(shipped: Directory) -> None:
    for entry_id in ("haven-cellar-trust", "the-sanctuary-bradford"):
        entry = get(shipped, entry_id)
        assert entry.access is Access.REFERRAL
        assert entry.referral_via is not None and "First Response" in entry.referral_via


def test_examples_elsewhere(shipped: Directory) -> None:
    aldershot = get(shipped, "aldershot-safe-haven")
    assert aldershot.hours == "Mo-Fr 18:00-23:00; Sa,Su,PH 12:30-23:00"
    assert aldershot.access is Access.WALK_IN
    sites = [e for e in shipped.entries if e.id.startswith("staying-well-")]
    assert {e.place.town for e in sites if e.place} == {
        "Brighton",
        "Crawley",
        "Eastbourne",
        "Hastings",
        "Worthing",
    }
    assert {e.hours for e in sites} == {"Mo-Fr 17:00-22:30; Sa,Su 15:00-22:30"}
    assert {e.who.ages for e in sites} == {(18, None)}


def test_every_town_is_in_the_gazetteer(shipped: Directory) -> None:
    for entry in shipped.entries:
        if entry.place is not None and entry.place.town is not None:
            assert shipped.location_of(entry) is not None, entry.id


def test_the_example_in_the_readme_is_a_valid_entry() -> None:
    readme = (default_directory_path() / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    example = Entry.model_validate(yaml.safe_load(block.group(1))["entries"][0])
    assert example.place is not None and example.place.postcode == "HD1 1AA"
