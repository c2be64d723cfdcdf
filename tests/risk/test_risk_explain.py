"""Why the learned layer scored a message as it did, in words a lead can read: the words
and phrases of the message, each with its pull, adding up to exactly what the model
weighed. Hazard log H20 (the learned layer is explainable)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from itertools import pairwise

import pytest

from bot.risk import default_detector
from bot.risk._learned import FORMAT, LearnedLayer, as_typed, features

from .conftest import Case, cases

GOLDEN = cases()
# A spread of the golden windows (every tenth), one and several messages, any level.
SAMPLE = GOLDEN[::10]


def _layer(risk: dict[str, float], bias: float = -0.5) -> LearnedLayer:
    heads = {head: {"bias": bias, "weights": risk, "threshold": 0.5} for head in ("risk", "urgent")}
    return LearnedLayer({"format": FORMAT, "version": "test", "heads": heads}, "test")


def _phrases(window: str) -> set[str]:
    """Every word and two-word phrase of a normalised window, as the model counts them."""
    tokens = [t for t in window.split() if t != "|"]
    return set(tokens) | {f"{a} {b}" for a, b in pairwise(tokens)}


def _linear(layer: LearnedLayer, text: str, head: str) -> float:
    """The head's score before the logistic, less its bias, from its probability."""
    p = layer.score(text)[head]
    return math.log(p / (1.0 - p)) - layer.heads[head][0]


def test_a_character_ngram_pulls_through_the_word_it_was_read_from() -> None:
    layer = _layer({"w:took all": 0.5, "c:tab": 0.3, "c: to": 0.4, "w:lol": -0.25})
    scale = 1.0 / math.sqrt(len(features("took all tablets tonight lol")))
    pulls = layer.pulls("took all tablets tonight lol")["risk"]
    # " to" is in "took" and in "tonight": shared evenly; "tab" only in "tablets".
    assert pulls == pytest.approx(
        {
            "took all": 0.5 * scale,
            "tablets": 0.3 * scale,
            "lol": -0.25 * scale,
            "took": 0.2 * scale,
            "tonight": 0.2 * scale,
        }
    )
    shown = layer.explain("took all tablets tonight lol")["risk"]
    assert [word for word, _ in shown] == ["took all", "tablets", "lol", "tonight", "took"]
    assert dict(shown)["lol"] < 0, "a pull keeps its sign"


@pytest.mark.parametrize("case", SAMPLE, ids=[c.label[:60] for c in SAMPLE])
def test_the_pulls_add_up_to_the_models_score_less_its_bias(case: Case) -> None:
    detector = default_detector()
    layer = detector.learned
    assert layer is not None
    window = detector.window_text(list(case.messages))
    if not features(window):  # nothing read ("", "..."): nothing scored, nothing pulls
        assert all(not pulled for pulled in layer.pulls(window).values())
        return
    for head, pulled in layer.pulls(window).items():
        assert math.isclose(sum(pulled.values()), _linear(layer, window, head), abs_tol=1e-9)


@pytest.mark.parametrize("case", SAMPLE, ids=[c.label[:60] for c in SAMPLE])
def test_every_explained_item_is_a_word_or_phrase_of_the_message(case: Case) -> None:
    # Not a character n-gram (" tab", "ook"), nor a feature's name ("w:", "c:").
    detector = default_detector()
    assert detector.learned is not None
    window = detector.window_text(list(case.messages))
    for head, shown in detector.learned.explain(window).items():
        assert all(word in _phrases(window) for word, _ in shown), (head, shown)
        assert all(pull != 0 for _, pull in shown)
        assert [abs(p) for _, p in shown] == sorted((abs(p) for _, p in shown), reverse=True)


@pytest.mark.parametrize("case", SAMPLE, ids=[c.label[:60] for c in SAMPLE])
def test_the_words_as_typed_are_the_words_read_and_pull_the_same(case: Case) -> None:
    detector = default_detector()
    assert detector.learned is not None
    messages = list(case.messages)
    window, written = detector.window_text(messages), detector.window_written(messages)
    # The same words, in the same order, as the model reads: nothing to drift apart.
    assert " ".join(read for read, _ in written).split() == [t for t in window.split() if t != "|"]
    typed = [t for _, t in written]
    phrases = set(_phrases(window)) | _phrases(" ".join(typed))
    for pulled in detector.learned.pulls(window).values():
        shown = as_typed(pulled, written)
        assert math.isclose(sum(shown.values()), sum(pulled.values()), abs_tol=1e-9)
        assert set(shown) <= phrases, set(shown) - phrases


def test_a_word_read_differently_is_shown_as_typed_and_its_pulls_summed() -> None:
    written = [("i", "i"), ("do not", "dont"), ("fels", "feels"), ("not", "not")]
    pulled = {"do": 0.1, "do not": 0.2, "fels": 0.3, "not": 0.4, "i do": 0.5}
    shown = as_typed(pulled, written)
    # "not" is read from "dont" and from "not": which pulled cannot be told, so as read.
    assert shown == pytest.approx({"dont": 0.3, "feels": 0.3, "not": 0.4, "i dont": 0.5})


def test_a_worrying_message_is_explained_by_its_worrying_words() -> None:
    detector = default_detector()
    assert detector.learned is not None
    window = detector.window_text(["took all my tablets tonight"])
    shown = dict(detector.learned.explain(window)["urgent"])
    assert shown["tablets"] > 0 and shown["tonight"] > 0
    assert max(shown, key=lambda w: shown[w]) in {"tablets", "tonight"}
    # As typed, "took all" is itself, not the normaliser's "tok al".
    typed = as_typed(
        detector.learned.pulls(window)["urgent"],
        detector.window_written(["took all my tablets tonight"]),
    )
    assert {"took", "all", "took all", "tablets", "tonight"} <= set(typed)


def test_the_cli_explains_in_the_words_it_read() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.risk.cli", "--explain"],
        input="took all my tablets tonight\nIm gonna k1ll myselfff. lol\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for line in done.stdout.splitlines():
        found = json.loads(line)
        read = _phrases(" | ".join(found["read_as"]))
        words = found["layers"]["learned"]["words"]
        assert set(words) == {"risk", "urgent"}
        for shown in words.values():
            assert shown, "something weighed"
            assert all(word in read for word, _ in shown), shown
        typed = found["layers"]["learned"]["words_as_typed"]
        assert [len(t) for t in typed.values()] == [len(w) for w in words.values()]
    assert "features" not in found["layers"]["learned"], "n-grams are not what a lead reads"
