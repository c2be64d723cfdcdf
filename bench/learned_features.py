"""The learned layer's feature sets and regularisation side by side, scored as the whole
risk check on blind sets it was never trained on. Not a test: it prints figures.

    .venv/bin/python bench/learned_features.py [--only NAME,NAME] [--examples]

Each candidate is trained on the reviewed training data (``bot/risk/_train.py``, the same
cases ``waitingroom risk build`` reads), written to a temporary model file and loaded as
the detector's learned layer with every other layer as committed. Then:

- held out: ``bench/blind/risk-blind-8.jsonl`` and ``-9`` (not in the training data when
  this was written; if they are folded in later, these columns stop being held out),
  urgent recall / any-risk recall / benign specificity, all languages, English, others;
- regression: the golden set and blind sets 1-7 (trained on) and every natural-answer set
  in ``tests/engine/answers`` (bench/answers.py; the bars are tests/engine/test_answers.py);
- readability: of the three n-grams that pull hardest on the risk head for each held-out
  risky message, the share that are word n-grams ("w:took all") rather than character
  n-grams ("c: to"), and the model's size.

The learned layer's thresholds (``_train.THRESHOLDS``, the detector's urgent gate) are
held as committed for every candidate: a candidate is judged as it would ship.
Deterministic: OpenBLAS held to one kernel as in ``risk build``, no randomness.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import answers as answers_bench  # noqa: E402 - after the path is set
from risk_score import load  # noqa: E402

import bot.risk  # noqa: E402
from bot.risk import LAYERS, Detector, load_detector  # noqa: E402
from bot.risk._learned import Features  # noqa: E402
from bot.risk._train import (  # noqa: E402
    _C,
    _KERNEL,
    _MIN_DF,
    _MIN_WEIGHT,
    dumps,
    fit,
    training_cases,
)

BLIND = ROOT / "bench" / "blind"
HELD_OUT = ("risk-blind-8.jsonl", "risk-blind-9.jsonl")
TRAINED = tuple(f"risk-blind-{n}.jsonl" for n in range(1, 8))
GOLDEN = ROOT / "tests" / "risk" / "golden.yaml"
ANSWERS = sorted((ROOT / "tests" / "engine" / "answers").glob("*.jsonl"))
# The answer sets tests/engine/test_answers.py holds above 0.90 unless named here.
ANSWER_BARS = {"blind6": 0.98, "blind7": 0.95, "blind8": 0.86, "blind9": 0.98}


@dataclass(frozen=True)
class Candidate:
    name: str
    what: str
    spec: Features | None  # None: no learned layer at all (for scale)
    c: float = _C
    min_df: int = _MIN_DF
    min_weight: float = _MIN_WEIGHT


WORD12 = Features((1, 2), ())
CANDIDATES = (
    Candidate("none", "no learned layer (the other three only)", None),
    Candidate("a", "committed: words 1-2, chars 3-5 in words", Features()),
    Candidate("b", "words 1-2 only", WORD12),
    Candidate("b3", "words 1-3 only", Features((1, 2, 3), ())),
    Candidate("c", "words 1-3, chars 4-5 in words", Features((1, 2, 3), (4, 5))),
    Candidate("d", "words 1-2, chars 3-5 across words", Features((1, 2), (3, 4, 5), True)),
    Candidate("d45", "words 1-2, chars 4-5 across words", Features((1, 2), (4, 5), True)),
    Candidate("a-C1", "a, C=1", Features(), c=1.0),
    Candidate("a-C8", "a, C=8", Features(), c=8.0),
    Candidate("a-C16", "a, C=16", Features(), c=16.0),
    Candidate("a-df3", "a, min df 3", Features(), min_df=3),
    Candidate("a-w05", "a, |weight| >= 0.05", Features(), min_weight=0.05),
    Candidate("a-w10", "a, |weight| >= 0.10", Features(), min_weight=0.10),
    Candidate("b-C1", "b, C=1", WORD12, c=1.0),
    Candidate("b-C8", "b, C=8", WORD12, c=8.0),
    Candidate("b-C16", "b, C=16", WORD12, c=16.0),
    Candidate("b-df3", "b, min df 3", WORD12, min_df=3),
    Candidate("c-C8", "c, C=8", Features((1, 2, 3), (4, 5)), c=8.0),
    Candidate("c-C16", "c, C=16", Features((1, 2, 3), (4, 5)), c=16.0),
    Candidate("c-df3", "c, min df 3", Features((1, 2, 3), (4, 5)), min_df=3),
)

Case = tuple[str, list[str], str]  # label, messages, language


def jsonl(path: Path) -> list[Case]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(r["label"], list(r["messages"]), str(r.get("lang", ""))) for r in rows]


def golden() -> list[Case]:
    return [(level, messages, "en") for level, messages in load(GOLDEN)]


def rates(cases: Sequence[Case], got: Sequence[str]) -> tuple[float, float, float]:
    """Urgent recall, any-risk recall, benign specificity."""
    pairs = list(zip((c[0] for c in cases), got, strict=True))
    urgent = [g for want, g in pairs if want == "urgent"]
    risky = [g for want, g in pairs if want != "none"]
    benign = [g for want, g in pairs if want == "none"]
    return (
        sum(g == "urgent" for g in urgent) / max(len(urgent), 1),
        sum(g != "none" for g in risky) / max(len(risky), 1),
        sum(g == "none" for g in benign) / max(len(benign), 1),
    )


def triple(figures: tuple[float, float, float]) -> str:
    return "/".join(f"{x * 100:.1f}" for x in figures)


def readable(detector: Detector, cases: Sequence[Case]) -> float:
    """Of the top three pulls on the risk head for each risky case, the share of words."""
    if detector.learned is None:
        return float("nan")
    words = total = 0
    for label, messages, _ in cases:
        if label == "none":
            continue
        top = detector.learned.explain(detector.window_text(messages), top=3)["risk"]
        words += sum(name.startswith("w:") for name, _ in top)
        total += len(top)
    return words / max(total, 1)


def answers_score() -> tuple[int, int, int, list[str]]:
    """Understood, total, safety fallbacks, and the sets below their bar."""
    answers_bench.at_question.cache_clear()  # its states were reached through assess()
    understood = total = fallbacks = 0
    below = []
    for path in ANSWERS:
        result = answers_bench.score(answers_bench.read(path))
        understood += result.understood
        total += result.total
        fallbacks += result.safety_fallbacks
        if result.understood / result.total < ANSWER_BARS.get(path.stem, 0.90):
            below.append(path.stem)
    return understood, total, fallbacks, below


def detector_for(candidate: Candidate, folder: Path) -> tuple[Detector, int]:
    if candidate.spec is None:
        return load_detector(layers=[x for x in LAYERS if x != "learned"]), 0
    window = load_detector(layers=["rules"]).window_text
    model = fit(
        training_cases(),
        window,
        candidate.spec,
        candidate.c,
        candidate.min_df,
        candidate.min_weight,
    )
    path = folder / f"model-{candidate.name}.json"
    path.write_text(dumps(model), encoding="utf-8")
    heads = model["heads"]
    assert isinstance(heads, dict)
    size = len(set(heads["risk"]["weights"]) | set(heads["urgent"]["weights"]))
    return load_detector(model=path), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="candidate names, comma-separated")
    parser.add_argument("--examples", action="store_true", help="print explanations")
    args = parser.parse_args()
    chosen = [c for c in CANDIDATES if not args.only or c.name in args.only.split(",")]

    held = {name: jsonl(BLIND / name) for name in HELD_OUT}
    both = [c for cases in held.values() for c in cases]
    trained = [c for name in TRAINED for c in jsonl(BLIND / name)]
    gold = golden()
    examples = [c for c in both if c[0] != "none"][:: max(len(both) // 8, 1)][:4]

    print("held out = blind 8 + 9; figures are urgent recall / any-risk recall / benign")
    print("specificity, in %; 'readable' = share of word n-grams in the top 3 risk pulls.")
    header = (
        f"{'cand':6} {'set 8':16} {'set 9':16} {'8+9 all':16} {'8+9 English':16} "
        f"{'8+9 others':16} {'golden':16} {'blind 1-7':16} {'answers':14} "
        f"{'readable':>8} {'weights':>7}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as folder:
        for candidate in chosen:
            detector, size = detector_for(candidate, Path(folder))
            bot.risk._detector = detector  # the engine's assess() now reads this one
            got = {id(c): detector.assess(c[1]).level.label for c in both + trained + gold}

            def of(cases: Sequence[Case], got: dict[int, str] = got) -> str:
                return triple(rates(cases, [got[id(c)] for c in cases]))

            english = [c for c in both if c[2] == "en"]
            others = [c for c in both if c[2] != "en"]
            understood, total, fallbacks, below = answers_score()
            answered = f"{understood}/{total}" + (f" f{fallbacks}" if fallbacks else "")
            answered += "" if not below else " <" + ",".join(below)
            print(
                f"{candidate.name:6} {of(held[HELD_OUT[0]]):16} {of(held[HELD_OUT[1]]):16} "
                f"{of(both):16} {of(english):16} {of(others):16} {of(gold):16} "
                f"{of(trained):16} {answered:14} {readable(detector, both):8.2f} {size:7}",
                flush=True,
            )
            if args.examples and detector.learned is not None:
                for _, messages, _ in examples:
                    top = detector.learned.explain(detector.window_text(messages), top=4)
                    pulls = ", ".join(f"{n!r} {p:+.2f}" for n, p in top["risk"])
                    print(f"         {' || '.join(messages)[:60]!r}: {pulls}")
    print()
    for candidate in chosen:
        print(f"{candidate.name:6} {candidate.what}")
    print(
        f"counts: set 8 {len(held[HELD_OUT[0]])}, set 9 {len(held[HELD_OUT[1]])} "
        f"({sum(c[2] == 'en' for c in both)} English), golden {len(gold)}, "
        f"blind 1-7 {len(trained)}"
    )


if __name__ == "__main__":
    # As `risk build` does: OpenBLAS held to one kernel, so the weights are the same bytes
    # on any x86-64 machine (bot/risk/_train.py).
    if platform.machine().lower() in ("x86_64", "amd64") and (
        os.environ.get("OPENBLAS_CORETYPE") != _KERNEL
    ):
        os.environ["OPENBLAS_CORETYPE"] = _KERNEL
        os.execv(sys.executable, [sys.executable, *sys.argv])
    main()
