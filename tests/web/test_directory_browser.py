"""The leads' directory in Debian's Chromium: a lead verifies Haven and a person in BD18
on the web chat is offered it at once; the lead closes it and it is gone. Screenshots
of the lead's pages go to /tmp/dir-*.png for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.staff.models import Role

from ..conftest import Served, serve, stop
from ..dashboard.conftest import LEAD_PASSWORD, add_account

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Served]:
    # In a thread: Playwright's own event loop is running in this one.
    with ThreadPoolExecutor(1) as pool:
        db = tmp_path / "data" / "waitingroom.sqlite3"
        pool.submit(add_account, db, "lena", Role.LEAD, LEAD_PASSWORD).result()
    served = serve(tmp_path)
    yield served
    stop(served)


def _lead(browser: Browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url + "/dashboard/login")
    page.get_by_label("Login name").fill("lena")
    page.get_by_label("Password").fill(LEAD_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    return page


def _person_asks_for_somewhere(browser: Browser, url: str, where: str) -> str:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url + "/")
    page.get_by_label("Your message").fill("hi")
    page.keyboard.press("Enter")
    page.get_by_role("button", name=re.compile("Somewhere to go")).click()
    expect(page.locator("#log li.bot").last).to_contain_text("Where are you?")
    asked = page.locator("#log li.bot").count()
    page.get_by_label("Your message").fill(where)
    page.keyboard.press("Enter")
    answer = page.locator("#log li.bot").nth(asked)  # the first reply after the question
    expect(answer).to_contain_text(where, timeout=15000)
    text = answer.inner_text()
    context.close()
    return text


def test_a_lead_verifies_haven_a_person_in_bd18_is_offered_it_then_it_is_closed(
    browser: Browser, site: Served
) -> None:
    before = _person_asks_for_somewhere(browser, site.url, "BD18")
    assert "Haven" not in before
    assert "I don't have a checked place near BD18 yet." in before

    lead = _lead(browser, site.url)
    todo = lead.locator("#todo-heading")
    expect(todo).to_have_text("Directory: to check")
    lead.screenshot(path=str(SHOTS / "dir-home-todo.png"), full_page=True)
    lead.get_by_role("link", name="Haven (The Cellar Trust)").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Haven (The Cellar Trust)")
    expect(lead.locator("#state-heading")).to_contain_text("Unverified")

    # The hours are checked as the lead types, with a "would be open at" preview.
    hours = lead.get_by_label(re.compile("^Opening hours"))
    hours.fill("Mo-Fr 10:00-18:00; Sa 25:00")
    expect(lead.locator("#hours-preview")).to_contain_text("not valid opening_hours syntax")
    hours.fill("Mo-Fr 10:00-18:00")
    lead.get_by_label("Would it be open at…").fill("2026-12-01T11:00")
    expect(lead.locator("#hours-preview")).to_contain_text(
        "it would be open, closing Tue 01 Dec 18:00"
    )
    lead.get_by_label("Languages spoken, separated by commas").fill("English, Urdu")
    lead.screenshot(path=str(SHOTS / "dir-entry-edit.png"), full_page=True)
    lead.get_by_role("button", name="Save changes").click()
    expect(lead.get_by_role("status")).to_contain_text("People see the change now")

    lead.get_by_label("What you checked (a phone call, a web page and its date)").fill(
        "Phoned the Haven, 1 Dec 2026"
    )
    lead.get_by_role("button", name=re.compile("^Verify")).click()
    expect(lead.get_by_role("status")).to_contain_text("Verified")
    expect(lead.locator("#state-heading")).to_contain_text("Active")
    expect(lead.locator(".state")).to_contain_text("by Lena")
    expect(lead.locator(".state")).to_contain_text("against: Phoned the Haven, 1 Dec 2026")
    lead.screenshot(path=str(SHOTS / "dir-entry-verified.png"), full_page=True)

    offered = _person_asks_for_somewhere(browser, site.url, "BD18")
    assert "Haven (The Cellar Trust): safe haven, ages 16 and over." in offered
    assert "I don't have a checked place" not in offered
    assert offered.index("Haven") < offered.index("First Response")

    lead.get_by_role("button", name=re.compile("^Close")).click()
    expect(lead.get_by_role("status")).to_contain_text("nobody is offered it")
    assert "Haven" not in _person_asks_for_somewhere(browser, site.url, "BD18")

    lead.get_by_role("link", name="Directory", exact=True).click()
    lead.get_by_label("Show").select_option("closed")
    lead.get_by_role("button", name="Filter").click()
    expect(lead.get_by_role("row").filter(has_text="Haven (The Cellar Trust)")).to_contain_text(
        "closed"
    )
    lead.screenshot(path=str(SHOTS / "dir-list-closed.png"), full_page=True)
    lead.get_by_label("Show").select_option("all")
    lead.get_by_label('Area (postcode area or district, or "national")').fill("BD")
    lead.get_by_role("button", name="Filter").click()
    lead.screenshot(path=str(SHOTS / "dir-list.png"), full_page=True)
    lead.get_by_role("link", name="Add a service").click()
    lead.screenshot(path=str(SHOTS / "dir-new.png"), full_page=True)
