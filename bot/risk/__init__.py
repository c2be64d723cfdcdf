"""The crisis-language risk check: rule-based, auditable, no I/O at check time.

Every message is read for risk before anything else happens (see the engine). The rules
live in reviewed YAML files under ``rules/``; they are read once, compiled and cached.

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
from ._model import CATEGORIES, INTERNAL_ERROR, Assessment, Level
from ._rules import DEFAULT_RULES, Rule, RuleError, build, read

__all__ = [
    "CATEGORIES",
    "DEFAULT_RULES",
    "INTERNAL_ERROR",
    "Assessment",
    "Level",
    "Rule",
    "RuleError",
    "RuleSet",
    "assess",
    "default_ruleset",
    "load_ruleset",
]

log = logging.getLogger(__name__)
_lock = threading.Lock()
_default: RuleSet | None = None


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


def assess(messages: Sequence[str]) -> Assessment:
    """Assess a short window of one person's recent messages, oldest first.

    The last item is the newest. Patterns may match across message boundaries (an SMS
    split in two). Never raises: on an internal error, or if the packaged rules cannot be
    loaded, the answer is CONCERN with rule id ``internal-error``, never NONE.
    """
    try:
        ruleset = default_ruleset()
    except Exception as error:
        log.error("risk rules could not be loaded (%s); answering concern", type(error).__name__)
        return failed_safe("unknown")
    return ruleset.assess(messages)
