"""The web chat as a person uses it on a phone and a laptop (Debian's Chromium):
the greeting at once, the conversation kept on the device, the newest reply and its
choices in view, focus after a choice, links to call and text, the plan as a file.

Screenshots go to /tmp/person-*.png for a human to look at."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ..conftest import Served

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp")


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    yield context
    context.close()


def _open(context: BrowserContext, served: Served) -> Page:
    page = context.new_page()
    page.goto(served.url + "/")
    return page


def _type(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")


def _in_view(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box["y"], box["y"] + box["height"]


def test_the_greeting_and_menu_are_there_before_anything_is_typed(
    phone: BrowserContext, served: Served
) -> None:
    page = _open(phone, served)
    greeting = page.locator("#log li.bot")
    expect(greeting).to_have_count(1)
    expect(greeting).to_contain_text("not a person")
    expect(page.get_by_role("button", name="Urgent help")).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / "person-greeting-390.png"))
    # A visit alone writes nothing to the device.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    # Pressing a menu button answers it without saying the greeting twice.
    page.get_by_role("button", name="Talk to a peer supporter").click()
    expect(page.locator("#log li.bot").nth(1)).to_contain_text("Nobody is on shift")
    expect(page.locator("#log li.bot")).to_have_count(2)


def test_the_conversation_stays_on_the_device_across_reloads_and_tabs(
    phone: BrowserContext, served: Served
) -> None:
    page = _open(phone, served)
    _type(page, "hello there")
    page.get_by_role("button", name="Talk to a peer supporter").click()
    expect(page.locator("#log li.bot").last).to_contain_text("Nobody is on shift")
    page.reload()
    expect(page.locator("#log li.person").first).to_contain_text("hello there")
    expect(page.locator("#log li.person").nth(1)).to_contain_text("Talk to a peer supporter")
    expect(page.locator("#log li.bot").last).to_contain_text("Nobody is on shift")
    expect(page.get_by_role("button", name="Join the queue")).to_be_visible()
    other = _open(phone, served)  # a second tab
    expect(other.locator("#log li.person").first).to_contain_text("hello there")
    # What one tab says, the other shows.
    other.get_by_role("button", name="Menu", exact=True).click()
    expect(page.locator("#log li.person").last).to_contain_text("Menu")


def test_replies_written_while_the_tab_was_closed_are_there_when_it_comes_back(
    phone: BrowserContext, served: Served
) -> None:
    page = _open(phone, served)
    _type(page, "hi")
    # The reply to "hi", not the greeting already on the page (it asks the same), so the
    # token is kept by now.
    expect(page.locator("#log li.bot")).to_have_count(2)
    token = page.evaluate("JSON.parse(localStorage.getItem('wr-token'))")
    assert token
    page.close()
    # While no tab is open, something is written to them (here: a reply to a message
    # sent with the same token; a supporter's words arrive the same way).
    response = httpx.post(
        served.url + "/api/chat/messages",
        json={"client_id": "away-message-1", "option": "wait"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202
    page = _open(phone, served)
    expect(page.locator("#log li.bot").last).to_contain_text("waiting for", ignore_case=True)


def test_a_shared_device_can_choose_not_to_be_remembered_and_forget(
    phone: BrowserContext, served: Served
) -> None:
    page = _open(phone, served)
    page.get_by_text("This device", exact=True).click()
    page.get_by_label("Don't remember me on this device").check()
    _type(page, "hi")
    # The reply to "hi", not the greeting already on the page (it asks the same): the
    # token is kept by then.
    expect(page.locator("#log li.bot")).to_have_count(2)
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("sessionStorage.getItem('wr-token')") is not None
    page.reload()  # the same tab still has it
    expect(page.locator("#log li.person")).to_contain_text("hi")
    other = _open(phone, served)  # another tab does not
    expect(other.locator("#log li.person")).to_have_count(0)
    page.get_by_text("This device", exact=True).click()
    page.get_by_role("button", name="Forget this device").click()
    expect(page.locator("#log li.person")).to_have_count(0)
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390x844", "1366x900"])
def test_the_newest_reply_and_its_choices_are_in_view_and_focus_follows(
    browser: Browser, served: Served, size: dict[str, int]
) -> None:
    context = browser.new_context(viewport=size)
    page = _open(context, served)
    _type(page, "hi")
    expect(page.locator("#log li.bot")).to_have_count(2)
    for step, button in enumerate(["Urgent help", "No, I'm not safe"]):
        count = page.locator("#log li.bot").count()
        page.get_by_role("button", name=button).click()
        newest = page.locator("#log li.bot").nth(count)
        expect(newest).to_be_visible()
        page.wait_for_timeout(300)
        top, _ = _in_view(page, f"#log li.bot >> nth={count}")
        assert 0 <= top < size["height"], (button, top)
        _, first_choice_bottom = _in_view(page, "#options button >> nth=0")
        assert first_choice_bottom <= size["height"], (button, first_choice_bottom)
        # Focus moved to the newest reply, not the page body.
        assert page.evaluate("document.activeElement.matches('#log li.bot')")
        assert page.evaluate(
            f"document.activeElement === document.querySelectorAll('#log li.bot')[{count}]"
        )
        page.screenshot(path=str(SHOTS / f"person-after-{step}-{size['width']}.png"))
    context.close()


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_focus_ring_has_at_least_3_to_1_contrast(phone: BrowserContext, served: Served) -> None:
    page = _open(phone, served)
    page.get_by_role("button", name="Urgent help").focus()
    ring, paper = page.evaluate(
        """() => {
            const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
            return [rgb(getComputedStyle(document.activeElement).outlineColor),
                    rgb(getComputedStyle(document.body).backgroundColor)];
        }"""
    )
    light, dark = sorted([_luminance(ring), _luminance(paper)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 3


def test_numbers_in_replies_are_links_to_call_and_text(
    phone: BrowserContext, served: Served
) -> None:
    page = _open(phone, served)
    page.get_by_role("button", name="Urgent help").click()
    urgent = page.locator("#log li.bot.urgent").first
    expect(urgent.locator("a[href='tel:999']")).to_have_count(1)
    expect(urgent.locator("a[href='tel:116123']")).to_have_text("116 123")
    expect(urgent.locator("a[href='sms:85258?body=SHOUT']")).to_have_text("85258")
    page.screenshot(path=str(SHOTS / "person-links-390.png"))


def test_my_plan_can_be_saved_as_a_file_and_printed(phone: BrowserContext, served: Served) -> None:
    page = _open(phone, served)
    _type(page, "my plan")
    for words in ["feeling numb", "a walk, music", "my sister Jo", "crisis team 01274 123456"]:
        count = page.locator("#log li.bot").count()
        _type(page, words)
        expect(page.locator("#log li.bot")).not_to_have_count(count)
    plan = page.locator("#log li.bot").last
    expect(plan).to_contain_text("feeling numb")
    expect(plan.locator("a[href='tel:+441274123456']")).to_have_count(1)
    with page.expect_download() as caught:
        plan.get_by_role("link", name="Save my plan as a file").click()
    download = caught.value
    assert download.suggested_filename == "my-plan.txt"
    saved = Path(download.path()).read_text(encoding="utf-8")
    assert "feeling numb" in saved and "my sister Jo" in saved
    expect(plan.get_by_role("button", name="Print my plan")).to_be_visible()
    page.screenshot(path=str(SHOTS / "person-plan-390.png"), full_page=True)


# The network is slow to start a chat (a busy server, a phone on one bar): every new
# session takes a moment, so what the person sends meanwhile waits for the same one.
_SLOW_NEW_CHAT = """(() => {
  const original = window.fetch;
  window.fetch = async (url, init) => {
    if (String(url).endsWith("/api/chat/session")) await new Promise((r) => setTimeout(r, 400));
    return original(url, init);
  };
})();"""


def _sent(served: Served) -> list[tuple[str, str]]:
    with sqlite3.connect(served.db) as db:
        return list(db.execute("SELECT person_id, body FROM inbox ORDER BY id"))


def test_what_is_sent_before_the_chat_has_started_goes_to_one_conversation(
    phone: BrowserContext, served: Served
) -> None:
    phone.add_init_script(_SLOW_NEW_CHAT)
    page = _open(phone, served)
    # Two messages in the same moment, before any session exists (as fast typing, or a
    # choice pressed while the first message is on its way, would do).
    page.evaluate(
        """() => {
            const text = document.getElementById("text");
            const form = document.getElementById("compose");
            text.value = "my plan"; form.requestSubmit();
            text.value = "feeling numb"; form.requestSubmit();
        }"""
    )
    expect(page.locator("#log li.bot").last).to_contain_text("2 of 4")
    with sqlite3.connect(served.db) as db:
        assert db.execute("SELECT count(*) FROM web_sessions").fetchone() == (1,)
    sent = _sent(served)
    assert [json.loads(body)["text"] for _, body in sent] == ["my plan", "feeling numb"]
    assert len({person for person, _ in sent}) == 1


def test_a_token_the_service_no_longer_knows_starts_afresh_and_keeps_what_was_typed(
    phone: BrowserContext, served: Served
) -> None:
    page = _open(phone, served)
    _type(page, "hi")
    expect(page.locator("#log li.bot")).to_have_count(2)
    # The conversation is gone from the service (retention, a restored backup): its
    # token is refused from now on.
    with sqlite3.connect(served.db) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM web_sessions")
        db.execute("DELETE FROM people")
    old = page.evaluate("JSON.parse(localStorage.getItem('wr-token'))")
    _type(page, "are you still there")
    # Not dropped: it is the first message of a new conversation, under a new token.
    expect(page.locator("#log li.bot")).not_to_have_count(2)
    page.wait_for_function(f"JSON.parse(localStorage.getItem('wr-token')) !== {old!r}")
    assert [json.loads(body)["text"] for _, body in _sent(served)] == ["are you still there"]
    expect(page.locator("#log li.person").last).to_contain_text("are you still there")
    # And the emergency numbers are still there to press.
    expect(page.locator("#log a[href='tel:999']").first).to_be_visible()
