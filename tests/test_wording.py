"""Every key the engine can emit exists in every shipped locale and renders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import load_settings
from bot.directory import Audience, load_directory, parse_where, search
from bot.engine import Option, Reply
from bot.engine.meaning import STEP_QUESTIONS
from bot.engine.replies import REPLY_KEYS
from bot.engine.safety import EXTRA_HELP
from bot.engine.somewhere import listing
from bot.service import wording_for
from bot.wording import Wording
from tests.wait_samples import WAIT_SAMPLES

CATEGORIES = ["abuse", "child_at_risk", "minor", "third_party", "suicidal_intent"]


def _places_samples() -> list[dict[str, object]]:
    """Every active listing in the starter directory, three at a time, at three hours."""
    directory = load_directory()
    samples: list[dict[str, object]] = []
    for hour in (3, 12, 21):
        now = datetime(2026, 11, 30, hour, tzinfo=UTC)
        results = [listing(r, now) for r in search(directory, None, Audience.CARER, now)]
        local = search(directory, parse_where("BD18", directory.places), Audience.ME, now)
        results += [listing(r, now) for r in local]
        for start in range(0, len(results), 3):
            samples.append(
                {"where": "BD18", "unknown_place": False, "results": results[start : start + 3]}
            )
    samples.append({"where": None, "unknown_place": True, "results": results[:3]})
    return samples


_SHIFTS = [
    {"on_shift": n, "waiting": w, "wait_minutes": m, "next_shift": None}
    for n, w, m in ((1, 0, None), (3, 12, 45), (2, 4, None))
]
_NEXT = [
    {
        "on_shift": 0,
        "waiting": 2,
        "wait_minutes": None,
        "next_shift": datetime(2026, 11, 28, 18) + timedelta(days=days),
        "today": date(2026, 11, 28),
    }
    for days in (0, 1, 3)
] + [{"on_shift": 0, "waiting": 0, "wait_minutes": None, "next_shift": None}]
_NAME = "Samira-Louise"
_PEER_SAMPLES: dict[str, list[dict[str, object]]] = {
    "talk_intro": _SHIFTS,
    "talk_nobody": _NEXT,
    "queue_joined": [
        {**_SHIFTS[1], "position": 13, "off_shift": False},
        {**_NEXT[0], "position": 3, "off_shift": True},
    ],
    "topic_saved": [{"skipped": False}, {"skipped": True}],
    "message_ask": [_NEXT[0], {**_NEXT[0], "next_shift": None}],
    "message_left": [{"skipped": False}],
    "queue_waiting": [{"position": 12}, {"position": None}, {"position": 3, "kept": True}],
    "queue_position": [{"position": 1}, {"position": 14}],
    "peer_joined": [{"name": _NAME}],
    "peer_message": [{"name": _NAME, "text": "I'm here. Take your time, there's no rush at all."}],
    "peer_live_note": [{"name": _NAME}],
    "peer_ended_by_you": [{"name": _NAME}],
    "peer_ended": [{"name": _NAME}],
    "peer_released": [{"name": _NAME, "position": 2}, {"name": _NAME, "position": None}],
    "peer_transferred": [{"name": _NAME, "new_name": "Jo"}],
    "peer_card": [{"supporter": _NAME, "r": r} for r in _places_samples()[0]["results"]],
}

SAMPLES: dict[str, list[dict[str, object]]] = {
    "places": _places_samples(),
    "not_ready": [{"feature": f} for f in ("somewhere", "x")],
    "urgent_more": [{"categories": [c]} for c in sorted(EXTRA_HELP)] + [{"categories": CATEGORIES}],
    **_PEER_SAMPLES,
    **WAIT_SAMPLES,
    # A carer's words about the person they care for (bot/engine/safety.py).
    "urgent": [{}, {"carer": False}, {"carer": True}],
    "concern": [{}, {"carer": False}, {"carer": True}],
    "carer_menu": [{}, {"safe": True}],
    # Every question can be asked again, once and then with a supporter offered.
    "reask": [
        {"question": q, "second": second}
        for q in (*sorted(STEP_QUESTIONS.values()), "talk_nobody", "grounding", "")
        for second in (False, True)
    ],
    "checkin_ok": [{"waiting_for": "callback", "has_plan": False}],
    "checkin_not_ok": [
        {"waiting_for": w, "has_plan": p} for w in ("callback", "") for p in (True, False)
    ],
}


@pytest.fixture(scope="module")
def wording() -> Wording:
    return wording_for(load_settings({}))


def test_every_key_renders_in_every_locale(wording: Wording) -> None:
    for locale in wording.locales():
        for key in (*REPLY_KEYS, "safety_net"):
            for values in SAMPLES.get(key, [{}]):
                text = wording.render(Reply(key, dict(values)), locale).text
                assert text.strip(), (locale, key, values)
        for option in Option:
            assert wording.label(option, locale).strip()


def test_a_missing_value_is_an_error_not_a_blank(wording: Wording) -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        wording.render(Reply("not_ready", {}))


def test_the_first_message_has_999_and_samaritans(wording: Wording) -> None:
    text = wording.render(Reply("greeting")).text
    assert "999" in text and "116 123" in text
    assert "not a person" in text and "not an emergency service" in text


def test_the_urgent_reply_has_every_number_in_order(wording: Wording) -> None:
    text = wording.render(Reply("urgent", urgent=True)).text
    positions = [text.index(n) for n in ("999", "111", "116 123", "85258", "0800 952 1181")]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("category", "needle"),
    [
        ("abuse", "0808 2000 247"),
        ("abuse", "55"),
        ("child_at_risk", "0800 1111"),
        ("minor", "0800 1111"),
        ("third_party", "999"),
    ],
)
def test_category_help(wording: Wording, category: str, needle: str) -> None:
    assert needle in wording.render(Reply("urgent_more", {"categories": [category]})).text


def test_values_are_not_interpreted_as_templates(wording: Wording) -> None:
    reply = Reply("not_ready", {"feature": "{{ 7*7 }}<b>"})
    assert "49" not in wording.render(reply).text


def test_the_web_page_is_escaped_and_has_the_numbers(wording: Wording) -> None:
    page = wording.page("chat.html", greeting="{}")
    assert "999" in page and "116 123" in page and "quick-exit" in page


def test_open_till_midnight_reads_as_words(wording: Wording) -> None:
    result = {
        "name": "Night café",
        "always_open": False,
        "open_now": True,
        "next_change": {"day": "today", "time": "00:00"},
    }
    sample = dict(_places_samples()[0])
    base = dict(sample["results"][0])  # type: ignore[index]
    sample["results"] = [{**base, **result}]
    text = wording.render(Reply("places", sample)).text
    assert "Open now till midnight." in text and "00:00" not in text
