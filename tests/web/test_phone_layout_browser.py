"""On a phone (390x844), in Chromium: the composer keeps focus after a send and the newest
message is in view, on the supporters' desk and on the web chat, as the conversation
grows past a screen. Screenshots go to /tmp/phone-*.png (look at them)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import Served
from .test_desk_browser import PHONE, _context, _in_view, _log_in, _on_shift, _person, _say, site

pytestmark = pytest.mark.browser
__all__ = ["site"]  # the fixture, used by name below
LONG = "a longer message, so that the conversation soon fills more than one phone screen"


def _focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_on_a_phone_the_desk_and_the_web_chat_keep_the_composer_and_the_newest_line(
    browser: Browser, site: Served
) -> None:
    url = site.url
    samira = _context(browser, PHONE).new_page()
    _log_in(samira, url, "samira")
    _on_shift(samira)
    person = _person(browser, url, "my mum is in hospital")
    expect(samira.locator("#waiting-rows li.wait")).to_have_count(1)
    samira.get_by_role("button", name="Take the next person").click()
    expect(samira).to_have_url(re.compile(r"/dashboard/chat/\d+$"))
    expect(person.locator("#log li.bot").last).to_contain_text("Samira, a peer supporter")

    box = samira.locator("#say textarea")
    expect(box).to_be_focused()  # the desk opens a conversation ready to write
    for n in range(8):
        box.fill(f"Samira {n}: {LONG}")
        box.press("Enter")
        expect(person.locator("#log li.bot").last).to_contain_text(f"Samira {n}")
        expect(box).to_be_focused()  # still there for the next line
        _say(person, f"Person {n}: {LONG}")
        expect(samira.locator("#lines li.person").last).to_contain_text(f"Person {n}")
    # Both screens have grown past a phone's height, and show the newest line.
    samira.wait_for_timeout(300)
    lines = samira.evaluate(
        "(() => { const l = document.getElementById('lines');"
        " return [l.scrollTop, l.clientHeight, l.scrollHeight]; })()"
    )
    top, height, whole = (int(v) for v in lines)
    assert whole > height, "the desk's conversation should have outgrown its box"
    assert top + height >= whole - 2, "the desk's conversation is not scrolled to the newest"
    assert _in_view(samira, "#lines li:last-child"), "the desk's newest line is out of view"
    expect(box).to_be_focused()
    person.wait_for_timeout(300)
    assert _in_view(person, "#log li:last-child"), "the web chat's newest line is out of view"
    assert _focused(person) == "text"  # the web chat's composer kept focus after a send
    samira.screenshot(path="/tmp/phone-desk-390.png")
    person.screenshot(path="/tmp/phone-webchat-390.png")
