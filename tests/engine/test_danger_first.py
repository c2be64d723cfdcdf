"""Danger said beside an answer gets urgent help first, at any question but a safety one
(answers set 12: "15 mins is too long i need someone now" was taken as joining again, "i'm
feeling unsafe again" as a feedback note). Words that only look like it stay answers."""

from __future__ import annotations

import pytest

from bot.engine import Inbound, Kind

from .test_answers import BENCH

URGENT_FIRST = {"urgent", "safe_no", "carer_urgent"}


def _first(question: str, text: str) -> str:
    outcome = BENCH.send(question, Inbound(Kind.TEXT, BENCH.NOW, text=text))
    return outcome.replies[0].key if outcome.replies else ""


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("talk_intro", "15 mins is too long i need someone now"),
        ("talk_nobody", "6 is ages away i cant wait"),
        ("talk_nobody", "i cant hold on till 6"),
        ("message_ask", "i need someone now not at 6"),
        ("feedback_ask", "im not ok actually, i need help"),
        ("feedback_note", "i'm feeling unsafe again"),
        ("feedback_note", "actually i dont feel safe tonight"),
        ("wait_menu", "i feel unsafe, i need help right now"),
        ("checkin_offer", "i need somebody right now"),
        ("places", "none of these, i need help now"),
        ("forget_ask", "delete it all, i need help"),
    ],
)
def test_danger_beside_an_answer_is_urgent_help_first(question: str, text: str) -> None:
    assert _first(question, text) in URGENT_FIRST


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("talk_intro", "i cant wait to talk to someone"),
        ("plan_ask", "when i feel unsafe"),
        ("plan_ask", "i need help with my sleep"),
        ("topic_ask", "i need help with my benefits letter"),
        ("feedback_note", "i was not feeling unsafe, it was fine"),
        ("feedback_note", "i didnt need help in the end"),
    ],
)
def test_words_that_only_look_like_danger_stay_answers(question: str, text: str) -> None:
    assert _first(question, text) not in URGENT_FIRST
