"""How fast the risk check reads messages, on one core, and how well each layer hears.
Not a test: it prints figures.

    .venv/bin/python bench/risk_bench.py            speed of the rules (as before)
    .venv/bin/python bench/risk_bench.py --layers   each layer side by side: messages/s,
                                                    and recall/specificity on a held-out
                                                    fifth of the training data (the learned
                                                    layer retrained without it; needs the
                                                    dev extras)

"Cold" means every message is new to the check (no cached normalisation), as real
traffic mostly is; "warm" repeats the same messages. The engine assesses each message
twice (alone, and with its window of up to three), so that figure is given too.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.risk import (  # noqa: E402 - after the path is set
    LAYERS,
    Detector,
    RuleSet,
    _learned,
    _train,
    load_detector,
    load_ruleset,
)

GOLDEN = ROOT / "tests" / "risk" / "golden.yaml"

OPENERS = [
    "hi",
    "hiya",
    "morning",
    "hello",
    "ok so",
    "sorry to bother you",
    "quick question",
    "thanks",
    "hey",
    "evening all",
]
ASKS = [
    "what's open near {place}",
    "is the {service} open {when}",
    "how do I get to the {service} from {place}",
    "can I talk to someone {when}",
    "what time does the {service} close",
    "is there parking at the {service}",
    "can you text me the address for {place}",
    "who can I ring about my {thing}",
    "how long is the wait for a peer supporter",
    "I'm waiting for the crisis team to ring back about my {person}",
]
FEELINGS = [
    "feeling a bit anxious",
    "can't settle tonight",
    "rough day but ok",
    "bit low",
    "my {person} is poorly and I'm looking after them",
    "the GP changed my {thing}",
    "been waiting ages for an appointment",
    "not slept much",
    "had a panic attack on the bus",
    "I'm a carer and I'm shattered",
]
RISKS = [
    "I want to die",
    "kms",
    "I've taken all my pills",
    "how many paracetamol would it take",
    "my son says he wants to kill himself",
    "I'm 14 and I cut myself",
    "i cant go on",
    "this is my last message",
    "he's going to kill me",
    "I feel so hopeless",
]
FILL = {
    "place": [
        "BD18",
        "Shipley",
        "Keighley",
        "BD3 9AA",
        "Bradford centre",
        "Bingley",
        "Ilkley",
        "the interchange",
        "Manningham",
        "Halifax",
    ],
    "service": [
        "safe haven",
        "crisis cafe",
        "carers group",
        "peer support hub",
        "wellbeing cafe",
        "drop in",
    ],
    "when": ["tonight", "on Sunday", "now", "after 6", "tomorrow", "at the weekend"],
    "thing": ["meds", "benefits", "appointment", "sertraline dose", "housing", "referral"],
    "person": ["mum", "dad", "son", "daughter", "partner", "brother", "nan"],
}


def synthetic(count: int, risk_share: float, seed: int = 5) -> list[str]:
    """Unique chat messages of 10 to 200 characters; a share of them carry risk language."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        parts = [rng.choice(OPENERS)] if rng.random() < 0.5 else []
        parts.append(rng.choice(ASKS if rng.random() < 0.6 else FEELINGS))
        if rng.random() < risk_share:
            parts.append(rng.choice(RISKS))
        if rng.random() < 0.3:
            parts.append(rng.choice(FEELINGS))
        text = " ".join(parts)
        for slot, options in FILL.items():
            while "{" + slot + "}" in text:
                text = text.replace("{" + slot + "}", rng.choice(options), 1)
        text = f"{text} {len(out)}" if rng.random() < 0.5 else f"{text}{'.' * (len(out) % 3)}"
        if 10 <= len(text) <= 200:
            out.append(text)
    return out


def golden() -> list[str]:
    data = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    return [
        text
        for entries in data.values()
        for _, text, *_ in entries
        if isinstance(text, str) and text
    ]


def rate(
    messages: list[str],
    check: Callable[[RuleSet, str, list[str]], object],
    fresh: bool,
    rounds: int,
) -> float:
    """Messages per second over `rounds` passes; a fresh (cold) rule set per pass if asked."""
    ruleset, elapsed = load_ruleset(), 0.0
    for _ in range(rounds):
        if fresh:
            ruleset = load_ruleset()
        recent: list[str] = []
        start = time.perf_counter()
        for text in messages:
            check(ruleset, text, recent)
        elapsed += time.perf_counter() - start
    return len(messages) * rounds / elapsed


