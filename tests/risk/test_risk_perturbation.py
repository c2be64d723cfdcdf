"""Perturbations of the golden messages: what people do to text must not hide risk.

Every urgent golden message stays urgent when cased differently, followed by "lol",
wrapped in emoji, stretched, typed with a typo in a long word, or split across two
messages at any word; no idiom becomes urgent under the same treatment; and adding
messages to a window never lowers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.risk import Level, assess

from .conftest import cases

GOLDEN = cases("golden.yaml")
URGENT = sorted({c.messages[0] for c in GOLDEN if c.level == "urgent" and len(c.messages) == 1})
IDIOMS = sorted({c.messages[0] for c in GOLDEN if c.section == "idioms"})
ALL_TEXTS = sorted({m for c in GOLDEN for m in c.messages})
# Long words people misspell; a typo in one must not hide the message.
FUZZY = re.compile(r"\b(suicide|suicidal|overdose|overdosed|paracetamol|sertraline|ibuprofen|"
                   r"amitriptyline|myself|himself|herself)\b", re.IGNORECASE)


def _stretch(text: str) -> str:
    """Stretch the last letter of each plain word: "i want to die" -> "i wanttt to dieee"."""
    return " ".join(w + w[-1] * 2 if w.isalpha() and len(w) >= 3 else w for w in text.split())


PERTURBATIONS: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "lol after": lambda t: f"{t} lol",
    "jk after": lambda t: f"{t} jk",
    "haha before": lambda t: f"haha {t}",
    "emoji around": lambda t: f"😭😭 {t} 💀",
    "emoji glued": lambda t: f"😭{t}😭",
    "stretched": _stretch,
    "curly apostrophes": lambda t: t.replace("'", "\u2019"),
    "shouted": lambda t: f"{t}!!!",
    "extra spaces": lambda t: "   ".join(t.split()),
    "new lines": lambda t: "\n".join(t.split()),
    "no apostrophes": lambda t: t.replace("'", ""),
}


@pytest.mark.parametrize("name", PERTURBATIONS)
def test_urgent_messages_stay_urgent_when_perturbed(name: str) -> None:
    change = PERTURBATIONS[name]
    lost = [f"{change(text)!r} -> {assess([change(text)]).level}" for text in URGENT
            if assess([change(text)]).level is not Level.URGENT]
    assert not lost, "\n".join(lost)


@pytest.mark.parametrize("name", PERTURBATIONS)
def test_idioms_stay_below_urgent_when_perturbed(name: str) -> None:
    change = PERTURBATIONS[name]
    shouted = [change(text) for text in IDIOMS if assess([change(text)]).level is Level.URGENT]
    assert not shouted, shouted


def test_urgent_messages_stay_urgent_split_at_any_word() -> None:
    lost = []
    for text in URGENT:
        words = text.split()
        for cut in range(1, len(words)):
            window = [" ".join(words[:cut]), " ".join(words[cut:])]
            if assess(window).level is not Level.URGENT:
                lost.append(window)
    assert not lost, "\n".join(map(repr, lost))


def test_idioms_stay_below_urgent_split_at_any_word() -> None:
    for text in IDIOMS:
        words = text.split()
        for cut in range(1, len(words)):
            window = [" ".join(words[:cut]), " ".join(words[cut:])]
            assert assess(window).level is not Level.URGENT, window


def _typos(word: str) -> list[str]:
    """One letter dropped, doubled or swapped with the next (never the first letter)."""
    out = []
    for i in range(1, len(word)):
        out.append(word[:i] + word[i + 1:])
        out.append(word[:i] + word[i] + word[i:])
        if i + 1 < len(word):
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    return [typo for typo in out if typo.lower() != word.lower()]


def test_a_typo_in_a_long_word_does_not_hide_urgency() -> None:
    with_long_words = [text for text in URGENT if FUZZY.search(text)]
    assert len(with_long_words) >= 25
    lost = []
    for text in with_long_words:
        word = FUZZY.search(text).group()  # type: ignore[union-attr]
        for typo in _typos(word):
            changed = text.replace(word, typo, 1)
            if assess([changed]).level is not Level.URGENT:
                lost.append(changed)
    assert not lost, "\n".join(lost)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(ALL_TEXTS), min_size=1, max_size=3),
    st.lists(st.sampled_from(ALL_TEXTS), max_size=2),
    st.lists(st.sampled_from(ALL_TEXTS), max_size=2),
)
def test_adding_messages_to_a_window_never_lowers_it(
    window: list[str], before: list[str], after: list[str]
) -> None:
    assert assess(before + window + after).level >= assess(window).level


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(URGENT), st.lists(st.sampled_from(ALL_TEXTS), max_size=4),
       st.integers(min_value=0, max_value=4))
def test_an_urgent_message_anywhere_in_a_window_makes_it_urgent(
    text: str, others: list[str], position: int
) -> None:
    window = [*others]
    window.insert(min(position, len(window)), text)
    assert assess(window).level is Level.URGENT
