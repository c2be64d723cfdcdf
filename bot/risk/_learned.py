"""The learned layer: a linear model over word and character n-grams, explainable.

Trained by ``waitingroom risk build`` (scikit-learn's logistic regression, a dev-only
dependency) on the reviewed, labelled messages in ``data/*.yaml``; the weights are
written to ``data/model.json``, a committed, reviewable file. At run time only that file
is read, and scoring is plain Python: no scikit-learn, no download, CPU only.

Two scores: ``risk`` (concern or urgent, against none) and ``urgent`` (against the rest).
Each is the logistic of a bias plus the weights of the message's n-grams, each n-gram
counted once and the vector scaled to unit length. Why a message scored as it did is the
n-grams that weighed most (``explain``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
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
    words = text.split()
    tokens = [t for t in words if t != "|"]
    found: set[str] = set()
    for n in spec.words:
        for i in range(len(tokens) - n + 1):
            found.add("w:" + " ".join(tokens[i : i + n]))
    if spec.across:
        clauses = " ".join(words).split("|")
        pieces = [f" {' '.join(c.split())} " for c in clauses if c.strip()]
    else:
        pieces = [f" {token} " for token in tokens]
    for padded in pieces:
        for n in spec.chars:
            for i in range(len(padded) - n + 1):
                found.add("c:" + padded[i : i + n])
    return sorted(found)


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

    def explain(self, text: str, top: int = 6) -> dict[str, list[tuple[str, float]]]:
        """For each head, the n-grams that pushed hardest, with their pull (weight/length)."""
        found = features(text, self.features)
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        out = {}
        for head, (_, weights, _) in self.heads.items():
            pulls = [(f, round(weights[f] * scale, 3)) for f in found if f in weights]
            pulls.sort(key=lambda p: (-abs(p[1]), p[0]))
            out[head] = pulls[:top]
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
