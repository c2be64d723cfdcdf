"""The SMS adapter's pure parts: GSM-7, segments, rendering, numbers, keywords, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels.gsm import BASIC, EXTENDED, is_gsm, segments, septets, to_gsm
from bot.channels.sms import (
    ApiUrlHttpClient,
    classify,
    normalise_number,
    opt_change,
    render_sms,
    to_message,
)
from bot.config import load_settings
from bot.engine import Kind
from bot.service import wording_for
from bot.wording import Wording


@pytest.fixture(scope="module")
def wording() -> Wording:
    return wording_for(load_settings({}))


def test_the_alphabet_has_its_128_characters_and_9_extensions() -> None:
    assert len(BASIC) == 127  # 128 code points, one of which is the escape
    assert len(EXTENDED) == 10  # ^ { } \ [ ~ ] | € and form feed
    assert not BASIC & EXTENDED


@pytest.mark.parametrize(
    ("text", "gsm"),
    [
        ("I\u2019m \u201cfine\u201d", 'I\'m "fine"'),
        ("wait \u2013 or \u2014 not\u2026", "wait - or - not..."),
        ("call\u00a0116\u202f123", "call 116 123"),
        ("caf\u00e9 na\u00efve \u00e0 la", "café naive à la"),  # é and à are GSM-7, ï is not
        ("Zo\u00eb \u0141\u00f3d\u017a \u0153uvre", "Zoe Lodz oeuvre"),
        ("hugs \U0001f917\U0001f49c now", "hugs now"),
        ("\U0001f600", ""),
        ("\u2022 one\n\u2022 two", "- one\n- two"),
        ("£5 or €5 {x}", "£5 or €5 {x}"),
        ("tab\there", "tab here"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_text_is_mapped_to_gsm_7(text: str, gsm: str) -> None:
    assert to_gsm(text) == gsm
    assert is_gsm(to_gsm(text))


def test_mapping_everything_leaves_only_gsm_7() -> None:
    every = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    assert is_gsm(to_gsm(every))


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("{" * 80, 1),  # 160 septets
        ("{" * 81, 2),
        ("a" * 151 + "{" + "a" * 153, 2),  # the escape pair ends the first part
        ("a" * 152 + "€" + "a" * 151, 2),  # the pair starts the second part
        ("a" * 153 + "a" * 153 + "~", 3),
    ],
)
def test_segments(text: str, count: int) -> None:
    assert segments(text) == count


def test_an_escape_pair_is_never_split_between_segments() -> None:
    # 306 septets would fill two parts, but the pair cannot straddle their border.
    text = "a" * 152 + "[" + "a" * 152
    assert septets(text) == 306
    assert segments(text) == 3


def test_segments_refuse_non_gsm_text() -> None:
    with pytest.raises(ValueError):
        segments("I\u2019m")


def test_a_reply_is_its_text_then_numbered_options(wording: Wording) -> None:
    body = {
        "text": "What would help right now? Choose one.",
        "options": [["somewhere", "Somewhere to go now"], ["urgent", "Urgent help"]],
    }
    assert render_sms(body, wording) == (
        "What would help right now? Choose one.\n\n"
        "Reply with a number:\n1 Somewhere to go now\n2 Urgent help"
    )
    assert render_sms({"text": "Just words.", "options": []}, wording) == "Just words."


def test_rendering_maps_values_to_gsm(wording: Wording) -> None:
    body = {
        "text": "Caf\u00e9 \u201cM\u00f6t\u00f6rhead\u201d \U0001f3b8",
        "options": [["x", "\u2728 Go"]],
    }
    rendered = render_sms(body, wording)
    assert rendered == 'Café "Mötörhead"\n\nReply with a number:\n1 Go'
    assert is_gsm(rendered)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+447700900123", "+447700900123"),
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("+14155550100", "+14155550100"),
        ("  +447911123456 ", "+447911123456"),
        ("SHORTCODE", "SHORTCODE"),  # kept as sent: whoever wrote still gets an answer
    ],
)
def test_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert normalise_number(raw) == e164


@pytest.mark.parametrize(
    ("form", "change"),
    [
        ({"Body": "STOP"}, True),
        ({"Body": " stop "}, True),
        ({"Body": "Unsubscribe"}, True),
        *[({"Body": word}, True) for word in ("STOPALL", "CANCEL", "END", "QUIT", "REVOKE")],
        ({"Body": "optout"}, True),
        ({"Body": "START"}, False),
        ({"Body": "unstop"}, False),
        ({"Body": "stop please"}, None),  # Twilio matches the whole message only
        ({"Body": "please stop texting"}, None),
        ({"Body": "help"}, None),
        ({"Body": "whatever", "OptOutType": "STOP"}, True),
        ({"Body": "STOP", "OptOutType": "HELP"}, None),  # Twilio's own reading decides
        ({"Body": "go on", "OptOutType": "START"}, False),
        ({}, None),
    ],
)
def test_opt_out_and_back_in(form: dict[str, str], change: bool | None) -> None:
    assert opt_change(form) is change


def test_an_inbound_sms_is_text_or_a_picture_without_words() -> None:
    text = to_message({"MessageSid": "SM1", "Body": "hi\x07 there\n", "NumMedia": "0"}, "+44")
    assert (text.channel, text.kind, text.text, text.message_id) == (
        "sms",
        Kind.TEXT,
        "hi there\n",
        "SM1",
    )
    assert text.opt_out is None
    assert "opt_out" not in text.body()
    picture = to_message({"MessageSid": "SM2", "Body": "", "NumMedia": "1"}, "+44")
    assert picture.kind is Kind.UNSUPPORTED
    captioned = to_message({"MessageSid": "SM3", "Body": "look", "NumMedia": "1"}, "+44")
    assert captioned.kind is Kind.TEXT
    stop = to_message({"MessageSid": "SM4", "Body": "Stop"}, "+44")
    assert stop.kind is Kind.TEXT and stop.text == "Stop" and stop.opt_out is True


@pytest.mark.parametrize(
    ("status", "code", "outcome", "flags"),
    [
        ("queued", None, "sent", ()),
        ("sent", None, "sent", ()),
        ("delivered", None, "delivered", ()),
        ("read", None, "delivered", ()),
        ("undelivered", "30003", "retry", ()),
        ("failed", "30001", "retry", ()),
        ("undelivered", "30008", "retry", ()),
        ("failed", "21610", "failed", ("opted_out",)),
        ("undelivered", "30004", "failed", ("unreachable",)),
        ("undelivered", "30005", "failed", ("unreachable",)),
        ("undelivered", "30006", "failed", ("unreachable",)),
        ("failed", "21211", "failed", ("unreachable",)),
        ("undelivered", "30007", "failed", ()),
        ("failed", None, "failed", ()),
        ("canceled", None, "failed", ()),
    ],
)
def test_delivery_reports_are_classified(
    status: str, code: str | None, outcome: str, flags: tuple[str, ...]
) -> None:
    delivery = classify(status, code)
    assert delivery.outcome == outcome
    assert delivery.opted_out is ("opted_out" in flags)
    assert delivery.unreachable is ("unreachable" in flags)
    if outcome == "retry":
        assert delivery.retry_in is not None and delivery.retry_in <= timedelta(minutes=5)
    if outcome in ("retry", "failed") and code:
        assert code in (delivery.error or "")


async def test_the_api_url_replaces_scheme_and_host() -> None:
    client = ApiUrlHttpClient("http://127.0.0.1:9999/prefix/")
    try:
        url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?x=1"
        assert client.rewrite(url) == (
            "http://127.0.0.1:9999/prefix/2010-04-01/Accounts/AC1/Messages.json?x=1"
        )
    finally:
        await client.close()
    plain = ApiUrlHttpClient(None)
    try:
        assert plain.rewrite("https://api.twilio.com/x") == "https://api.twilio.com/x"
    finally:
        await plain.close()


def test_a_long_plan_goes_as_several_sms_by_section_within_the_budget(wording: Wording) -> None:
    from bot.channels.sms import BUDGET, split_sms
    from bot.engine import Reply
    from bot.engine.plan import MAX_ANSWER

    sections = {
        "signs": "not sleeping, " * (MAX_ANSWER // 14),
        "helps": "a walk by the canal, " * (MAX_ANSWER // 21),
        "people": "my sister Jo, " * (MAX_ANSWER // 14),
        "contacts": "the crisis team on 01274 123456, " * (MAX_ANSWER // 33),
    }
    plan = {name: text.strip(", ")[:MAX_ANSWER] for name, text in sections.items()}
    rendered = wording.render(Reply("plan_show", {"plan": plan}))
    body = {"text": rendered.text, "options": [list(o) for o in rendered.options]}
    whole = render_sms(body, wording)
    assert segments(whole) > BUDGET  # the seven segments, or near it
    parts = split_sms(whole)
    assert len(parts) > 1
    assert all(segments(part) <= BUDGET for part in parts)
    # Cut between sections: each section's heading starts a line of some part, whole.
    for heading in ("Warning signs:", "What helps:", "People and places:"):
        assert sum(heading in part for part in parts) == 1
    assert "\n".join(parts).replace("\n", "") == whole.replace("\n", "")
    assert "116 123" in parts[-1] or any("116 123" in p for p in parts)


def test_a_short_reply_is_one_sms() -> None:
    from bot.channels.sms import split_sms

    assert split_sms("Hello") == ["Hello"]
