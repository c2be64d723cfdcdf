"""The leads' directory pages over HTTP against a real `waitingroom serve`: filters, edits,
verification, close and reopen, bad input refused by field, and changes live at once."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlencode

from ..web.test_webchat import Person
from .conftest import Dashboard, Desk

HAVEN = "/dashboard/directory/entry/haven-cellar-trust"


def _form(desk: Desk, path: str) -> dict[str, str]:
    """The entry form's current values, as a browser would send them back."""
    import re

    page = desk.get(path).text
    form = page[page.index('class="entry-form"') :]
    values = dict(re.findall(r'<input id="[^"]+" name="([^"]+)" value="([^"]*)"', form))
    values.update(re.findall(r'name="(updated_at)" value="([^"]*)"', form)[:1])
    for name in ("kind", "access"):
        chosen = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', form, re.S)
        assert chosen
        values[name] = re.search(r'value="([^"]+)" selected', chosen.group(1)).group(1)  # type: ignore[union-attr]
    values["notes"] = re.search(r'name="notes" rows="3">(.*?)</textarea>', form, re.S).group(1)  # type: ignore[union-attr]
    values.pop("national", None)
    if re.search(r'name="national" value="1" checked', form):
        values["national"] = "1"
    return values


def _audiences(desk: Desk, path: str) -> list[str]:
    import re

    return re.findall(r'name="audiences" value="([^"]+)" checked', desk.get(path).text)


