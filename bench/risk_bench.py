"""How fast the risk check reads messages, on one core. Not a test: it prints figures.

    .venv/bin/python bench/risk_bench.py

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

from bot.risk import RuleSet, load_ruleset  # noqa: E402 - after the path is set

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


if __name__ == "__main__":
    main()
