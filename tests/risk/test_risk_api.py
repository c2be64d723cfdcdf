"""The public API the engine relies on: types, failing safe, never raising, no I/O per check."""

from __future__ import annotations

import builtins
import dataclasses
import pathlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.risk as risk
from bot.risk import (
    INTERNAL_ERROR,
    Assessment,
    Level,
    RuleSet,
    assess,
    default_detector,
    default_ruleset,
    load_ruleset,
)
from bot.risk._languages import words
from bot.risk._normalise import osa_distance, squash

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_levels_are_ordered_and_read_as_labels() -> None:
    assert Level.NONE < Level.CONCERN < Level.URGENT
    assert max(Level.CONCERN, Level.URGENT) is Level.URGENT
    assert [level.label for level in Level] == ["none", "concern", "urgent"]
    assert str(Level.URGENT) == "urgent"
    assert f"{Level.CONCERN}" == "concern"
    assert f"{Level.URGENT:d}" == "2"
    assert "%s/%d" % (Level.URGENT, Level.URGENT) == "urgent/2"  # noqa: UP031 - as logging does
    assert Level(2) is Level.URGENT
    assert Level.from_label("concern") is Level.CONCERN
    with pytest.raises(ValueError, match="unknown level"):
        Level.from_label("high")


def test_an_assessment_is_frozen_and_carries_the_ruleset_version() -> None:
    assessment = assess(["I want to die"])
    assert isinstance(assessment, Assessment)
    # The version names every layer's data: the rules', the concepts', the model's.
    assert assessment.ruleset_version.startswith(default_ruleset().version + "+concepts-")
    assert "+model-" in assessment.ruleset_version
    with pytest.raises(dataclasses.FrozenInstanceError):
        assessment.level = Level.NONE  # type: ignore[misc]
    assert assessment.as_dict() == {
        "level": "urgent",
        "categories": ["suicidal_intent"],
        "rules": list(assessment.rules),
        "language": "en",
    }


def test_a_ruleset_has_a_version_rules_and_assesses() -> None:
    ruleset = load_ruleset()
    assert isinstance(ruleset, RuleSet)
    assert ruleset.version == "2026.11.1"
    assert len(ruleset.rules) >= 40
    assert ruleset.assess(["kms"]).level is Level.URGENT


def test_the_default_ruleset_is_loaded_once() -> None:
    assert default_ruleset() is default_ruleset()


@pytest.mark.parametrize(
    "messages",
    [[], [""], ["kms", None], [b"kms"], [42, "hi"], ("I want", "to die"), "I want to die"],
)
def test_whatever_arrives_is_read_as_text(messages: Any) -> None:
    assessment = assess(messages)
    assert isinstance(assessment.level, Level)


def test_a_single_string_is_one_message_not_letters() -> None:
    assert assess("I want to die").level is Level.URGENT  # type: ignore[arg-type]


@QUICK
@given(st.text())
def test_assess_never_raises_on_any_string(text: str) -> None:
    assert isinstance(assess([text]).level, Level)


@QUICK
@given(st.lists(st.text(alphabet=st.characters(codec=None), max_size=200), max_size=5))
def test_assess_never_raises_on_any_window(messages: list[str]) -> None:
    assessment = assess(messages)
    assert assessment.rules == tuple(sorted(set(assessment.rules)))


@QUICK
@given(
    st.lists(
        st.sampled_from(
            [
                "kill",
                "myself",
                "not",
                "never",
                "I",
                "want",
                "to",
                "die",
                "years ago",
                "lol",
                "💀",
                "k.i.l.l",
                "don't",
                "14",
                "my son",
                "...",
                ",",
                "\n",
                "od",
                "n't",
                "'",
                "{",
                "re:",
                "*",
            ]
        ),
        max_size=30,
    )
)
def test_assess_never_raises_on_risky_word_salad(words: list[str]) -> None:
    assessment = assess([" ".join(words)])
    assert INTERNAL_ERROR not in assessment.rules


def test_huge_and_strange_input_is_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in (
        "kill myself " * 20_000,
        "x" * 500_000,
        "\x00\x01\x02 kms",
        "\ud800 kms",
        "💀" * 50_000 + " kms",
        "k.i.l.l." * 10_000,
    ):
        assessment = assess([text])
        assert INTERNAL_ERROR not in assessment.rules


def test_a_letter_that_folds_to_a_phrase_does_not_multiply_the_words_read() -> None:
    # "ﷺ" decomposes to four words: 3,000 of them (within a web chat message) were 12,000
    # words for every layer, seconds of CPU for one message.
    assert default_detector().window_text(["ﷺ" * 3000]).split() == []
    assert len(words("ﷺ" * 3000)) <= 1000
    assert len(words("word " * 3000)) <= 1000
    assert words("ﷲ") == words("الله")  # a one-word ligature is still read as its word
    assert assess(["ﷺ" * 3000 + " kms"]).level is Level.URGENT


def test_an_internal_error_fails_safe_to_concern(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: RuleSet, messages: object, own: object = ()) -> Assessment:
        raise RuntimeError("a bug in the checker")

    monkeypatch.setattr(RuleSet, "assess_or_raise", broken)
    assessment = assess(["hi"])
    assert assessment.level is Level.CONCERN
    assert assessment.rules == (INTERNAL_ERROR,)
    assert assessment.ruleset_version.startswith(default_ruleset().version + "+")


def test_rules_that_cannot_load_fail_safe_to_concern(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(risk, "_default", None)
    monkeypatch.setattr(risk, "_detector", None)
    monkeypatch.setattr(risk, "DEFAULT_RULES", pathlib.Path("/nonexistent/rules"))
    assessment = assess(["a private message"])
    assert (assessment.level, assessment.rules) == (Level.CONCERN, (INTERNAL_ERROR,))
    assert "RuleError" in caplog.text
    assert "private" not in caplog.text  # the log names the error, never the message


def test_no_file_is_opened_at_check_time(monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset = default_ruleset()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("I/O during a check")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    for text in ("never seen before: kms", "a brand new sentence", "I'm 14 and I cut myself"):
        assert INTERNAL_ERROR not in ruleset.assess([text]).rules


def test_errors_log_the_error_type_never_the_message(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: RuleSet, messages: object, own: object = ()) -> Assessment:
        raise ValueError(f"could not read {messages!r}")

    monkeypatch.setattr(RuleSet, "assess_or_raise", broken)
    assess(["my secret message"])
    assert "ValueError" in caplog.text
    assert "secret" not in caplog.text


def test_squash_and_edit_distance() -> None:
    assert squash("killlll") == squash("kill") == "kil"
    assert squash("100") == "100"  # digits are numbers, never squashed
    assert osa_distance("suicide", "sucide", 1) == 1
    assert osa_distance("suicide", "siucide", 1) == 1  # a transposition counts once
    assert osa_distance("paracetamol", "paracetemol", 2) == 1
    assert osa_distance("overdose", "overload", 1) == 2  # stops early once past the limit