def _post_form(desk: Desk, path: str, values: dict[str, str], audiences: list[str]):  # type: ignore[no-untyped-def]
    data = [("csrf", desk.csrf()), *values.items(), *(("audiences", a) for a in audiences)]
    return desk.client.post(
        path,
        content=urlencode(data),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


def _body(dashboard: Dashboard, entry_id: str) -> dict[str, object]:
    with sqlite3.connect(dashboard.served.db) as db:
        row = db.execute("SELECT body FROM directory_entries WHERE id = ?", (entry_id,)).fetchone()
    return dict(json.loads(row[0]))


def _history(dashboard: Dashboard, entry_id: str) -> list[tuple[str, str]]:
    with sqlite3.connect(dashboard.served.db) as db:
        return list(
            db.execute(
                "SELECT action, by FROM directory_history WHERE entry_id = ? ORDER BY id",
                (entry_id,),
            )
        )


def _somewhere(url: str, where: str) -> str:
    person = Person(url)
    try:
        person.say("hello")
        person.send(option="somewhere")
        person.replies(1)
        return str(person.say(where)[-1]["text"])
    finally:
        person.client.close()


def test_the_list_filters_by_state_area_kind_and_audience(dashboard: Dashboard) -> None:
    lead = dashboard.lead()
    unverified = lead.get("/dashboard/directory?show=unverified").text
    assert "Haven (The Cellar Trust)" in unverified and "Samaritans" not in unverified
    leeds = lead.get("/dashboard/directory?area=LS").text
    assert "Dial House" in leeds and "Haven (The Cellar Trust)" not in leeds
    carers = lead.get("/dashboard/directory?audience=carers&kind=carer_support").text
    assert "Carers&#39; Resource (Bradford)" in carers and "Samaritans" not in carers
    bad = lead.get("/dashboard/directory?area=ZZ9")
    assert bad.status_code == 400 and "Area (postcode area" in bad.text
    assert "not a UK postcode area or district" in bad.text


def test_bad_hours_or_an_unknown_postcode_area_change_nothing_and_name_the_field(
    dashboard: Dashboard,
) -> None:
    lead = dashboard.lead()
    path = "/dashboard/directory/entry/guide-line-bradford"
    before, history = (
        _body(dashboard, "guide-line-bradford"),
        _history(dashboard, "guide-line-bradford"),
    )
    values, audiences = _form(lead, path), _audiences(lead, path)
    refused = _post_form(lead, path, {**values, "hours": "Mo-Fr 25:00-26:00"}, audiences)
    assert refused.status_code == 400
    assert (
        "Nothing was saved" in refused.text
        and "Opening hours: not valid opening_hours" in refused.text
    )
    assert 'value="Mo-Fr 25:00-26:00"' in refused.text  # what they typed is kept to fix
    refused = _post_form(lead, path, {**values, "postcodes": "BD, QQ1"}, audiences)
    assert refused.status_code == 400 and "Postcode areas or districts" in refused.text
    assert _body(dashboard, "guide-line-bradford") == before
    assert _history(dashboard, "guide-line-bradford") == history


def test_hours_are_checked_as_the_lead_types(dashboard: Dashboard) -> None:
    lead = dashboard.lead()
    ok = lead.client.get(
        "/dashboard/directory/hours",
        params={"hours": "Mo-Fr 10:00-18:00", "at": "2026-12-01T11:00"},
    )
    assert "would be <strong>open</strong>" in ok.text and "closing Tue 01 Dec 18:00" in ok.text
    night = lead.client.get(
        "/dashboard/directory/hours",
        params={"hours": "Mo-Fr 10:00-18:00", "at": "2026-12-05T11:00"},
    )
    assert "<strong>closed</strong>" in night.text and "opening Mon 07 Dec 10:00" in night.text
    bad = lead.client.get("/dashboard/directory/hours", params={"hours": "tuesdays", "at": ""})
    assert "Opening hours: not valid opening_hours syntax" in bad.text


def test_an_edit_is_kept_with_its_history_and_languages_and_communities(
    dashboard: Dashboard,
) -> None:
    lead = dashboard.lead()
    path = "/dashboard/directory/entry/dial-house-leeds"
    values, audiences = _form(lead, path), _audiences(lead, path)
    saved = _post_form(
        lead,
        path,
        {**values, "languages": "English, Urdu", "communities": "young Black men"},
        audiences,
    )
    assert saved.status_code == 303, saved.text[:2000]
    body = _body(dashboard, "dial-house-leeds")
    assert body["for"]["languages"] == ["English", "Urdu"]  # type: ignore[index]
    assert body["for"]["communities"] == ["young Black men"]  # type: ignore[index]
    page = lead.get(path).text
    assert (
        "Languages spoken, Communities served" in page
        or "Communities served, Languages spoken" in page
    )
    assert ("edit", dashboard.lead_id) in _history(dashboard, "dial-house-leeds")
    # A second save from the page opened before the first is refused, not silently lost.
    stale = _post_form(lead, path, {**values, "notes": "old page"}, audiences)
    assert stale.status_code == 409 and "changed by someone else" in stale.text


def test_a_lead_verifies_a_service_and_people_are_offered_it_at_once_then_closes_it(
    dashboard: Dashboard,
) -> None:
    url = dashboard.served.url
    assert "Haven" not in _somewhere(url, "BD18")
    lead = dashboard.lead()
    no_source = lead.post(f"{HAVEN}/verify", {"checked_source": ""})
    assert no_source.status_code == 400 and "What you checked" in no_source.text
    verified = lead.post(f"{HAVEN}/verify", {"checked_source": "Phoned the Haven, 1 Dec 2026"})
    assert verified.status_code == 303
    with sqlite3.connect(dashboard.served.db) as db:
        by, source, status = db.execute(
            "SELECT verified_by, verified_source, status FROM directory_entries WHERE id = ?",
            ("haven-cellar-trust",),
        ).fetchone()
    assert (by, source, status) == (dashboard.lead_id, "Phoned the Haven, 1 Dec 2026", "active")
    page = lead.get(HAVEN).text
    assert "by Lena" in page and "against: Phoned the Haven, 1 Dec 2026" in page
    offered = _somewhere(url, "BD18")
    assert "Haven (The Cellar Trust)" in offered
    assert offered.index("Haven (The Cellar Trust)") < offered.index("First Response")

    assert lead.post(f"{HAVEN}/close").status_code == 303
    assert "Haven" not in _somewhere(url, "BD18")
    assert lead.post(f"{HAVEN}/reopen").status_code == 303
    assert _body(dashboard, "haven-cellar-trust")["status"] == "unverified"
    assert [a for a, _ in _history(dashboard, "haven-cellar-trust")] == [
        "seed",
        "verify",
        "close",
        "reopen",
    ]


def test_a_new_service_arrives_unverified_and_is_on_the_leads_to_do(dashboard: Dashboard) -> None:
    lead = dashboard.lead()
    values = {
        "name": f"Test café {dashboard.suffix}",
        "kind": "crisis_cafe",
        "postcodes": "BD1",
        "hours": "Fr,Sa 18:00-23:00",
        "access": "walk_in",
        "cost": "free",
        "source": "leaflet",
        "languages": "Urdu, Punjabi",
    }
    added = _post_form(lead, "/dashboard/directory/new", values, ["everyone"])
    assert added.status_code == 303
    entry_id = added.headers["location"].split("/")[-1].split("?")[0]
    assert _body(dashboard, entry_id)["status"] == "unverified"
    home = lead.get("/dashboard").text
    assert f'href="/dashboard/directory/entry/{entry_id}"' in home and "Directory: to check" in home
    again = _post_form(lead, "/dashboard/directory/new", {**values, "id": entry_id}, ["everyone"])
    assert again.status_code == 400 and "already in the directory" in again.text
    # Supporters do not see the lead's to-do.
    assert "Directory: to check" not in dashboard.supporter().get("/dashboard").text
