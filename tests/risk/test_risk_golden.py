"""The golden and hold-out sets: no urgent message missed, no idiom shouted, accuracy floors.

The golden set (tests/risk/golden.yaml) was written alongside the rules, so its accuracy
is optimistic: the floors guard against regressions. What matters most is absolute:
every urgent entry is assessed urgent. The hold-out set (holdout.yaml) was written after
the rules and scored once before any change; its first score is in the hazard log.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.risk import CATEGORIES, Assessment, assess

from .conftest import SUMMARY, Case, cases

GOLDEN = cases("golden.yaml")
HOLDOUT = cases("holdout.yaml")
# Exact-level accuracy floors. Golden: a few entries are deliberate over-triggers (a
# negation five words back, "told me to kill myself") that stay urgent because missing
# risk is worse; 0.97 allows about a dozen such, and no more. Hold-out: lower, as its
# wordings were not written with the rules in view.
GOLDEN_FLOOR = 0.97
HOLDOUT_FLOOR = 0.9


def _results(selected: list[Case]) -> list[tuple[Case, Assessment]]:
    return [(case, assess(list(case.messages))) for case in selected]


def test_the_golden_set_is_large_and_covers_every_category() -> None:
    assert len(GOLDEN) >= 300
    expected = {category for case in GOLDEN for category in case.categories}
    assert set(CATEGORIES) <= expected
    assert {case.level for case in GOLDEN} == {"none", "concern", "urgent"}


def test_every_urgent_golden_message_is_assessed_urgent() -> None:
    missed = [f"{case.label} -> {result.level}" for case, result in _results(GOLDEN)
              if case.level == "urgent" and result.level.label != "urgent"]
    assert not missed, "urgent messages not assessed urgent:\n" + "\n".join(missed)


def test_no_urgent_hold_out_message_is_assessed_none() -> None:
    # The hold-out set measures novel wording and is not tuned entry by entry, so a miss
    # to concern is reported in the figures; a miss to none fails.
    missed = [f"{case.label} -> {result.rules}" for case, result in _results(HOLDOUT)
              if case.level == "urgent" and result.level.label == "none"]
    assert not missed, "urgent hold-out messages assessed none:\n" + "\n".join(missed)


@pytest.mark.parametrize(("name", "selected"), [("golden", GOLDEN), ("hold-out", HOLDOUT)])
def test_no_idiom_or_ordinary_message_is_urgent(name: str, selected: list[Case]) -> None:
    shouted = [f"{case.label} -> {result.rules}"
               for case, result in _results(selected)
               if case.level == "none" and result.level.label == "urgent"]
    assert not shouted, f"{name}: idioms or ordinary messages assessed urgent:\n" + "\n".join(
        shouted)


def test_idioms_are_not_risk_at_all() -> None:
    idioms = [case for case in GOLDEN + HOLDOUT if case.section == "idioms"]
    assert len(idioms) >= 30
    flagged = [f"{case.label} -> {result.rules}" for case, result in _results(idioms)
               if result.level.label != "none"]
    assert not flagged, "\n".join(flagged)


def test_expected_categories_are_found() -> None:
    missing = [f"{case.label}: wanted {case.categories}, got {result.categories}"
               for case, result in _results(GOLDEN)
               if not set(case.categories) <= set(result.categories)]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(("name", "selected", "floor"),
                         [("golden", GOLDEN, GOLDEN_FLOOR), ("hold-out", HOLDOUT, HOLDOUT_FLOOR)])
def test_exact_level_accuracy_and_precision(
    name: str, selected: list[Case], floor: float, record_property: pytest.RecordProperty
) -> None:
    results = _results(selected)
    pairs = Counter((case.level, result.level.label) for case, result in results)
    correct = sum(n for (want, got), n in pairs.items() if want == got)
    accuracy = correct / len(results)
    figures = [f"{name}: {len(results)} messages, exact level {correct}/{len(results)} "
               f"= {accuracy:.1%}"]
    for level in ("urgent", "concern", "none"):
        assessed = sum(n for (_, got), n in pairs.items() if got == level)
        expected = sum(n for (want, _), n in pairs.items() if want == level)
        hits = pairs[(level, level)]
        precision = hits / assessed if assessed else 1.0
        recall = hits / expected if expected else 1.0
        figures.append(f"  {level:8} precision {precision:.1%} ({hits}/{assessed}), "
                       f"recall {recall:.1%} ({hits}/{expected})")
        record_property(f"{name}_{level}_precision", round(precision, 4))
        record_property(f"{name}_{level}_recall", round(recall, 4))
    record_property(f"{name}_accuracy", round(accuracy, 4))
    SUMMARY.extend(figures)
    wrong = [f"{case.label}: wanted {case.level}, got {result.level} {result.rules}"
             for case, result in results if case.level != result.level.label]
    assert accuracy >= floor, "\n".join([*figures, *wrong])
