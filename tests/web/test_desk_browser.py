"""Issue 16 end to end in Chromium: two supporters (Samira, Jo) and a lead (Lena) work a
shift at once while two people write in on the web chat. The desk is pushed (server-sent
events), alerts sound and show, actions never reload the page, a transfer carries a note
and an alert, the lead sees every live conversation and her reads are recorded, an
escalation reaches her inbox, the person's FINISH keeps the outcome form, and an ended
session shows "signed out", never an empty queue. Screenshots go to /tmp/desk-*.png."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.staff.models import Role

from ..conftest import Served, serve, stop
from ..dashboard.conftest import add_account

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Served]:
    db = tmp_path / "data" / "waitingroom.sqlite3"
    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        pool.submit(add_account, db, "samira", Role.SUPPORTER, PASSWORD).result()
        pool.submit(add_account, db, "jo", Role.SUPPORTER, PASSWORD).result()
        pool.submit(add_account, db, "lena", Role.LEAD, PASSWORD).result()
    served = serve(tmp_path)
    yield served
    stop(served)


def _context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    context = browser.new_context(viewport=viewport)
    context.grant_permissions(["notifications"])
    return context


def _log_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/dashboard/login")
    page.get_by_label("Login name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def _on_shift(page: Page) -> None:
    page.get_by_role("button", name="Start my shift").click()
    expect(page.get_by_text("You are on shift")).to_be_visible()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")


def _person(browser: Browser, url: str, topic: str) -> Page:
    person = browser.new_context(viewport=PHONE).new_page()
    person.goto(url + "/")
    person.get_by_label("Your message").fill("hi")
    person.keyboard.press("Enter")
    person.get_by_role("button", name="Talk to a peer supporter").click()
    person.get_by_role("button", name="Join the queue").click()
    expect(person.locator("#log li.bot").last).to_contain_text("in a line")
    person.get_by_label("Your message").fill(topic)
    person.keyboard.press("Enter")
    return person


def _say(person: Page, text: str) -> None:
    person.get_by_label("Your message").fill(text)
    person.keyboard.press("Enter")


def _alerts(page: Page) -> list[str]:
    return [str(a["kind"]) for a in page.evaluate("window.deskAlerts || []")]


def _in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_two_supporters_and_a_lead_work_a_shift(browser: Browser, site: Served) -> None:
    url = site.url
    samira = _context(browser, DESKTOP).new_page()
    jo = _context(browser, PHONE).new_page()
    lena = _context(browser, DESKTOP).new_page()
    for page, name in ((samira, "samira"), (jo, "jo"), (lena, "lena")):
        _log_in(page, url, name)
    _on_shift(samira)
    _on_shift(jo)
    lena.goto(url + "/dashboard/live")
    expect(lena.locator("#live-rows")).to_contain_text("None right now")
    # A marker that a full page load would wipe: actions must keep it.
    samira.evaluate("window.stillHere = true")

    # Someone joins the queue: every desk shows them at once, with a sound and a badge.
    _person(browser, url, "my mum is in hospital")
    expect(samira.locator("#waiting-rows li.wait")).to_have_count(1)
    expect(samira.locator("#waiting-rows")).to_contain_text("my mum is in hospital")
    expect(samira.locator("#waiting-rows")).to_contain_text("web chat")
    expect(samira).to_have_title(re.compile(r"^\(1\) "))
    assert "new" in _alerts(samira)

    # Someone urgent: colour, text and icon, the words and the rule that raised it, a
    # louder alert that repeats until acknowledged.
    ben = _person(browser, url, "I want to end my life")
    urgent = samira.locator("#waiting-rows li.wait.urgent")
    expect(urgent).to_contain_text("Urgent")
    expect(urgent).to_contain_text("Raised by")
    # By their reviewed names (risk_names.yaml), never the check's ids.
    expect(urgent).to_contain_text("Suicidal intent")
    expect(urgent).not_to_contain_text("suicidal_intent")
    expect(urgent).to_contain_text("I want to end my life")
    expect(samira.locator("#alert-banner")).to_be_visible()
    assert "urgent" in _alerts(samira)
    samira.get_by_role("button", name="Acknowledge").click()
    expect(samira.locator("#alert-banner")).to_be_hidden()

    # Alt+N takes the next person (the urgent one), without reloading the page.
    samira.keyboard.press("Alt+n")
    expect(samira).to_have_url(re.compile(r"/dashboard/chat/\d+$"))
    ben_chat = samira.url
    assert samira.evaluate("window.stillHere") is True
    expect(ben.locator("#log li.bot").last).to_contain_text("Samira")
    # Presses show as the words the person saw, not their ids.
    expect(samira.locator("#lines li.person").first.locator(".text")).to_contain_text("hi")
    expect(samira.locator("#lines")).to_contain_text("Join the queue")
    expect(samira.locator("#lines li.person.urgent")).to_contain_text("I want to end my life")

    # Enter sends, Shift+Enter is a new line.
    box = samira.get_by_label(re.compile("Your message to Guest-"))
    box.click()
    box.type("Hello, I'm Samira.")
    box.press("Shift+Enter")
    box.type("I'm here with you.")
    box.press("Enter")
    expect(ben.locator("#log li.bot").last).to_contain_text("I'm here with you.")
    expect(box).to_have_value("")
    _say(ben, "thank you")
    expect(samira.locator("#lines li.person").last).to_contain_text("thank you")
    assert _in_view(samira, "#lines li.person >> nth=-1")
    assert _in_view(samira, "#say-text")

    # She takes Ana too: now at her cap, and the Take buttons say why.
    samira.get_by_role("button", name=re.compile("Take the next person")).click()
    expect(samira.locator("#take-next")).to_be_disabled()
    expect(samira.locator("#take-why")).to_have_text("At your cap: 2 of 2")
    # The cap shows before the page has moved to Ana's conversation on a busy machine.
    expect(samira).not_to_have_url(ben_chat)
    ana_chat = samira.url

    # Ben writes while Samira is in Ana's conversation: an unread count and an alert.
    _say(ben, "are you still there?")
    ben_row = samira.locator("#mine-rows li.conv.urgent")
    expect(ben_row.locator(".unread")).to_have_text("1 new")
    assert "line" in _alerts(samira)

    # The lead sees both live conversations, who holds them, and reads one (recorded).
    expect(lena.locator("#live-rows tr")).to_have_count(2)
    expect(lena.locator("#live-rows")).to_contain_text("Samira")
    lena.locator("#live-rows tr.urgent").get_by_role("link", name="Read").click()
    expect(lena.locator("ol.lines")).to_contain_text("are you still there?")
    expect(lena.locator("p.raised")).to_contain_text("Suicidal intent")
    expect(lena.locator("p.raised")).not_to_contain_text("suicidal_intent")
    with sqlite3.connect(site.db) as db:
        assert db.execute("SELECT COUNT(*) FROM live_reads").fetchone()[0] == 1
    lena.goto(url + "/dashboard/live")

    # Samira transfers Ana to Jo with a note: Jo is alerted and sees the note.
    samira.get_by_label("Transfer to").select_option(label="Jo")
    samira.get_by_label("A note for them").fill("Her mum was admitted today.")
    samira.get_by_role("button", name="Transfer").click()
    expect(samira.get_by_text("Handed over. Thank you.")).to_be_visible()
    jo_row = jo.locator("#mine-rows li.conv")
    expect(jo_row).to_contain_text("Transferred to you by Samira")
    expect(jo_row).to_contain_text("Her mum was admitted today.")
    assert "transfer" in _alerts(jo)
    # On a phone: one column, and the Take button stays on screen.
    assert _in_view(jo, "#take-next")
    jo.screenshot(path="/tmp/desk-phone-home.png")
    jo.keyboard.press("Alt+1")  # her first conversation
    expect(jo).to_have_url(re.compile(ana_chat.rsplit("/", 1)[1] + "$"))
    assert _in_view(jo, "#take-next")
    assert _in_view(jo, "#say-text")
    jo.screenshot(path="/tmp/desk-phone-chat.png")

    # Back in Ben's conversation, Samira escalates: Lena is on the dashboard, so the
    # leads really have been told, and it is in her inbox at once.
    samira.goto(ben_chat)
    expect(samira.locator("#conn")).to_have_attribute("data-state", "live")
    samira.evaluate("window.stillHere = true")
    # A directory listing, found from the desk and sent as a card through the outbox.
    samira.get_by_label("Search the directory").fill("Dial House")
    samira.get_by_role("button", name="Search").click()
    samira.locator("ul.found li").first.get_by_role("button", name="Send to them").click()
    expect(ben.locator("#log li.bot").last).to_contain_text("Samira shared a service with you")
    expect(ben.locator("#log li.bot").last).to_contain_text("Dial House")
    assert samira.evaluate("window.stillHere") is True
    samira.locator(".ladder li").first.get_by_role("button", name="Record: used").click()
    expect(samira.get_by_text("Escalation recorded; the leads have been told.")).to_be_visible()
    expect(lena.locator("#lead-inbox")).to_contain_text("Escalation recorded by Samira")
    samira.screenshot(path="/tmp/desk-desktop-chat.png")

    # Ben sends FINISH: a banner, the outcome form stays, and what is typed after is kept.
    samira.get_by_label("Handover note for the next supporter").fill("Safety plan made")
    _say(ben, "FINISH")
    expect(samira.locator("#ended-banner")).to_be_visible()
    expect(samira.locator("#say")).to_have_count(0)
    expect(samira.get_by_label("Handover note for the next supporter")).to_have_value(
        "Safety plan made"
    )
    # The outcome tags by the names the reports use, never their ids.
    tags = samira.locator("#end-form fieldset.outcomes")
    expect(tags).to_contain_text("Plan made")
    expect(tags).to_contain_text("Carer support")
    expect(tags).not_to_contain_text("plan_made")
    samira.get_by_label("Listened", exact=True).check()
    samira.get_by_label("Plan made", exact=True).check()
    samira.locator("#end-form button").click()
    # An urgent conversation: a debrief or a break is offered.
    expect(samira.get_by_role("heading", name="Thank you")).to_be_visible()
    with sqlite3.connect(site.db) as db:
        note, outcome = db.execute(
            "SELECT handover_note, outcome FROM handoffs WHERE id = ?",
            (int(ben_chat.rsplit("/", 1)[1]),),
        ).fetchone()
    assert note == "Safety plan made" and "plan_made" in outcome and "listened" in outcome
    samira.goto(url + "/dashboard")
    samira.screenshot(path="/tmp/desk-desktop-home.png")

    # Her session ends: the desk says signed out, never "Nobody is waiting".
    with sqlite3.connect(site.db) as db:
        db.execute(
            "DELETE FROM staff_sessions WHERE supporter_id IN"
            " (SELECT id FROM supporters WHERE name = 'samira')"
        )
    # The stream checks the session whenever it is quiet for a while (15 s).
    expect(samira.locator("#conn")).to_have_attribute("data-state", "signed_out", timeout=25_000)
    expect(samira.locator("#conn")).to_contain_text("Signed out")
    expect(samira.locator("#waiting-rows")).not_to_contain_text("Nobody is waiting")
    samira.screenshot(path="/tmp/desk-signed-out.png")

    # The service goes away: the desk says it is reconnecting, not that all is quiet.
    stop(site)
    expect(jo.locator("#conn")).to_have_attribute("data-state", "reconnecting", timeout=15_000)
    expect(jo.locator("#conn")).to_contain_text("Reconnecting")
