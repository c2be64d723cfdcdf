"""What a person is told from the directory, as the words they read: honest when nothing
checked is near, what they came for first, carer support for carers, languages and
communities asked for, and the urgent reply's local line for their own area."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.config import load_settings
from bot.directory import LONDON, Directory, Status, load_directory
from bot.directory.editing import body_of, entry_from_body, replace_entries, with_status
from bot.engine import Outcome
from bot.service import wording_for
from bot.wording import Wording

from .conftest import pressed
from .playing import play

TUESDAY_9PM = datetime(2026, 12, 1, 21, 0, tzinfo=LONDON)
TUESDAY_NOON = datetime(2026, 12, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory()


@pytest.fixture(scope="module")
def wording() -> Wording:
    return wording_for(load_settings({}))


def _verified(directory: Directory, *ids: str, **changes: dict[str, object]) -> Directory:
    """The directory with these entries verified (and their bodies changed as given)."""
    changed = []
    for entry_id in ids:
        entry = directory.get(entry_id)
        assert entry is not None
        body = body_of(entry)
        for name, value in changes.get(entry_id.replace("-", "_"), {}).items():
            body[name] = value
        changed.append(with_status(entry_from_body(body), Status.ACTIVE))
    entries = tuple(replace_entries(directory.entries, changed))
    return Directory(entries=entries, places=directory.places)


def _added(directory: Directory, body: dict[str, object]) -> Directory:
    entry = entry_from_body(body, directory.places)
    return Directory(entries=(*directory.entries, entry), places=directory.places)


def _text(wording: Wording, outcome: Outcome) -> str:
    return "\n".join(wording.render(reply).text for reply in outcome.replies)


def test_nothing_checked_near_is_said_plainly_then_the_general_lines(
    shipped: Directory, wording: Wording
) -> None:
    _, outcomes = play(["hi", "somewhere to go", "BD1"], directory=shipped, now=TUESDAY_9PM)
    text = _text(wording, outcomes[-1])
    assert text.startswith("I don't have a checked place near BD1 yet.")
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert [line.split(":")[0] for line in lines] == [
        "- First Response (Bradford District Care NHS Foundation Trust)",
        "- NHS 111, mental health option",
        "- Samaritans",
    ]


def test_a_verified_place_comes_before_the_lines_even_when_closed(
    shipped: Directory, wording: Wording
) -> None:
    directory = _verified(shipped, "haven-cellar-trust")
    _, outcomes = play(["hi", "somewhere to go", "BD18"], directory=directory, now=TUESDAY_9PM)
    text = _text(wording, outcomes[-1])
    assert text.startswith("Nothing near BD18 is open right now:")
    assert (
        "- Haven (The Cellar Trust): safe haven, ages 16 and over.\nClosed, opens tomorrow 10:00."
        in text
    )
    _, outcomes = play(["hi", "somewhere to go", "BD18"], directory=directory, now=TUESDAY_NOON)
    text = _text(wording, outcomes[-1])
    assert text.startswith("Near BD18:\n- Haven (The Cellar Trust)")
    assert "Open now till 18:00." in text


def test_support_for_me_as_a_carer_lists_carer_support_first(
    shipped: Directory, wording: Wording
) -> None:
    directory = _verified(
        shipped,
        "carers-resource-bradford",
        carers_resource_bradford={"hours": "Mo-Fr 09:00-17:00"},
    )
    sent = ["hi", "carer", "yes", pressed("carer_support"), "BD18"]
    _, outcomes = play(sent, directory=directory, now=TUESDAY_NOON)
    text = _text(wording, outcomes[-1])
    assert text.startswith("Support for you, near BD18:\n- Carers' Resource (Bradford)")
    assert "- Carers' Resource (Bradford): carer support, only for carers." in text
    # Without it verified, the carer is told so, not handed the person's crisis list as theirs.
    _, outcomes = play(sent, directory=shipped, now=TUESDAY_NOON)
    text = _text(wording, outcomes[-1])
    assert text.startswith("I don't have checked carer support near BD18 yet.")


def test_a_service_for_one_group_says_so_in_words_that_cannot_be_misread(
    shipped: Directory, wording: Wording
) -> None:
    more = [pressed("more")] * 3
    _, outcomes = play(["hi", "somewhere to go", "BD18", *more], directory=shipped, now=TUESDAY_9PM)
    text = "\n".join(_text(wording, outcome) for outcome in outcomes[2:])
    assert "- CALM: crisis line, for anyone, especially men." in text


URDU_CAFE = {
    "id": "urdu-cafe",
    "name": "Roshni café",
    "kind": "crisis_cafe",
    "status": "active",
    "for": {"audiences": ["everyone"], "languages": ["English", "Urdu", "Punjabi"]},
    "area": {"postcodes": ["BD"]},
    "hours": "24/7",
    "access": "walk_in",
    "source": "test",
    "verified_on": "2026-11-20",
}
YOUNG_MEN = {
    **URDU_CAFE,
    "id": "young-men-group",
    "name": "Brothers in mind",
    "kind": "peer_group",
    "for": {"audiences": ["everyone"], "communities": ["young Black men"]},
}


def test_a_person_asks_for_somewhere_that_speaks_urdu(shipped: Directory, wording: Wording) -> None:
    directory = _added(_added(shipped, YOUNG_MEN), URDU_CAFE)
    _, outcomes = play(["hi", "somewhere that speaks urdu", "BD18"], directory=directory)
    asked = _text(wording, outcomes[1])
    assert asked.startswith("I'll look for somewhere speaking Urdu. Where are you?")
    text = _text(wording, outcomes[-1])
    assert "Services speaking Urdu come first." in text
    first = next(line for line in text.splitlines() if line.startswith("- "))
    assert first.startswith("- Roshni café")
    assert "Speaks English, Urdu, Punjabi." in text


def test_a_person_asks_for_a_group_for_young_black_men(
    shipped: Directory, wording: Wording
) -> None:
    directory = _added(_added(shipped, URDU_CAFE), YOUNG_MEN)
    _, outcomes = play(["hi", "somewhere to go", "BD3", "for young black men"], directory=directory)
    text = _text(wording, outcomes[-1])
    first = next(line for line in text.splitlines() if line.startswith("- "))
    assert first.startswith("- Brothers in mind")
    assert "Serves young Black men." in text
    _, outcomes = play(["hi", "somewhere for young black men", "BD3"], directory=shipped)
    text = _text(wording, outcomes[-1])
    assert "I don't have a checked service for Black people, men, young people yet" in text


def test_the_urgent_reply_gives_the_local_crisis_line_of_the_persons_own_area(
    shipped: Directory, wording: Wording
) -> None:
    leeds_line = _verified(shipped, "lslcs-connect", lslcs_connect={"hours": "24/7"})
    _, outcomes = play(
        ["hi", "somewhere to go", "LS6", "I want to kill myself"], directory=leeds_line
    )
    text = _text(wording, outcomes[-1])
    assert "999" in text and "116 123" in text
    assert "LSLCS Connect: 0808 800 1212 (24/7)" in text
    assert "0800 952 1181" not in text  # Bradford's line is not a Leeds person's
    # Only verified lines: with the Leeds line unverified, no local line, and still not Bradford's.
    _, outcomes = play(["hi", "somewhere to go", "LS6", "I want to kill myself"], directory=shipped)
    text = _text(wording, outcomes[-1])
    assert "0808 800 1212" not in text and "0800 952 1181" not in text and "116 123" in text
    # In Bradford: First Response; area unknown: the service's own contacts (First Response too).
    _, outcomes = play(
        ["hi", "somewhere to go", "BD18", "I want to kill myself"], directory=shipped
    )
    assert "First Response (Bradford District Care NHS Foundation Trust): 0800 952 1181" in _text(
        wording, outcomes[-1]
    )
    _, outcomes = play(["hi", "I want to kill myself"], directory=shipped)
    assert "0800 952 1181" in _text(wording, outcomes[-1])
