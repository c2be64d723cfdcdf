"""Quick exit in Debian's Chromium: nothing of the conversation stays in browser storage,
whatever lands after the button is pressed (a reply, a long poll, another tab)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from ..conftest import Served

pytestmark = pytest.mark.browser
EXIT = "https://www.bbc.co.uk/"
LATE_REPLY = {
    "messages": [
        {
            "id": 9999,
            "key": "menu",
            "text": "a reply that landed after the quick exit",
            "urgent": False,
            "links": [],
            "options": [["talk", "Talk to a peer supporter"]],
        }
    ]
}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 390, "height": 844})
    yield made
    made.close()


def _kept(page: Page) -> dict[str, int]:
    """What the tab's origin holds in storage (the tab's own sessionStorage too)."""
    return {
        "local": int(page.evaluate("localStorage.length")),
        "session": int(page.evaluate("sessionStorage.length")),
    }


class Storage:
    """What the origin holds in localStorage, read from a second tab on a plain file of
    the same origin: the chat tab itself cannot be asked while its quick-exit navigation
    is held under way (Playwright waits for that navigation). Its sessionStorage is read
    when the tab comes back (it lasts as long as the tab)."""

    def __init__(self, page: Page, served: Served) -> None:
        self.tab = page.context.new_page()
        self.tab.goto(served.url + "/static/chat.css")

    def __call__(self) -> int:
        return int(self.tab.evaluate("localStorage.length"))


def _chatting(page: Page, served: Served) -> None:
    page.goto(served.url + "/")
    page.get_by_label("Your message").fill("hi")
    page.keyboard.press("Enter")
    expect(page.locator("#log li.bot").first).to_contain_text("999")
    deadline = time.monotonic() + 15
    while page.evaluate("localStorage.getItem('wr-token')") is None:
        assert time.monotonic() < deadline, "no conversation was kept"
        page.wait_for_timeout(50)


def test_a_reply_landing_after_quick_exit_is_not_written_back(
    context: BrowserContext, served: Served
) -> None:
    page = context.new_page()
    polls: list[Route] = []
    leaving: list[Route] = []
    hold = {"polls": False}

    def poll(route: Route) -> None:
        if hold["polls"] and route.request.method == "GET":
            polls.append(route)  # answered by the test, after the quick exit
        else:
            route.continue_()

    page.route("**/api/chat/messages**", poll)
    # The way out is held too, so the page lives on while the late reply lands.
    page.route(EXIT + "**", lambda route: leaving.append(route))
    _chatting(page, served)

    storage = Storage(page, served)
    hold["polls"] = True
    page.get_by_label("Your message").fill("I'd like to talk")
    page.keyboard.press("Enter")  # the send restarts the long poll: now held
    deadline = time.monotonic() + 15
    while not polls and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert polls, "no long poll was held"
    assert storage() > 0  # a conversation is kept before the exit

    # No waiting for the navigation: it is held until the late reply has landed.
    page.get_by_role("link", name="Leave this site quickly").click(no_wait_after=True)
    deadline = time.monotonic() + 15
    while not leaving and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert leaving, "the quick exit did not start to leave"
    for route in polls:  # the reply in flight lands now
        route.fulfill(status=200, content_type="application/json", body=json.dumps(LATE_REPLY))
    page.wait_for_timeout(700)  # time for the page to act on it, and to retry
    assert storage() == 0

    leaving[0].fulfill(status=200, content_type="text/html", body="<p>weather</p>")
    page.wait_for_url(EXIT + "**")
    page.unroute("**/api/chat/messages**")
    page.goto(served.url + "/")
    assert _kept(page) == {"local": 0, "session": 0}
    expect(page.locator("#log li")).to_have_count(1)  # only the page's own greeting
    expect(page.locator("#log")).not_to_contain_text("landed after")


def test_a_send_answered_after_quick_exit_is_not_written_back(
    context: BrowserContext, served: Served
) -> None:
    """A send still in flight (the server slow to answer it) when the person leaves."""
    page = context.new_page()
    sends: list[Route] = []
    leaving: list[Route] = []
    hold = {"sends": False}

    def send(route: Route) -> None:
        if hold["sends"] and route.request.method == "POST":
            sends.append(route)
        else:
            route.continue_()

    page.route("**/api/chat/messages**", send)
    page.route(EXIT + "**", lambda route: leaving.append(route))
    _chatting(page, served)
    # A borrowed phone: the conversation is kept in this tab's sessionStorage only.
    page.locator("details.device summary").click()
    page.get_by_label("Don't remember me on this device").check()
    assert _kept(page)["session"] > 0
    storage = Storage(page, served)
    hold["sends"] = True
    page.get_by_label("Your message").fill("are you there")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 15
    while not sends and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert sends
    page.locator("#text").press("Escape", no_wait_after=True)  # the keyboard's quick exit
    deadline = time.monotonic() + 15
    while not leaving and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert leaving
    # The server is in trouble: the page would retry, and show the safety net.
    sends[0].fulfill(
        status=503,
        content_type="application/json",
        body=json.dumps({"safety_net": {"text": "Call 999", "links": []}}),
    )
    page.wait_for_timeout(700)
    assert storage() == 0
    leaving[0].fulfill(status=200, content_type="text/html", body="<p>weather</p>")
    page.wait_for_url(EXIT + "**")
    page.unroute("**/api/chat/messages**")
    page.goto(served.url + "/")  # the same tab: its sessionStorage is still its own
    assert _kept(page) == {"local": 0, "session": 0}
    expect(page.locator("#log li.person")).to_have_count(0)


def test_quick_exit_in_one_tab_empties_every_tab(context: BrowserContext, served: Served) -> None:
    first = context.new_page()
    _chatting(first, served)
    second = context.new_page()
    second.goto(served.url + "/")
    expect(second.locator("#log li.person")).to_have_count(1)  # the same conversation
    context.route(EXIT + "**", lambda route: route.fulfill(body="weather"))
    first.get_by_role("link", name="Leave this site quickly").click()
    first.wait_for_url(EXIT + "**")
    second.wait_for_url(EXIT + "**")  # the other tab left too, writing nothing back
    second.wait_for_timeout(300)
    second.goto(served.url + "/")
    assert _kept(second) == {"local": 0, "session": 0}
    expect(second.locator("#log li.person")).to_have_count(0)
