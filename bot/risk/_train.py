"""Training the learned layer: ``waitingroom risk build`` (needs the dev extras).

Reads the reviewed, labelled messages (``data/*.yaml`` and the golden set), fits
two logistic regressions with scikit-learn (liblinear, fixed order, no randomness), and
writes the weights as sorted, rounded JSON: the same data always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from ._learned import DEFAULT_FEATURES, FORMAT, Features, features

DATA = Path(__file__).parent / "data"
# The golden set is reviewed, labelled data too (tests/risk/golden.yaml); the hold-out
# sets are never trained on.
GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "risk" / "golden.yaml"
# An n-gram must appear in this many messages to get a weight; smaller weights are dropped.
_MIN_DF = 2
_MIN_WEIGHT = 0.02
_C = 4.0
# Chosen by five-fold cross-validation over the training data with the other layers on
# (bench/README.md): the learned layer adds recall where the lexicons have gaps, and its
# thresholds are set high so it does not cost the specificity the frames bought. Either
# score over its threshold raises a window to concern (never to urgent: bot/risk/_detector).
THRESHOLDS = {"risk": 0.8, "urgent": 0.8}

Case = tuple[str, tuple[str, ...], str]  # (level, messages, section)
# OpenBLAS (under liblinear) picks its kernels by CPU, AVX2 on one machine and AVX-512 on
# the next, and the last bit of a dot product differs between them: a few weights then
# round the other way. One kernel for every build keeps "the same data, the same bytes"
# true on any x86-64 machine (every one this service runs on has AVX2).
_KERNEL = "Haswell"


def cases(path: Path) -> list[Case]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    out = []
    for section, entries in data.items():
        for entry in entries:
            level, text, *_ = entry
            messages = tuple(text) if isinstance(text, list) else (str(text),)
            out.append((str(level), messages, str(section)))
    return out


def training_cases(paths: Sequence[Path] | None = None) -> list[Case]:
    if paths is None:
        paths = [*sorted(DATA.glob("*.yaml")), GOLDEN]
    return [case for path in paths if path.exists() for case in cases(path)]


def fit(
    training: Sequence[Case],
    window: Callable[[Sequence[str]], str],
    spec: Features = DEFAULT_FEATURES,
    c: float = _C,
    min_df: int = _MIN_DF,
    min_weight: float = _MIN_WEIGHT,
) -> dict[str, object]:
    """The model file's content for these cases; `window` normalises a case's messages.

    The defaults are the committed model's; bench/learned_features.py tries others."""
    import numpy as np
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    rows = [features(window(messages), spec) for _, messages, _ in training]
    df: dict[str, int] = {}
    for row in rows:
        for f in row:
            df[f] = df.get(f, 0) + 1
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= min_df))}
    data, indices, indptr = [], [], [0]
    for row in rows:
        scale = 1.0 / math.sqrt(len(row)) if row else 0.0
        kept = [vocabulary[f] for f in row if f in vocabulary]
        indices.extend(kept)
        data.extend([scale] * len(kept))
        indptr.append(len(indices))
    shape = (len(rows), len(vocabulary))
    x = csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape)
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    heads: dict[str, object] = {}
    for head, positive in (("risk", {"concern", "urgent"}), ("urgent", {"urgent"})):
        y = np.array([1 if level in positive else 0 for level, _, _ in training])
        model = LogisticRegression(
            C=c, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0
        )
        model.fit(x, y)
        weights = {
            name: round(float(w), 3)
            for name, w in zip(names, model.coef_[0], strict=True)
            if abs(w) >= min_weight
        }
        heads[head] = {
            "bias": round(float(model.intercept_[0]), 4),
            "threshold": THRESHOLDS[head],
            "weights": weights,
        }
    digest = hashlib.sha256(
        json.dumps([list(c) for c in training], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:12]
    return {
        "format": FORMAT,
        "version": digest,
        "about": (
            "Weights of the learned risk layer. Rebuild with `waitingroom risk build`; "
            "never edit by hand. Features: w: word n-grams, c: character n-grams."
        ),
        "trained_on": {
            "messages": len(training),
            "by_level": {
                level: sum(1 for c in training if c[0] == level)
                for level in ("none", "concern", "urgent")
            },
        },
        "features": spec.as_json(),
        "heads": heads,
    }


def dumps(model: dict[str, object]) -> str:
    return json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def built() -> str:
    """model.json's text for the reviewed data, as ``risk build`` writes it.

    On x86-64 the fit runs in a child process with OpenBLAS held to one kernel: the
    variable is read when OpenBLAS loads, which in this process may already be done.
    """
    pinned = os.environ.get("OPENBLAS_CORETYPE") == _KERNEL
    if platform.machine().lower() in ("x86_64", "amd64") and not pinned:
        child = subprocess.run(
            [sys.executable, "-m", "bot.risk._train"],
            env={**os.environ, "OPENBLAS_CORETYPE": _KERNEL},
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
        return child.stdout
    from . import load_detector

    return dumps(fit(training_cases(), load_detector(layers=["rules"]).window_text))


if __name__ == "__main__":
    sys.stdout.write(built())
