"""Links in replies: a pure function finds numbers to call, numbers to text and safe
web addresses; Telegram renders them as HTML links, the web chat as [start, end, href]."""

from __future__ import annotations

from bot.channels.links import find
from bot.channels.telegram import render
from bot.channels.webchat import with_links


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[link.start : link.end], link.href) for link in find(text)]


def test_the_urgent_numbers_are_links() -> None:
    text = (
        "If your life is at risk, call 999 or go to A&E now.\n"
        "NHS 111: call 111, choose the mental health option.\n"
        "Samaritans: call 116 123, free, 24/7.\nShout: text SHOUT to 85258."
    )
    assert _found(text) == [
        ("999", "tel:999"),
        ("111", "tel:111"),
        ("116 123", "tel:116123"),
        ("85258", "sms:85258?body=SHOUT"),
    ]


def test_uk_numbers_and_https_addresses() -> None:
    text = "Call 0808 2000 247 or 01274 123456; see https://carersresource.org. or www.mind.org.uk"
    assert _found(text) == [
        ("0808 2000 247", "tel:+448082000247"),
        ("01274 123456", "tel:+441274123456"),
        ("https://carersresource.org", "https://carersresource.org"),
        ("www.mind.org.uk", "https://www.mind.org.uk"),
    ]


def test_what_is_not_a_number_to_call_or_a_safe_address_stays_text() -> None:
    text = (
        "Open till 19:00 on 2026-12-01. You're number 3; about 150 minutes; "
        "http://plain.example.org and https://user@evil.example and javascript:alert(1)"
    )
    assert _found(text) == []


def test_telegram_html_links_and_still_escapes_everything_else() -> None:
    (html, _), *_ = render({"text": "<b>hi</b> call 116 123 or see https://a.org/?x=1&y=2"})
    assert "&lt;b&gt;hi&lt;/b&gt;" in html
    assert '<a href="tel:116123">116 123</a>' in html
    assert '<a href="https://a.org/?x=1&amp;y=2">https://a.org/?x=1&amp;y=2</a>' in html
    (plain, _), *_ = render({"text": "call 116 123"}, links=False)
    assert plain == "call 116 123"


def test_web_chat_offsets_count_as_the_browser_does() -> None:
    message = with_links({"text": "🙂 call 999"})
    ((start, end, href),) = message["links"]
    # The emoji is two UTF-16 code units in the browser's string.
    assert (start, end, href) == (8, 11, "tel:999")
