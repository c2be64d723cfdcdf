"""The crisis-language risk check: auditable layers, no I/O at check time.

Every message is read for risk before anything else happens (see the engine). Four
layers, each reviewed data read once and cached (see ``_detector``): the rules
(``rules/``), concept lexicons that combine (``concepts/``), a linear model over n-grams
trained on reviewed messages (``data/``), and expressions in other languages
(``languages/``). The level is the highest any layer gives.

    >>> from bot.risk import assess, Level
    >>> assess(["I want to kill", "myself tonight"]).level is Level.URGENT
    True

``assess`` never raises. If the check itself fails it answers CONCERN with the rule id
``internal-error``: a needless question is safer than a missed disclosure.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from ._checker import RuleSet, failed_safe
from ._concepts import ConceptError, load_concepts
from ._detector import LAYERS, Detector
from ._languages import LanguageError, load_languages
from ._learned import ModelError, as_typed, load_learned
from ._model import CATEGORIES, INTERNAL_ERROR, Assessment, Level
from ._rules import DEFAULT_RULES, Rule, RuleError, build, read

__all__ = [
    "CATEGORIES",
    "DEFAULT_RULES",
    "INTERNAL_ERROR",
    "LAYERS",
    "Assessment",
    "Detector",
    "LayerError",
    "Level",
    "Rule",
    "RuleError",
    "RuleSet",
    "assess",
    "default_detector",
    "default_ruleset",
    "learned_words",
    "load_detector",
    "load_ruleset",
]

log = logging.getLogger(__name__)
_lock = threading.RLock()  # default_detector loads default_ruleset inside it
_default: RuleSet | None = None
_detector: Detector | None = None


class LayerError(RuleError):
    """A layer (concepts, learned model, languages) cannot be loaded: ``serve`` exits 2."""


def load_ruleset(path: Path | None = None) -> RuleSet:
    """Read, validate and compile a rule file or folder (default: the packaged rules).

    Raises RuleError naming the file and rule for anything wrong in the files.
    """
    return RuleSet(build(read(Path(path) if path is not None else DEFAULT_RULES)))


def default_ruleset() -> RuleSet:
    """The packaged rule set, loaded once per process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = load_ruleset()
    return _default


def load_detector(
    rules: Path | None = None,
    layers: Sequence[str] = LAYERS,
    model: Path | None = None,
) -> Detector:
    """Every layer named in ``layers`` (default all), from the packaged data unless given.

    Raises RuleError for a bad rule file and LayerError for any other layer that cannot be
    loaded: a layer is never silently left out.
    """
    unknown = set(layers) - set(LAYERS)
    if unknown:
        raise LayerError(f"unknown risk layers: {', '.join(sorted(unknown))}")
    ruleset = load_ruleset(rules) if rules is not None else default_ruleset()
    try:
        concepts = (
            load_concepts(ruleset.normaliser_phrase, negated=ruleset.negated)
            if "concepts" in layers
            else None
        )
        learned = load_learned(model) if "learned" in layers else None
        languages = load_languages() if "languages" in layers else None
        if concepts is not None and languages is not None:
            strays = languages.concept_names - concepts.names
            if strays:
                raise LanguageError(f"language files name unknown concepts {sorted(strays)}")
    except (ConceptError, ModelError, LanguageError) as error:
        raise LayerError(f"risk layer could not be loaded: {error}") from error
    return Detector(ruleset, concepts, learned, languages, use_rules="rules" in layers)


def default_detector() -> Detector:
    """Every packaged layer, loaded once per process."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = load_detector()
    return _detector


def assess(messages: Sequence[str]) -> Assessment:
    """Assess a short window of one person's recent messages, oldest first.

    The last item is the newest. Patterns may match across message boundaries (an SMS
    split in two). Never raises: on an internal error, or if a layer cannot be loaded,
    the answer is CONCERN with rule id ``internal-error``, never NONE.
    """
    try:
        detector = default_detector()
    except Exception as error:
        log.error("risk layers could not be loaded (%s); answering concern", type(error).__name__)
        return failed_safe("unknown")
    return detector.assess(messages)


def learned_words(messages: Sequence[str], top: int = 5) -> list[tuple[str, float]]:
    """Why the learned layer raised the newest of these messages, as a lead reads it: the
    words and phrases, as they typed them (lower case), that pulled it hardest towards the
    flag, best first (``_learned.as_typed``).

    Read as the engine reads (``bot.engine.dialogue``): the newest message alone, or the
    window of them when that reads higher. The head is the one the layer raised on
    (urgent if it raised to urgent, alone or agreeing with another layer). Empty when the
    layer did not raise them. For the desk only, where the person's words are already on
    screen; never logged. Never raises.
    """
    try:
        detector = default_detector()
        if detector.learned is None or not messages:
            return []
        alone = [messages[-1]]
        read = detector.assess(alone)
        if len(messages) > 1:
            together = detector.assess(messages)
            if together.level > read.level:
                read, alone = together, list(messages)
        if "learned" not in read.rules:
            return []
        raised = ("learned:urgent", "learned:agrees")
        head = "urgent" if any(r in read.rules for r in raised) else "risk"
        pulled = as_typed(
            detector.learned.pulls(detector.window_text(alone))[head],
            detector.window_written(alone),
        )
    except Exception as error:  # an explanation is never worth failing a page for
        log.error("learned words could not be read (%s)", type(error).__name__)
        return []
    towards = sorted(((w, p) for w, p in pulled.items() if p > 0), key=lambda wp: (-wp[1], wp[0]))
    return [(word, round(pull, 3)) for word, pull in towards[:top]]
