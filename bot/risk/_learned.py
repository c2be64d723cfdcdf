"""The learned layer: a linear model over word and character n-grams, explainable.

Trained by ``waitingroom risk build`` (scikit-learn's logistic regression, a dev-only
dependency) on the reviewed, labelled messages in ``data/*.yaml``; the weights are
written to ``data/model.json``, a committed, reviewable file. At run time only that file
is read, and scoring is plain Python: no scikit-learn, no download, CPU only.

Two scores: ``risk`` (concern or urgent, against none) and ``urgent`` (against the rest).
Each is the logistic of a bias plus the weights of the message's n-grams, each n-gram
counted once and the vector scaled to unit length. Why a message scored as it did is the
words and phrases of the message whose n-grams weighed most (``explain``): each
character n-gram's pull is given to the word it was read from, so a reader sees
"tablets" and "took all", not " tab" and "ook".
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._model import Level

DEFAULT_MODEL = Path(__file__).parent / "data" / "model.json"
FORMAT = "waitingroom-risk-linear/1"


class ModelError(ValueError):
    """The learned layer's file cannot be used."""


@dataclass(frozen=True, slots=True)
class Features:
    """Which n-grams a model reads; the model file says which (``features``), so training
    and scoring agree. A file without the key was written before there was a choice."""

    words: tuple[int, ...] = (1, 2)  # word n-gram lengths
    chars: tuple[int, ...] = (3, 4, 5)  # character n-gram lengths (none: words only)
    # Character n-grams inside each word padded with spaces ("c: tab"), or across the words
    # of each clause ("c:ll my"), never across a clause's end.
    across: bool = False

    def as_json(self) -> dict[str, object]:
        return {"words": list(self.words), "chars": list(self.chars), "across": self.across}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Features:
        if data is None:
            return cls()
        spec = cls(
            tuple(int(n) for n in data["words"]),
            tuple(int(n) for n in data["chars"]),
            bool(data["across"]),
        )
        if (not spec.words and not spec.chars) or any(n < 1 for n in spec.words + spec.chars):
            raise ValueError(f"no usable n-grams in {data!r}")
        return spec


DEFAULT_FEATURES = Features()


def features(text: str, spec: Features = DEFAULT_FEATURES) -> list[str]:
    """The distinct n-grams of a normalised text (words of the rules' normaliser).

    Word n-grams ("w:took all") and character n-grams ("c: tab"), as ``spec`` says. Sorted,
    so training and scoring agree exactly.
    """
    return sorted(_read_from(text, spec))


def _read_from(text: str, spec: Features = DEFAULT_FEATURES) -> dict[str, list[str]]:
    """Each n-gram of a normalised text, with the words or phrase of the text it was read
    from: a word n-gram its own words, a character n-gram every distinct word it overlaps.

    One function for both, so an explanation names exactly what the model counted.
    """
    words = text.split()
    tokens = [t for t in words if t != "|"]
    found: dict[str, list[str]] = {}
    for n in spec.words:
        for i in range(len(tokens) - n + 1):
            phrase = " ".join(tokens[i : i + n])
            found.setdefault("w:" + phrase, [phrase])
    if spec.across:
        pieces = [c.split() for c in " ".join(words).split("|") if c.strip()]
    else:
        pieces = [[token] for token in dict.fromkeys(tokens)]
    for piece in pieces:
        padded = f" {' '.join(piece)} "
        # Which word of the piece each character is part of (None: a space).
        owner: list[str | None] = [None]
        for token in piece:
            owner += [token] * len(token) + [None]
        for n in spec.chars:
            for i in range(len(padded) - n + 1):
                held = found.setdefault("c:" + padded[i : i + n], [])
                for word in dict.fromkeys(owner[i : i + n]):
                    if word is not None and word not in held:
                        held.append(word)
    return found


@dataclass(frozen=True, slots=True)
class LearnedReading:
    level: Level
    risk: float
    urgent: float


