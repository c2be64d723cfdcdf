"""The answers in messages/en-GB/answers: every file valid, every example read as it
claims, and the natural-answer sets scored by bench/answers.py at their bar."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.engine import Option
from bot.engine.meaning import AGAIN, ANSWERS, SPOKEN, _flag, answers, question_at, read
from bot.engine.replies import REPLY_KEYS

ROOT = Path(__file__).resolve().parents[2]
# own, second, third, fourth: written next to the matcher; blind1: 502 answers written by
# someone who never saw it (85.7% when first scored, before it was folded in here);
# blind2: 256 more written the same way (89.8% when first scored); blind3: 325 more
# (91.1% when first scored, 87.4% on the code before set 2 was folded); blind4: 330 more,
# at every question and in several languages (87.0% when first scored, sets 1-3 folded; seven
# labels changed, each with a note); blind5: 395 more, every question, ~50 in other
# languages (85.8% when first scored, sets 1-4 folded; one label changed); blind6: 310 more
# (89.7% when first scored, sets 1-5 folded; four labels changed, each with a note); blind7:
# 339 more (88.2% when first scored, sets 1-6 folded; no labels changed);
# blind9: 370 more, every question, ~1 in 7 other languages (92.4% when first scored, sets
# 1-8 folded; nine labels changed, each with a note); blind10: 373 more, every question,
# ~1 in 6 other languages (85.3% when first scored, sets 1-9 folded; ten labels changed to
# the standing rulings, each with a note); blind11: 357 more, every question, ~1 in 8 other
# languages (87.7% when first scored, sets 1-10 folded; three labels changed, each with a
# note); blind12: 373 more, every question, ~1 in 8 other languages (89.0% when first
# scored, sets 1-11 folded; seven labels changed to the standing rulings, each with a note);
# selfcheck-answers13: 40 written before the answers-13 changes, by set 12's kinds at other
# questions and in other words (a self-check, not blind: 35.0% as first written, 50.0% on
# that code with seven labels ruled by the standing rulings, each with a note; 92.5% after);
# selfcheck8: 40 written before the answers-8 changes, by the kinds they fix and at other
# questions (a self-check, not blind: 32.5% when first scored, 90% after);
# fresh40: 40 written next to the matcher but before the changes made for them (87.5% when
# first scored); probes: written while generalising, by kind (hedges, emoji, text-speak,
# corrections; answers11 added 35 fresh wordings of set 10's kinds, written after its fold:
# 33/35 when first scored; answers13 added 55 of set 12's kinds, written after its fold: 49/55
# when first scored).
SETS = sorted((Path(__file__).parent / "answers").glob("*.jsonl"))
MEANINGS = {o.value for o in Option} | SPOKEN
# A set held at the figure it reached when folded in (blind6: 306/310 after answers 8,
# blind7: 325/339 after answers 8, blind9: 364/370 after answers 10, blind10: 366/373 after
# answers 11, blind11: 338/357 after answers 12 and 343/357 after answers 13, blind8:
# 310/350 after answers 13, blind12: 364/373 after answers 13).
BARS = {
    "blind6": 0.98,
    "blind7": 0.95,
    "blind8": 0.88,
    "blind9": 0.98,
    "blind10": 0.98,
    "blind11": 0.96,
    "blind12": 0.97,
}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_answers", ROOT / "bench" / "answers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_answers"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


def test_every_question_file_names_a_question_the_bot_asks() -> None:
    names = {p.stem for p in ANSWERS.glob("*.yaml") if not p.stem.startswith("_")}
    assert names == set(BENCH.SETTINGS) - {"greeting"} | {"safe_no"}
    assert names <= set(REPLY_KEYS)


@pytest.mark.parametrize("question", sorted(answers().questions))
def test_every_option_and_meaning_exists(question: str) -> None:
    asked = answers().questions[question]
    for option in (*asked.options, *asked.negated.values()):
        assert option in MEANINGS, (question, option)
    for meaning in (asked.yes, asked.no, asked.not_sure, asked.anything_else):
        assert not meaning or meaning in MEANINGS, (question, meaning)
    for option, phrases in asked.options.items():
        assert all(phrases), (question, option)
    if asked.safety:
        # At a safety question not sure means not safe, and it must be said so.
        assert asked.not_sure in ("safe_no", "thoughts_yes", "they_not_safe")


def _examples() -> list[tuple[str, str, str]]:
    found = [(q, t, m) for q, a in answers().questions.items() for t, m in a.examples.items()]
    return found + [("", t, m) for t, m in answers().examples.items()]


@pytest.mark.parametrize(("question", "text", "means"), _examples())
def test_every_example_means_what_it_says(question: str, text: str, means: str) -> None:
    offered = BENCH.at_question(question).offered if question in BENCH.SETTINGS else ()
    if question == "safe_no":
        offered = ("talk", "menu")
    reading = read(question, text, offered)
    if means == "unclear":
        # Not understood, or "what do you mean?": either way the question is asked again.
        assert reading.meaning in (None, AGAIN), reading
    elif means == "text":
        assert reading.meaning is None, reading
    else:
        assert means in MEANINGS
        assert reading.meaning == means, reading


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_natural_answers_are_understood(path: Path) -> None:
    result = BENCH.score(BENCH.read(path))
    misses = [(row["question"], row["text"], row["means"], keys) for row, keys in result.misses]
    assert result.understood / result.total >= BARS.get(path.stem, 0.9), misses
    assert result.safety_fallbacks == 0


@pytest.mark.parametrize("question", sorted(set(BENCH.SETTINGS) - {"greeting"}))
def test_the_scorer_puts_each_answer_at_its_question(question: str) -> None:
    # A journey that grows a step would otherwise score its answers at the wrong question
    # (the feedback note was once read at the menu).
    state = BENCH.at_question(question)
    assert question_at(state.step, state.offered) == question


def test_the_scorer_is_not_lenient() -> None:
    # A wrong reading, a re-ask for a clear answer and the fallback are all misses.
    assert not BENCH.judge("are_you_safe", "yes im safe", "safe_no")[0]
    assert not BENCH.judge("wait_ask", "zzzz", "wait_callback")[0]
    assert not BENCH.judge("menu", "blue cheese", "talk")[0]
    assert not BENCH.judge("plan_ask", "go back", "text")[0]
    assert not BENCH.judge("wait_date_ask", "next tuesday", "date:2026-12-01")[0]
    assert BENCH.judge("menu", "blue cheese", "unclear")[0]


ASKED_AGAIN = sorted(
    set(BENCH.SETTINGS) - {"topic_ask", "message_ask", "plan_ask", "feedback_note", "grounding"}
)


@pytest.mark.parametrize("question", ASKED_AGAIN)
def test_nobody_loses_their_place(question: str) -> None:
    """At every question, words that mean nothing there ask the same question again;
    the second time a supporter and the menu are offered too."""
    from bot.engine import Inbound, Kind, Option

    state = BENCH.at_question(question)
    first = BENCH.handle(
        state, Inbound(Kind.TEXT, BENCH.NOW, text="zxq vrrp"), BENCH.context(question, BENCH.NOW)
    )
    keys = [r.key for r in first.replies]
    assert "fallback" not in keys
    if question == "where_ask":  # national lines, and a request for a town or postcode
        assert first.replies[0].values.get("unknown_place")
        return
    asked = question_at(state.step, state.offered)
    assert question_at(first.state.step, first.state.offered) == asked, keys
    second = BENCH.handle(
        first.state,
        Inbound(Kind.TEXT, BENCH.NOW, text="blorp"),
        BENCH.context(question, BENCH.NOW),
    )
    assert question_at(second.state.step, second.state.offered) == asked
    if question in ("queue_waiting",):
        return  # waiting in the queue: the queue's own reply, a supporter is coming
    (reply,) = second.replies
    assert reply.key in ("reask", "wait_date_ask"), reply.key
    if reply.key == "reask":
        assert reply.values["second"] and Option.TALK in reply.options
        assert reply.urgent == (question in BENCH.SAFETY)


@pytest.mark.parametrize(
    ("value", "default", "read"),
    [(None, True, True), (None, False, False), ("false", True, False), ("true", False, True)],
)
def test_a_yes_no_setting_in_an_answers_file_reads_as_written(
    value: object, default: bool, read: bool
) -> None:
    # The files have no YAML booleans ("no" is a word people type), so "false" is text:
    # read as text it was once true.
    assert _flag(value, default) is read


def test_a_yes_no_setting_that_is_neither_stops_the_load() -> None:
    with pytest.raises(ValueError):
        _flag("sometimes", False)
