"""Links in a reply's text: phone numbers to call, numbers to text, web addresses.

Pure: text in, spans out. Each channel turns the spans into its own links (the web
chat builds DOM nodes from them, Telegram HTML wraps them in ``<a>``), so a person can
tap "116 123" or "text SHOUT to 85258" instead of copying it. Only https addresses are
ever linked; anything else stays plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlsplit

import phonenumbers
from phonenumbers import shortnumberinfo

REGION = "GB"

# "text SHOUT to 85258": a keyword, then a short code to send it to.
_TEXT_TO = re.compile(r"\btext\s+([A-Za-z][A-Za-z0-9]{0,19})\s+to\s+(\d{5,6})\b", re.IGNORECASE)
# Short numbers (999, 111, 116 123) that phonenumbers' matcher does not look for.
# Not part of a longer number, a time (19:00), a date or a decimal.
_SHORT = re.compile(r"(?<![\d+])(?<!\d[:.,/-])(\d{3}(?: ?\d{3})?)(?!\d|[:.,/-]\d|\s?%)")
# A short number that costs something (111, 150) is linked only where the words say to
# call it, so "about 150 minutes" stays text; free ones (999, 116 123) always are.
_CALL = re.compile(r"\b(?:call|ring|phone|dial)\s+(?:us\s+on\s+|on\s+)?$", re.IGNORECASE)
# A web address: https://..., or www.... (read as https).
_WEB = re.compile(r"\b(?:https://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True, slots=True)
class Link:
    """Characters ``start:end`` of the text, and where a tap on them goes."""

    start: int
    end: int
    href: str
    kind: Literal["tel", "sms", "web"]


def _web(text: str) -> list[Link]:
    found = []
    for match in _WEB.finditer(text):
        raw = match.group(0).rstrip(_TRAILING)
        url = raw if raw.lower().startswith("https://") else "https://" + raw
        parts = urlsplit(url)
        # No credentials, a real host name: anything odd stays text.
        if parts.scheme != "https" or "@" in parts.netloc or "." not in (parts.hostname or ""):
            continue
        found.append(Link(match.start(), match.start() + len(raw), url, "web"))
    return found


def _sms(text: str) -> list[Link]:
    return [
        Link(
            match.start(2),
            match.end(2),
            f"sms:{match.group(2)}?body={quote(match.group(1).upper())}",
            "sms",
        )
        for match in _TEXT_TO.finditer(text)
    ]


def _long_numbers(text: str) -> list[Link]:
    found = []
    matcher = phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(Link(match.start, match.end, f"tel:{e164}", "tel"))
    return found


def _short_numbers(text: str) -> list[Link]:
    found = []
    for match in _SHORT.finditer(text):
        digits = match.group(1).replace(" ", "")
        try:
            number = phonenumbers.parse(digits, REGION)
        except phonenumbers.NumberParseException:
            continue
        if not shortnumberinfo.is_valid_short_number_for_region(number, REGION):
            continue
        free = shortnumberinfo.expected_cost_for_region(number, REGION) == (
            shortnumberinfo.ShortNumberCost.TOLL_FREE
        )
        if free or _CALL.search(text[max(0, match.start(1) - 20) : match.start(1)]):
            found.append(Link(match.start(1), match.end(1), f"tel:{digits}", "tel"))
    return found


def find(text: str) -> list[Link]:
    """Every link in ``text``, in order, none overlapping.

    Earlier kinds win an overlap: a web address before the numbers inside it, a number
    to text before the same digits read as a number to call."""
    chosen: list[Link] = []
    for candidates in (_web(text), _sms(text), _long_numbers(text), _short_numbers(text)):
        for link in candidates:
            if all(link.end <= other.start or link.start >= other.end for other in chosen):
                chosen.append(link)
    return sorted(chosen, key=lambda link: link.start)
