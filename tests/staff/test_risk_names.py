"""Every id the risk check can raise has a reviewed name for the desk (risk_names.yaml)."""

from __future__ import annotations

from itertools import combinations

from bot.peer.risk_names import language_name, name_of, named
from bot.risk import CATEGORIES, INTERNAL_ERROR, assess, default_detector
from bot.risk._detector import _FRAMES
from bot.wording import Wording


def _every_id() -> list[str]:
    detector = default_detector()
    assert detector.concepts is not None and detector.languages is not None
    ids = [*CATEGORIES, INTERNAL_ERROR, "learned", "learned:urgent", "learned:agrees"]
    ids += ["lang:routine-frame"]
    ids += [rule.id for rule in detector.rules.rules]
    ids += [f"concept:{c.id}" for c in detector.concepts.combinations]
    ids += [
        f"lang:{lang.code}:{level}"
        for lang in detector.languages.languages
        for level in ("concern", "urgent")
    ]
    frames = sorted(_FRAMES)
    ids += [
        "framed:" + "+".join(chosen)
        for size in range(1, len(frames) + 1)
        for chosen in combinations(frames, size)
    ]
    return ids


def test_every_id_the_risk_check_can_raise_has_a_name() -> None:
    names = Wording({}).risk_names()
    missing = [raised for raised in _every_id() if not name_of(names, raised)]
    assert missing == []


def test_every_language_the_check_names_has_a_name() -> None:
    names = Wording({}).risk_names()
    detector = default_detector()
    assert detector.languages is not None
    for code in ["en", *(lang.code for lang in detector.languages.languages)]:
        assert language_name(names, code) != code


def test_what_a_disclosure_raises_is_shown_by_name_not_id() -> None:
    names = Wording({}).risk_names()
    found = assess(["I want to kill myself tonight"])
    shown = named(names, [*found.categories, *found.rules])
    assert "Suicidal intent" in shown
    assert not set(shown) & {*found.categories, *found.rules}


def test_every_outcome_tag_on_the_finish_form_has_its_report_name() -> None:
    from bot.peer.desk import OUTCOMES

    words = Wording({}).dashboard_words("reports_words.j2")
    assert all(tag in words.outcomes for tag in OUTCOMES)