class LearnedLayer:
    """Weights read from the committed JSON file; ``read`` is pure."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        if data.get("format") != FORMAT:
            raise ModelError(f"{source}: not a {FORMAT} file")
        try:
            self.version = str(data["version"])
            self.features = Features.from_json(data.get("features"))
            self.heads: dict[str, tuple[float, dict[str, float], float]] = {}
            for head in ("risk", "urgent"):
                part = data["heads"][head]
                weights = {str(k): float(v) for k, v in part["weights"].items()}
                self.heads[head] = (float(part["bias"]), weights, float(part["threshold"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"{source}: {error!r}") from error
        self.source = source

    def score(self, text: str) -> dict[str, float]:
        found = features(text, self.features)
        if not found:
            return {head: 0.0 for head in self.heads}
        scale = 1.0 / math.sqrt(len(found))
        out = {}
        for head, (bias, weights, _) in self.heads.items():
            z = bias + scale * sum(weights.get(f, 0.0) for f in found)
            out[head] = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        return out

    def read(self, text: str) -> LearnedReading:
        scores = self.score(text)
        level = Level.NONE
        if scores["risk"] >= self.heads["risk"][2]:
            level = Level.CONCERN
        if scores["urgent"] >= self.heads["urgent"][2]:
            level = Level.URGENT
        return LearnedReading(level, round(scores["risk"], 3), round(scores["urgent"], 3))

    def pulls(self, text: str) -> dict[str, dict[str, float]]:
        """For each head, its score before the bias shared out over the words and phrases
        of the text: a word n-gram's pull (weight over length) to its own words ("took
        all"), a character n-gram's to the word holding it, split evenly when several do.

        The pulls of a head add up to its linear score less its bias, so nothing the model
        weighed is hidden and nothing is shown that it did not weigh.
        """
        found = _read_from(text, self.features)
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        out: dict[str, dict[str, float]] = {}
        for head, (_, weights, _) in self.heads.items():
            pulled: dict[str, float] = {}
            for gram, words in found.items():
                if gram in weights and words:
                    share = weights[gram] * scale / len(words)
                    for word in words:
                        pulled[word] = pulled.get(word, 0.0) + share
            out[head] = pulled
        return out

    def explain(self, text: str, top: int = 6) -> dict[str, list[tuple[str, float]]]:
        """For each head, the words and phrases of the text that pulled hardest either way,
        with their pull, rounded: what a reviewer or lead reads as why (``pulls``)."""
        return {head: ranked(pulled, top) for head, pulled in self.pulls(text).items()}


def ranked(pulled: Mapping[str, float], top: int = 6) -> list[tuple[str, float]]:
    """The words that pulled hardest either way, rounded, best first; none that round to 0."""
    order = sorted(pulled.items(), key=lambda p: (-abs(p[1]), p[0]))
    shown = [(word, round(pull, 3)) for word, pull in order[:top]]
    return [(word, pull) for word, pull in shown if pull]


def as_typed(pulled: Mapping[str, float], written: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Pulls keyed by the words as the person typed them, from ``LearnedLayer.pulls``.

    ``written`` is the text as (read as, word as typed) for each word typed, in order
    (``Detector.window_written``). Each word or phrase read is given to the words typed it
    was read from ("fels" to "feels"; "do", "not" and "do not" all to "dont", summed). One
    read from different words in different places ("not" from "not" and from "dont")
    keeps its form as read: which of them pulled cannot be told. The sum is unchanged.
    """
    read: list[str] = []
    typed_at: list[int] = []
    for place, (words, _) in enumerate(written):
        for word in words.split():
            read.append(word)
            typed_at.append(place)
    shown: dict[str, set[str]] = {}
    # Every phrase length a feature set may read (Features.words); longer ones keep
    # their form as read.
    for n in (1, 2, 3):
        for i in range(len(read) - n + 1):
            typed = " ".join(written[p][1] for p in dict.fromkeys(typed_at[i : i + n]))
            shown.setdefault(" ".join(read[i : i + n]), set()).add(typed)
    out: dict[str, float] = {}
    for phrase, pull in pulled.items():
        forms = shown.get(phrase, set())
        label = next(iter(forms)) if len(forms) == 1 else phrase
        out[label] = out.get(label, 0.0) + pull
    return out


def load_learned(path: Path | None = None) -> LearnedLayer:
    path = Path(path) if path is not None else DEFAULT_MODEL
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise ModelError(f"{path}: not a JSON object")
    return LearnedLayer(data, str(path))


def similar(
    text: str,
    examples: Iterable[tuple[str, str, str]],
    top: int = 3,
    spec: Features = DEFAULT_FEATURES,
) -> list[tuple[float, str, str]]:
    """The reviewed examples nearest a text (cosine over the same n-grams): for explaining.

    ``examples`` are (normalised text, label, original text); returns (similarity, label,
    original text), best first.
    """
    mine = set(features(text, spec))
    if not mine:
        return []
    scored = []
    for normalised, label, original in examples:
        theirs = set(features(normalised, spec))
        if theirs:
            cosine = len(mine & theirs) / math.sqrt(len(mine) * len(theirs))
            scored.append((round(cosine, 3), label, original))
    scored.sort(key=lambda s: (-s[0], s[2]))
    return scored[:top]
