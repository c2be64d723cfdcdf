"""Everyday distress said plainly is concern; its everyday look-alikes are not (H30).

The wordings here are fresh, by kind, not copied from the rules' examples, the training
data or the bench sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.risk import Level, assess, default_detector

ROOT = Path(__file__).resolve().parents[2]
DISTRESS_RULES = ROOT / "bot" / "risk" / "rules" / "distress.yaml"
SELFCHECK = ROOT / "bench" / "risk-selfcheck-riskconcern.jsonl"

CONCERN = [
    "these panic attacks keep coming back every evening",
    "not slept at all in two nights and my mind won't slow down",
    "i've been making myself throw up after dinner",
    "i just cry all the time at the minute",
    "since dad passed the grief has been unbearable",
    "i haven't been able to leave the flat for a month",
    "lost my job and the rent's due, i'm falling apart",
    "i don't feel safe at home",
    "urges are strong again tonight",
    "wish i could just vanish for a while",
    "i keep hearing voices at night",
    "reet fed up wi life",
    "i'm burnt out from looking after my mum",
]

NONE: list[object] = [
    "people were panic buying flour at the weekend",
    "i'm dying to see the match on saturday",
    "we were crying laughing all night",
    "can't sleep, so excited for my birthday tomorrow",
    pytest.param(
        "i'm not eating meat this week",
        marks=pytest.mark.xfail(
            strict=True, reason="concepts.yaml's distress 'not eating' reads a diet (H30: left)"
        ),
    ),
    "cba ironing tonight",
    "losing it with this wifi lol",
    "what time does the carers' group start?",
]


@pytest.mark.parametrize("text", CONCERN)
def test_everyday_distress_is_concern(text: str) -> None:
    assert assess([text]).level is Level.CONCERN


@pytest.mark.parametrize("text", NONE)
def test_everyday_look_alikes_are_none(text: str) -> None:
    assert assess([text]).level is Level.NONE


def test_the_distress_rules_are_concern_and_carry_their_category() -> None:
    rules = [r for r in default_detector().rules.rules if r.source.endswith("distress.yaml")]
    assert len(rules) >= 10
    assert all(rule.level is Level.CONCERN for rule in rules)
    assert all("distress" in rule.categories for rule in rules)


def test_a_distress_rule_alone_does_not_hold_back_the_learned_urgent_step() -> None:
    # The learned layer's urgent reading waits for rules that read negation and timing;
    # the distress rules read neither, so heard alone they do not hold it back (H30).
    detector = default_detector()
    distress = [r.id for r in detector.rules.rules if "distress" in r.categories]
    assert detector._distress_only(distress[:2])
    assert not detector._distress_only([*distress[:1], "kill-self"])
    assert not detector._distress_only([])


def test_the_selfcheck_stays_above_its_floor() -> None:
    # Not blind: written before the change by the engineer who wrote the rules.
    rows = [json.loads(line) for line in SELFCHECK.read_text().splitlines() if line.strip()]
    risky = [r for r in rows if r["label"] != "none"]
    benign = [r for r in rows if r["label"] == "none"]
    found = sum(assess(r["messages"]).level is not Level.NONE for r in risky)
    quiet = sum(assess(r["messages"]).level is Level.NONE for r in benign)
    assert found / len(risky) >= 0.95
    assert quiet / len(benign) >= 0.85
