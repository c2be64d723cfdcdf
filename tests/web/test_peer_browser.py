"""Issue 7 end to end: a person on the web chat and one on Telegram join the queue; a
supporter in Chromium logs in, takes them, and they talk both ways; markup stays text;
another supporter can open neither the conversation nor a lead's page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.staff.models import Role

from ..conftest import Served, free_port, serve, stop
from ..dashboard.conftest import add_account
from ..fake_telegram import FakeBotAPI, callback_update, message_update

pytestmark = pytest.mark.browser
SECRET = "peer-browser-secret"
TELEGRAM_PERSON = 7001
PASSWORD = "a long enough password"


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    api = FakeBotAPI().start()
    yield api
    api.stop()


@pytest.fixture
def site(tmp_path: Path, fake: FakeBotAPI) -> Iterator[Served]:
    db = tmp_path / "data" / "waitingroom.sqlite3"
    # Playwright's loop runs in this thread: the accounts are made in another.
    with ThreadPoolExecutor(1) as pool:
        for name in ("samira", "jo"):
            pool.submit(add_account, db, name, Role.SUPPORTER, PASSWORD).result()
    served = serve(
        tmp_path,
        {
            "TELEGRAM_BOT_TOKEN": "123:TEST",
            "TELEGRAM_API_URL": fake.url,
            "WAITINGROOM_PUBLIC_URL": f"http://127.0.0.1:{free_port()}",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
        },
    )
    fake.wait_for("setWebhook")
    yield served
    stop(served)


def _telegram(served: Served, update: dict[str, object]) -> None:
    response = httpx.post(
        f"{served.url}/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200


def _telegram_texts(fake: FakeBotAPI) -> list[str]:
    return [p["text"] for p in fake.called("sendMessage") if int(p["chat_id"]) == TELEGRAM_PERSON]


def _wait_telegram(fake: FakeBotAPI, needle: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(needle in text for text in _telegram_texts(fake)):
            return
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not sent: {_telegram_texts(fake)}")


def _log_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/dashboard/login")
    page.get_by_label("Login name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_people_on_two_channels_are_taken_and_talk_both_ways(
    browser: Browser, site: Served, fake: FakeBotAPI
) -> None:
    dialogs: list[str] = []
    desk = browser.new_context().new_page()
    desk.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _log_in(desk, site.url, "samira")
    desk.get_by_role("button", name="Start my shift").click()
    expect(desk.locator("#waiting-rows")).to_contain_text("Nobody is waiting")

    # A person on the web chat asks to talk and joins the queue.
    person = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    person.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    person.goto(site.url + "/")
    person.get_by_label("Your message").fill("hi")
    person.keyboard.press("Enter")
    person.get_by_role("button", name="Talk to a peer supporter").click()
    expect(person.locator("#log li.bot").last).to_contain_text("1 supporter is on shift")
    person.get_by_role("button", name="Join the queue").click()
    person.get_by_role("button", name="Skip").click()
    expect(person.locator("#log li.bot").last).to_contain_text("While you wait")
    expect(person.locator("#options")).to_contain_text("Leave the queue")

    # Someone on Telegram does the same.
    _telegram(site, message_update(1, TELEGRAM_PERSON, "talk to someone"))
    _wait_telegram(fake, "supporter is on shift")
    _telegram(site, callback_update(2, TELEGRAM_PERSON, "join"))
    _telegram(site, message_update(3, TELEGRAM_PERSON, "my brother is in hospital"))
    _wait_telegram(fake, "Your supporter will see that")

    # The queue updates without a reload: both are waiting, oldest first.
    rows = desk.locator("#waiting-rows li.wait")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("my brother is in hospital")

    # Take the next: the web chat person, who joined first.
    desk.get_by_role("button", name="Take the next person").click()
    expect(desk).to_have_url(re.compile(r"/dashboard/chat/\d+$"))
    web_chat_url = desk.url
    expect(person.locator("#log li.bot").last).to_contain_text("Samira, a peer supporter")
    # The queue's choices are gone once a supporter has joined; Urgent help stays.
    expect(person.locator("#options button")).to_have_count(1)
    expect(person.get_by_role("button", name="Urgent help")).to_be_visible()
    expect(person.locator("#options")).not_to_contain_text("Leave the queue")
    desk.get_by_label(re.compile("Your message to Guest-")).fill("Hello, I'm Samira. How are you?")
    desk.get_by_role("button", name="Send").click()
    expect(person.locator("#log li.bot").last).to_contain_text(
        "Samira: Hello, I'm Samira. How are you?"
    )
    person.get_by_label("Your message").fill("<script>alert('x')</script><b>scared</b>")
    person.keyboard.press("Enter")
    line = desk.locator("#lines li.person").last
    expect(line).to_contain_text("<script>alert('x')</script><b>scared</b>")
    assert desk.locator("#lines b, #lines script").count() == 0

    # Then the person on Telegram.
    desk.goto(site.url + "/dashboard")
    expect(desk.locator("#waiting-rows li.wait")).to_have_count(1)
    desk.get_by_role("button", name="Take the next person").click()
    expect(desk.get_by_text("They'd like to talk about")).to_contain_text("my brother")
    _wait_telegram(fake, "Samira, a peer supporter, has joined")
    desk.get_by_label(re.compile("Your message to Guest-")).fill("Hi, Samira here <b>x</b>")
    desk.get_by_role("button", name="Send").click()
    _wait_telegram(fake, "Samira: Hi, Samira here &lt;b&gt;x&lt;/b&gt;")
    _telegram(site, message_update(4, TELEGRAM_PERSON, "thank you for replying"))
    expect(desk.locator("#lines li.person").last).to_contain_text("thank you for replying")
    desk.get_by_label("listened").check()
    desk.get_by_label(re.compile("Handover note")).fill("Worried about her brother.")
    desk.get_by_role("button", name="End and thank them").click()
    _wait_telegram(fake, "Samira has ended the chat")

    # Another supporter can open neither Samira's conversation nor a lead's page.
    other = browser.new_context().new_page()
    _log_in(other, site.url, "jo")
    for path in (web_chat_url, site.url + "/dashboard/supporters", site.url + "/dashboard/reports"):
        response = other.goto(path)
        assert response is not None and response.status == 403, path
    assert dialogs == []
