"""The risk layers as a person meets them: a split disclosure, a repeat, another
language. Played through the real engine (bot.engine.handle), rendered with the real
wording where the words are the behaviour. Hazard log H20."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.engine import Context, Inbound, Kind, Outcome, RiskAssessed, State, handle
from bot.wording import Wording

START = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
MESSAGES = Path(__file__).resolve().parents[2] / "messages"


def play(sent: Sequence[str], state: State | None = None) -> list[Outcome]:
    """What the person types, a minute apart; every outcome."""
    state = state or State()
    outcomes = []
    for number, text in enumerate(sent):
        at = START + timedelta(minutes=number)
        outcome = handle(state, Inbound(Kind.TEXT, at, text=text), Context(now=at))
        outcomes.append(outcome)
        state = outcome.state
    return outcomes


def keys(outcome: Outcome) -> list[str]:
    return [reply.key for reply in outcome.replies]


def alerts(outcome: Outcome) -> list[RiskAssessed]:
    return [e for e in outcome.effects if isinstance(e, RiskAssessed) and e.alerted]


def test_a_disclosure_split_over_two_texts_gets_the_urgent_reply_on_the_second() -> None:
    first, second = play(["I've got the rope", "it's in my bag now"])
    assert "urgent" not in keys(first)
    assert keys(second)[0] == "urgent"
    (alert,) = alerts(second)
    assert alert.level == "urgent" and "concept:means-in-hand" in alert.rules


def test_the_same_words_again_are_one_disclosure_not_two() -> None:
    first, again = play(["got the rope in my rucksack", "got the rope in my rucksack"])
    assert keys(first)[0] == "urgent" and len(alerts(first)) == 1
    assert not alerts(again)  # a resent text is not a second alert or a second count
    assert again.state.flag.label == "urgent"  # ...and the flag stays up


def test_an_urgent_message_in_another_language_gets_the_urgent_reply_and_interpreters() -> None:
    (outcome,) = play(["Chcę się zabić dzisiaj"])
    assert keys(outcome)[:2] == ["urgent", "other_languages"]
    assert keys(outcome)[-1] == "are_you_safe"
    assert all(reply.urgent for reply in outcome.replies)


def test_any_message_in_another_language_is_told_help_is_there_through_interpreters() -> None:
    (outcome,) = play(["Dzień dobry, czy mogę porozmawiać z kimś?"])
    assert keys(outcome)[0] == "other_languages"
    assert "greeting" in keys(outcome)
    text = Wording({}, MESSAGES).text("other_languages")
    assert "999" in text and "111" in text and "interpreter" in text


def test_the_interpreter_line_goes_once_a_conversation_and_again_with_an_urgent_reply() -> None:
    first, second, urgent = play(
        ["Dzień dobry, czy mogę porozmawiać z kimś?", "Dziękuję", "Chcę się zabić dzisiaj"]
    )
    assert "other_languages" in keys(first)
    assert "other_languages" not in keys(second)
    assert keys(urgent)[:2] == ["urgent", "other_languages"]
    saved = State.from_json(first.state.to_json())
    assert saved.languages_told == first.state.languages_told == ("pl",)


def test_english_messages_get_no_interpreter_line() -> None:
    (outcome,) = play(["is the safe haven open tonight"])
    assert "other_languages" not in keys(outcome)
