"""Open Referral UK (HSDS): the live directory out as JSON or CSV and back in, changing
only what was edited; a malformed file changes nothing and names what is wrong."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.directory import Directory, Status, hsds, load_directory

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory()


def _service(document: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in document["services"] if s["id"] == service_id)


def _plan(document: Any, directory: Directory) -> hsds.ImportPlan:
    return hsds.plan_import(
        json.loads(json.dumps(document)),
        directory.entries,
        source="test file",
        today=TODAY,
        places=directory.places,
    )


def test_an_export_read_back_changes_nothing(shipped: Directory) -> None:
    document = hsds.export(shipped.entries)
    assert {"id", "name", "organization", "phones", "schedules", "service_areas"} <= set(
        document["services"][0]
    )
    plan = _plan(document, shipped)
    assert (plan.added, plan.changed, plan.closed) == ([], [], [])
    assert plan.unchanged == len(shipped.entries)
    as_csv = hsds.from_csv(hsds.to_csv(document))
    assert _plan(as_csv, shipped).unchanged == len(shipped.entries)


def test_the_mapping_of_one_service(shipped: Directory) -> None:
    shout = _service(hsds.export(shipped.entries), "shout")
    assert shout["phones"] == [
        {
            "id": "shout-text",
            "service_id": "shout",
            "number": "85258",
            "type": "text",
            "description": "SHOUT",
        }
    ]
    assert [a["name"] for a in shout["service_areas"]] == ["United Kingdom"]
    haven = _service(hsds.export(shipped.entries), "haven-cellar-trust")
    schedule = haven["schedules"][0]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY",
        "MO,TU,WE,TH,FR,SA,SU",
        "10:00",
        "18:00",
    )
    address = haven["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["city"]) == (
        "The Cellar Trust, Farfield Road, Shipley",
        "Shipley",
    )


def test_only_what_was_edited_changes_and_arrives_unverified(shipped: Directory) -> None:
    document = copy.deepcopy(hsds.export(shipped.entries))
    _service(document, "first-response-bradford")["schedules"] = [
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}
    ]
    _service(document, "calm")["status"] = "inactive"
    document["services"].append(
        {
            "id": "3f1c9a2e-0000-4000-8000-000000000001",  # a council's UUID
            "name": "Sunrise Crisis Café",
            "service_areas": [{"name": "BD1"}],
            "languages": [{"name": "Urdu"}, {"name": "Punjabi"}],
            "schedules": [{"byday": "FR,SA", "opens_at": "18:00", "closes_at": "23:00"}],
            "phones": [{"number": "01274 000000", "type": "voice"}],
        }
    )
    plan = _plan(document, shipped)
    assert [(old.id, parts) for old, _, parts in plan.changed] == [
        ("first-response-bradford", ["schedules"])
    ]
    _, changed, _ = plan.changed[0]
    assert changed.hours == "Mo,Tu,We,Th,Fr 09:00-17:00"
    assert changed.status is Status.UNVERIFIED and changed.source == "test file"
    assert changed.contact.phone == "0800 952 1181"  # untouched parts kept
    assert [e.id for e in plan.closed] == ["calm"]
    (added,) = plan.added
    assert added.id == "3f1c9a2e-0000-4000-8000-000000000001"
    assert (added.status, added.hours, added.area.postcodes) == (
        Status.UNVERIFIED,
        "Fr,Sa 18:00-23:00",
        ("BD1",),
    )
    assert added.who.languages == ("Urdu", "Punjabi")


@pytest.mark.parametrize(
    ("service", "needle"),
    [
        (
            {"id": "x", "name": "X", "service_areas": [{"name": "ZZ9"}]},
            "field 'service_areas.name'",
        ),
        ({"id": "x", "name": "X", "schedules": [{"description": "whenever"}]}, "field 'schedules'"),
        (
            {
                "id": "x",
                "name": "X",
                "schedules": [{"byday": "XX", "opens_at": "10:00", "closes_at": "11:00"}],
            },
            "schedules.byday",
        ),
        ({"id": "x", "name": "X", "phones": [{"number": "12", "type": "voice"}]}, "contact.phone"),
        ({"name": ""}, "field 'id'"),
        ("not an object", "expected an object"),
    ],
)
def test_a_malformed_service_is_refused_naming_the_field(
    shipped: Directory, service: Any, needle: str
) -> None:
    with pytest.raises(hsds.HsdsProblems) as refused:
        _plan({"services": [service]}, shipped)
    assert any(needle in problem for problem in refused.value.problems), refused.value.problems


def test_a_document_without_services_is_refused(shipped: Directory) -> None:
    with pytest.raises(hsds.HsdsProblems, match="'services' list"):
        _plan({"organizations": []}, shipped)


# -- the command line, on a real database --------------------------------------------


def _run(db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "directory", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WAITINGROOM_DB": str(db)},
    )


def _rows(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT id, status, body FROM directory_entries ORDER BY id"))


def _history(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM directory_history").fetchone()[0])


def test_export_edit_import_round_trip_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    exported = tmp_path / "directory.json"
    assert _run(db, "export", "--format", "hsds", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert len(document["services"]) == 34
    before, history = _rows(db), _history(db)

    _service(document, "haven-cellar-trust")["schedules"][0]["opens_at"] = "09:00"
    _service(document, "mind-infoline")["status"] = "inactive"
    document["services"].append(
        {"id": "new-cafe", "name": "New café", "service_areas": [{"name": "BD18"}]}
    )
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")

    dry = _run(db, "import", str(edited), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would add 1, change 1, close 1; 32 unchanged." in dry.stdout
    assert "changed: haven-cellar-trust: schedules; now unverified" in dry.stdout
    assert "closed: mind-infoline" in dry.stdout and "added: new-cafe" in dry.stdout
    assert (_rows(db), _history(db)) == (before, history)  # a dry run changes nothing

    done = _run(db, "import", str(edited))
    assert done.returncode == 0, done.stderr
    after = {row[0]: row for row in _rows(db)}
    assert after["mind-infoline"][1] == "closed"
    assert json.loads(after["haven-cellar-trust"][2])["hours"] == "Mo,Tu,We,Th,Fr,Sa,Su 09:00-18:00"
    assert "Open Referral UK import from edited.json" in json.loads(after["new-cafe"][2])["source"]
    untouched = {row[0]: row for row in before}
    assert all(
        after[k] == untouched[k]
        for k in untouched
        if k not in ("haven-cellar-trust", "mind-infoline")
    )
    assert _history(db) == history + 3

    again = _run(db, "import", str(edited), "--dry-run")
    assert "Would add 0, change 0, close 0; 35 unchanged." in again.stdout
    search = _run(db, "search", "--where", "BD18")
    assert "Mind Infoline" not in search.stdout  # closed by the import, and search is live


def test_a_csv_package_in_a_zip_round_trips(tmp_path: Path) -> None:
    db = tmp_path / "wr.sqlite3"
    folder = tmp_path / "csv"
    assert _run(db, "export", "--format", "hsds-csv", str(folder)).returncode == 0
    assert {
        "services.csv",
        "organizations.csv",
        "locations.csv",
        "phones.csv",
        "schedules.csv",
    } <= {p.name for p in folder.iterdir()}
    phones = (folder / "phones.csv").read_text(encoding="utf-8")
    (folder / "phones.csv").write_text(phones.replace("116 123", "0330 094 5717"), encoding="utf-8")
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, f"hsds/{path.name}")
    dry = _run(db, "import", str(package), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would add 0, change 0, close 0" not in dry.stdout
    assert "changed: samaritans: phones; now unverified" in dry.stdout
    assert "0330 094 5717" not in str(_rows(db))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "not JSON"),
        (
            '{"services": [{"id": "x", "name": "X", "service_areas": [{"name": "QQ1"}]}]}',
            "field 'service_areas.name'",
        ),
        ('{"services": "nope"}', "'services' list"),
    ],
)
def test_a_malformed_import_changes_nothing(tmp_path: Path, content: str, needle: str) -> None:
    db = tmp_path / "wr.sqlite3"
    assert _run(db, "check").returncode == 0  # seeds the live directory
    before, history = _rows(db), _history(db)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    refused = _run(db, "import", str(bad))
    assert refused.returncode == 1
    assert "Nothing imported" in refused.stderr and needle in refused.stderr
    assert (_rows(db), _history(db)) == (before, history)
