"""The whole risk check, in five-fold cross-validation over the training data, with each
way of letting the learned layer's urgent head count. Not a test: it prints figures.

    .venv/bin/python bench/learned_gate_window.py [--folds 5] [--only V0,V1a-0.6]

For each fold the learned layer is fitted on the other four fifths and the whole detector
(rules, concepts, that fold's learned layer, languages: as ``load_detector`` builds it) reads
each held-out case. Printed for each gate: urgent recall, any-risk recall, benign
specificity, and the share of concern cases raised to urgent (over-triage).

CAVEAT: only the learned layer is out of fold. The rules, concepts and language files were
written with these very cases in view (they are in-sample), so every figure is higher than
on fresh text; what is worth reading is the difference a gate makes, not the level.

The gates (bench/learned_gate.py shows the urgent head alone, before any gate):

- V0: as before this bench (urgent from the learned layer alone at urgent >= 0.75, on eight
  or more words, the rules hearing nothing, no negation word, no frame or guard concept);
- V1 "agreement": as V0, and when the other layers already say concern and the urgent head
  is >= t, urgent (frames, guards and eight words still apply; the negation guard as named:
  any word, none but the denial frame, "+lowered" a lowered urgent rule too, "concept" or
  "pull" as in V3; "as-implemented" is bot/risk/_detector.py's _learned_may_agree);
- V2: the learned layer speaks (concern) when its urgent head is >= t though its risk head
  is under its threshold; its urgent gate then as V0;
- V3: the negation guard scoped: "concept" - only a concept phrase read as negated (a
  negation word within the rules' reach before it, as the concept layer reads negation);
  "pull" - only a negation within that reach before one of the three words the urgent head
  pulled hardest towards; "denial" - no negation-word guard (the denial frame still guards);
- V4: the rules-heard guard only when the rules lowered an urgent rule (negation, past),
  rather than whenever any rule was heard.

"production" is bot/risk/_detector.py as it stands, for checking which gate it is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.risk import Detector, default_ruleset  # noqa: E402 - after the path is set
from bot.risk._concepts import BREAK, ConceptReading, load_concepts  # noqa: E402
from bot.risk._detector import (  # noqa: E402
    _LEARNED_GUARDS,
    _LEARNED_URGENT,
    _LEARNED_URGENT_WORDS,
    _NEGATIONS,
)
from bot.risk._languages import LanguageReading, load_languages  # noqa: E402
from bot.risk._learned import LearnedLayer, LearnedReading  # noqa: E402
from bot.risk._model import Assessment, Level  # noqa: E402
from bot.risk._train import fit, training_cases  # noqa: E402


@dataclass(frozen=True)
class Gate:
    name: str
    # V1: the urgent head's score at which agreement with a concern reading counts.
    agree: float | None = None
    # The negation guard on the agreement path: any / concept / pull / denial.
    agree_negation: str = "any"
    # V2: the urgent head's score at which the learned layer speaks whatever its risk head.
    speak: float | None = None
    # V3: the negation guard on the learned-alone urgent path: any / concept / pull / denial.
    negation: str = "any"
    # V4: the rules-heard guard on the learned-alone urgent path: any / lowered.
    rules_guard: str = "any"
    # On the agreement path, whether a lowered urgent rule (negation, past) still guards.
    agree_lowered: bool = False


# V1's negation guards: (label, guard, whether a lowered urgent rule still guards).
_AGREE_GUARDS = (
    ("any", "any", False),
    ("denial", "denial", False),
    ("denial+lowered", "denial", True),
    ("concept", "concept", False),
    ("concept+lowered", "concept", True),
    ("pull", "pull", False),
    # As bot/risk/_detector.py has it: concept negation, lowered rules, English only, and
    # the denial and safe-now concepts (_AGREE_GUARDS).
    ("as-implemented", "production", False),
)
GATES = [
    Gate("V0 current"),
    *[
        Gate(f"V1 agree>={t} neg:{label}", agree=t, agree_negation=neg, agree_lowered=lowered)
        for label, neg, lowered in _AGREE_GUARDS
        for t in (0.5, 0.6, 0.7)
    ],
    *[Gate(f"V2 speak>={t}", speak=t) for t in (0.5, 0.6, 0.7, 0.75)],
    Gate("V3 neg:concept", negation="concept"),
    Gate("V3 neg:pull", negation="pull"),
    Gate("V3 neg:denial", negation="denial"),
    Gate("V4 rules:lowered", rules_guard="lowered"),
    Gate("V3+V4 neg:concept rules:lowered", negation="concept", rules_guard="lowered"),
    Gate(
        "V1+V3+V4 agree>=0.5 as-implemented",
        agree=0.5,
        agree_negation="production",
        negation="concept",
        rules_guard="lowered",
    ),
]


class GateDetector(Detector):
    """The packaged detector with the learned layer's gate as ``gate`` says (None: as
    bot/risk/_detector.py has it)."""

    gate: Gate | None = None
    # Every other layer's reading held at concern at most: what the gate adds where they
    # fall short of urgent, as on fresh text (in-sample they rarely do).
    cap = False

    def readings(
        self, messages: Sequence[str], rules: bool = True
    ) -> tuple[Assessment, ConceptReading | None, LearnedReading | None, LanguageReading | None]:
        ruled, concepts, learned, language = super().readings(messages, rules)
        if not self.cap:
            return ruled, concepts, learned, language
        top = Level.CONCERN
        ruled = replace(ruled, level=min(ruled.level, top))
        if concepts is not None:
            concepts = replace(concepts, level=min(concepts.level, top))
        if language is not None:
            language = replace(language, level=min(language.level, top))
        return ruled, concepts, learned, language

    def _learned_says(
        self,
        messages: Sequence[str],
        concepts: ConceptReading | None,
        learned: LearnedReading,
        others: Level,
    ) -> tuple[Level, list[str]]:
        gate = self.gate
        if gate is None:
            return super()._learned_says(messages, concepts, learned, others)
        speaks = bool(learned.level) or (gate.speak is not None and learned.urgent >= gate.speak)
        if self._learned_unheard(messages):
            return Level.NONE, []
        said: tuple[Level, list[str]] = (Level.NONE, [])
        if speaks:
            said = (Level.CONCERN, ["learned"])
            if learned.urgent >= _LEARNED_URGENT and self._may(
                messages, concepts, gate.negation, gate.rules_guard
            ):
                return Level.URGENT, ["learned", "learned:urgent"]
        if (
            gate.agree is not None
            and others is Level.CONCERN
            and learned.urgent >= gate.agree
            and self._may(
                messages, concepts, gate.agree_negation, "lowered" if gate.agree_lowered else ""
            )
        ):
            return Level.URGENT, [*said[1], "learned:agrees"]
        return said

    def _may(
        self,
        messages: Sequence[str],
        concepts: ConceptReading | None,
        negation: str,
        rules_guard: str,
    ) -> bool:
        if negation == "production":
            return self._learned_may_agree(messages, concepts)
        words = " ".join(self.rules.normalise(messages)).split()
        if len(words) < _LEARNED_URGENT_WORDS:
            return False
        if concepts is not None and concepts.concepts & _LEARNED_GUARDS:
            return False
        if rules_guard == "any" and self.rules.assess_or_raise(list(messages)).level:
            return False
        if rules_guard == "lowered" and self._rules_lowered(messages):
            return False
        if negation == "any":
            return not _NEGATIONS.intersection(words)
        if negation == "concept":
            return not self._negated_risk(messages)
        if negation == "pull":
            return not self._negated_pull(messages)
        return True

    def _negated_pull(self, messages: Sequence[str]) -> bool:
        assert self.learned is not None
        window = self.window_text(messages)
        pulled: dict[str, float] = {}
        for phrase, pull in self.learned.pulls(window)["urgent"].items():
            parts = phrase.split()
            for word in parts:
                pulled[word] = pulled.get(word, 0.0) + pull / len(parts)
        top = {w for w, p in sorted(pulled.items(), key=lambda wp: -wp[1])[:3] if p > 0}
        clause: list[str] = []
        for token in window.split():
            if token == BREAK:
                clause = []
                continue
            if token in top and self.rules.negated(" ".join(clause)):
                return True
            clause.append(token)
        return False


_FIGURES = ("urgent", "risk", "benign", "over", "false")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated gate names (prefixes)")
    args = parser.parse_args()
    gates: list[Gate | None] = [None, *GATES]
    if args.only:
        wanted = args.only.split(",")
        gates = [g for g in gates if g is None or any(g.name.startswith(w) for w in wanted)]
    cases = training_cases()
    rules = default_ruleset()
    concepts = load_concepts(rules.normaliser_phrase, negated=rules.negated)
    languages = load_languages()
    window = Detector(rules, None, None, None).window_text
    tally: dict[str, dict[str, int]] = {}
    counts = {"urgent": 0, "concern": 0, "none": 0}
    for fold in range(args.folds):
        train = [c for i, c in enumerate(cases) if i % args.folds != fold]
        held = [c for i, c in enumerate(cases) if i % args.folds == fold]
        layer = LearnedLayer(fit(train, window), f"fold {fold}")
        detector = GateDetector(rules, concepts, layer, languages)
        for level, _, _ in held:
            counts[level] += 1
        for cap in (False, True):
            detector.cap = cap
            for gate in gates:
                name = "production" if gate is None else gate.name
                detector.gate = gate
                got = tally.setdefault(f"{cap}:{name}", dict.fromkeys(_FIGURES, 0))
                for level, messages, _ in held:
                    read = detector.assess(list(messages)).level
                    got["urgent"] += level == "urgent" and read is Level.URGENT
                    got["risk"] += level != "none" and read is not Level.NONE
                    got["benign"] += level == "none" and read is Level.NONE
                    got["over"] += level == "concern" and read is Level.URGENT
                    got["false"] += level == "none" and read is Level.URGENT
        print(f"fold {fold + 1} of {args.folds} done", file=sys.stderr, flush=True)
    risky = counts["urgent"] + counts["concern"]
    print(
        "Five-fold CV over bot/risk/_train.training_cases "
        f"({counts['urgent']} urgent, {counts['concern']} concern, {counts['none']} none)."
    )
    print(
        "CAVEAT: rules, concepts and languages are in-sample; only the learned head is out of fold."
    )
    for cap in (False, True):
        print()
        print(
            "Every other layer held at concern at most (what the gate adds where they fall short):"
            if cap
            else "The whole detector as it reads:"
        )
        print(
            f"{'gate':<36} {'urgent':>7} {'any-risk':>8} {'benign':>7} "
            f"{'conc->urg':>9} {'none->urg':>9}"
        )
        for key, got in tally.items():
            if key.startswith(f"{cap}:"):
                print(
                    f"{key.split(':', 1)[1]:<36} {got['urgent'] / counts['urgent']:>7.3f} "
                    f"{got['risk'] / risky:>8.3f} {got['benign'] / counts['none']:>7.3f} "
                    f"{got['over'] / counts['concern']:>9.3f} {got['false'] / counts['none']:>9.3f}"
                )


if __name__ == "__main__":
    main()
