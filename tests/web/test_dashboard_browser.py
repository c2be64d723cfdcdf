"""The supporters' dashboard in Debian's Chromium: a lead made by the CLI sets up a supporter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import Served, serve, stop

pytestmark = pytest.mark.browser
SCRIPT_NAME = "<script>alert(1)</script>"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Served, str]]:
    db = tmp_path / "data" / "waitingroom.sqlite3"
    made = subprocess.run(
        [sys.executable, "-m", "bot", "supporters", "add", "lena", "--role", "lead", "--create"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "WAITINGROOM_DB": str(db)},
    )
    password = made.stdout.rsplit(": ", 1)[1].strip()
    served = serve(tmp_path)
    yield served, password
    stop(served)


def _log_in_and_choose_a_password(page: Page, url: str, name: str, one_time: str) -> None:
    page.goto(url + "/dashboard")
    expect(page).to_have_url(re.compile(r"/dashboard/login$"))
    page.get_by_label("Login name").fill(name)
    page.get_by_label("Password").fill(one_time)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/account$"))
    expect(page.get_by_role("alert")).to_contain_text("one-time password")
    page.get_by_label("Current password").fill(one_time)
    page.get_by_label("New password (at least 12 characters)").fill("a phrase I chose myself")
    page.get_by_label("New password again").fill("a phrase I chose myself")
    page.get_by_role("button", name="Change password").click()
    # A first password goes on to the desk, which has a connection status line too.
    expect(page.get_by_role("status").filter(has_text="new password")).to_contain_text(
        "new password is saved"
    )


def test_a_lead_sets_up_a_supporter_who_cannot_open_lead_pages(
    browser: Browser, site: tuple[Served, str]
) -> None:
    served, lead_password = site
    dialogs: list[str] = []

    lead = browser.new_context().new_page()
    lead.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _log_in_and_choose_a_password(lead, served.url, "lena", lead_password)
    lead.get_by_role("link", name="Supporters").click()
    lead.get_by_label("Login name").fill("sam")
    lead.get_by_label("Display name (the first name people see)").fill(SCRIPT_NAME)
    lead.get_by_label("Caseload cap (conversations at once)").select_option("1")
    lead.get_by_label("Tags, separated by commas").fill("carer, language:pl")
    lead.get_by_role("button", name="Add supporter").click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text(SCRIPT_NAME)
    one_time = lead.locator("#one-time-password").inner_text()

    supporter = browser.new_context().new_page()
    supporter.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _log_in_and_choose_a_password(supporter, served.url, "sam", one_time)
    expect(supporter.locator(".who")).to_contain_text(SCRIPT_NAME)
    expect(supporter.get_by_role("link", name="Supporters")).to_have_count(0)
    refused = supporter.goto(served.url + "/dashboard/supporters")
    assert refused is not None and refused.status == 403
    expect(supporter.get_by_role("heading", level=1)).to_have_text("Not allowed")

    supporter.goto(served.url + "/dashboard")
    supporter.get_by_role("button", name="Start my shift").click()
    expect(supporter.get_by_text("You are on shift")).to_be_visible()

    lead.goto(served.url + "/dashboard/supporters")
    row = lead.get_by_role("row").filter(has_text="sam")
    expect(row).to_contain_text(SCRIPT_NAME)
    expect(row).to_contain_text("Yes")
    assert lead.locator("main script").count() == 0
    assert dialogs == []
