"""The reports page in Debian's Chromium, driven by Playwright (no browser download)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from .conftest import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_charts_filter_hidden_counts_and_the_csv(page: Page, server: Server) -> None:
    complaints: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            complaints.append(message.text)

    page.on("console", listen)
    page.goto(server.url + "/dashboard/reports?from=2026-06-01&to=2026-06-30")

    contacts = page.locator("#contacts-chart")
    expect(contacts).to_be_visible()
    assert contacts.bounding_box()["height"] > 100  # type: ignore[index]
    expect(contacts.locator("rect")).to_have_count(2)  # web, and the hidden SMS block
    expect(contacts.locator('rect[data-hidden="yes"]')).to_have_count(1)
    expect(page.locator("#feedback-chart rect")).to_have_count(2)
    expect(page.locator("#contacts-total")).to_have_text("withheld")
    expect(page.locator("#contacts-carers")).to_have_text("fewer than 5")
    expect(page.get_by_role("img", name="Contacts per day by channel")).to_be_visible()

    page.get_by_label("From", exact=True).fill("2026-07-01")
    page.get_by_label("To", exact=True).fill("2026-07-31")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#contacts-total")).to_have_text("7")
    expect(page.locator("#contacts-carers")).to_have_text("0")
    assert "from=2026-07-01" in page.url

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as CSV").click()
    download = downloading.value
    assert download.suggested_filename == "waitingroom-report-2026-07-01-to-2026-07-31.csv"
    with open(download.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert "contacts,,,,7" in lines
    assert "contacts,2026-07-10,telegram,,7" in lines
    # Inline SVG, no scripts, no inline styles: nothing for the CSP to refuse.
    assert not [c for c in complaints if "Content Security Policy" in c], complaints
