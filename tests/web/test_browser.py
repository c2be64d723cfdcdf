"""The web chat in Debian's Chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import Served

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone screen
    page = context.new_page()
    page.goto(served.url + "/")
    yield page
    context.close()


def test_hi_gets_the_greeting_with_999_and_116_123(page: Page) -> None:
    page.get_by_label("Your message").fill("hi")
    page.keyboard.press("Enter")
    greeting = page.locator("#log li.bot").first
    expect(greeting).to_contain_text("999")
    expect(greeting).to_contain_text("116 123")
    expect(page.get_by_role("button", name="Urgent help")).to_be_visible()


def test_options_are_buttons_and_replies_arrive_without_a_reload(page: Page) -> None:
    page.get_by_label("Your message").fill("hi")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Urgent help").click()
    expect(page.locator("#log li.bot.urgent").first).to_contain_text("85258")
    expect(page.get_by_role("button", name="No, I'm not safe")).to_be_visible()


def test_markup_is_shown_as_text(page: Page) -> None:
    page.get_by_label("Your message").fill("<img src=x onerror=alert(1)><b>bold</b>")
    page.keyboard.press("Enter")
    expect(page.locator("#log li.person")).to_contain_text("<b>bold</b>")
    expect(page.locator("#log li.bot").first).to_contain_text("999")
    assert page.locator("#log img, #log b").count() == 0


def test_keyboard_only_use(page: Page) -> None:
    page.keyboard.press("Tab")  # the skip link comes first
    page.keyboard.press("Enter")
    page.keyboard.type("hi")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Talk to a peer supporter")).to_be_visible()
    page.get_by_role("button", name="Talk to a peer supporter").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#log li.bot").last).to_contain_text("Nobody is on shift")


def test_quick_exit_leaves_and_forgets_the_session(page: Page, served: Served) -> None:
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="weather"))
    page.get_by_label("Your message").fill("hi")
    page.keyboard.press("Enter")
    expect(page.locator("#log li.bot").first).to_contain_text("999")
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url("https://www.bbc.co.uk/**")
    page.goto(served.url + "/")
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("localStorage.length") == 0
    # Only the page's own greeting: nothing of the conversation is left.
    expect(page.locator("#log li")).to_have_count(1)
    expect(page.locator("#log li.person")).to_have_count(0)


def test_forget_me_deletes_and_the_browser_lets_go_of_the_session(page: Page) -> None:
    page.get_by_label("Your message").fill("forget me")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.locator("#log li.bot").last).to_contain_text("has been deleted")
    page.wait_for_function("localStorage.getItem('wr-token') === null")
    page.get_by_label("Your message").fill("hello")
    page.keyboard.press("Enter")
    expect(page.locator("#log li.bot").last).to_contain_text("116 123")  # a fresh greeting