def alone(ruleset: RuleSet, text: str, recent: list[str]) -> object:
    return ruleset.assess([text])


def as_the_engine_does(ruleset: RuleSet, text: str, recent: list[str]) -> object:
    recent.append(text)
    del recent[:-3]
    ruleset.assess([text])
    return ruleset.assess(recent)


def main() -> None:
    start = time.perf_counter()
    ruleset = load_ruleset()
    loaded = time.perf_counter() - start
    golden_set, chat, mixed = golden(), synthetic(50_000, 0.0), synthetic(50_000, 0.05)
    print(
        f"risk check {ruleset.version}: {len(ruleset.rules)} rules, loaded and compiled in "
        f"{loaded * 1000:.0f} ms"
    )
    rows = [
        ("golden set, cold", golden_set, alone, True, 5),
        ("golden set, warm", golden_set, alone, False, 20),
        ("synthetic chat, no risk, cold", chat, alone, True, 1),
        ("synthetic chat, 5% risk, cold", mixed, alone, True, 1),
        ("synthetic chat, 5% risk, warm", mixed, alone, False, 2),
        (
            "5% risk, as the engine calls it (alone + window of 3)",
            mixed,
            as_the_engine_does,
            True,
            1,
        ),
    ]
    for name, messages, check, fresh, rounds in rows:
        per_second = rate(messages, check, fresh, rounds)
        print(f"{name:55} {len(messages):6} messages {per_second:10,.0f} messages/s")


def layers() -> None:
    """Each layer alone and all together: speed as the engine calls it, and what each
    hears on every fifth message of the reviewed data, which the learned layer (retrained
    here on the other four fifths) never saw."""
    cases = _train.training_cases()
    train = [c for i, c in enumerate(cases) if i % 5]
    held = [c for i, c in enumerate(cases) if not i % 5]
    rules_only = load_detector(layers=["rules"])
    start = time.perf_counter()
    model = _learned.LearnedLayer(_train.fit(train, rules_only.window_text), "held-out fit")
    took = time.perf_counter() - start
    print(f"learned layer retrained on {len(train)} messages in {took:.1f} s")
    chat = synthetic(5000, 0.05)
    choices = [[layer] for layer in LAYERS] + [list(LAYERS)]
    print(
        f"{'layers':33} {'msgs/s alone':>12} {'as engine':>10} {'p99 ms':>7} "
        f"{'urgent rec':>10} {'any rec':>8} {'benign spec':>11}   (held out: {len(held)})"
    )
    for chosen in choices:
        detector = load_detector(layers=chosen)
        if detector.learned is not None:
            detector = Detector(
                detector.rules,
                detector.concepts,
                model,
                detector.languages,
                use_rules=detector.use_rules,
            )
        alone, _ = _speed(detector, chat, window=False)
        engine, p99 = _speed(load_detector(layers=chosen), chat, window=True)
        figures = _hears(detector, held)
        print(
            f"{'+'.join(chosen):33} {alone:12,.0f} {engine:10,.0f} {p99:7.1f} "
            f"{figures[0]:10.3f} {figures[1]:8.3f} {figures[2]:11.3f}"
        )


def _speed(detector: Detector, messages: list[str], window: bool) -> tuple[float, float]:
    """Messages per second, and the 99th percentile time for one message in ms."""
    recent: list[str] = []
    times = []
    for text in messages:
        start = time.perf_counter()
        detector.assess([text])
        if window:
            recent.append(text)
            del recent[:-3]
            detector.assess(recent)
        times.append(time.perf_counter() - start)
    times.sort()
    return len(messages) / sum(times), times[int(len(times) * 0.99)] * 1000


def _hears(detector: Detector, cases: list[_train.Case]) -> tuple[float, float, float]:
    got = [(level, detector.assess(list(messages)).level.label) for level, messages, _ in cases]
    urgent = [g for w, g in got if w == "urgent"]
    risky = [g for w, g in got if w != "none"]
    benign = [g for w, g in got if w == "none"]
    return (
        sum(g == "urgent" for g in urgent) / max(len(urgent), 1),
        sum(g != "none" for g in risky) / max(len(risky), 1),
        sum(g == "none" for g in benign) / max(len(benign), 1),
    )


if __name__ == "__main__":
    if "--layers" in sys.argv[1:]:
        layers()
    else:
        main()
