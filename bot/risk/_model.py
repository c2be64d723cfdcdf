"""The values the risk check hands out: a level and an assessment, both safe to log."""

from __future__ import annotations

import enum
from dataclasses import dataclass

# Fixed ids: the engine maps them to extra help in the urgent reply, rule files name them.
CATEGORIES = (
    "suicidal_intent",
    "method",
    "act_in_progress",
    "goodbye",
    "self_harm",
    "harm_to_others",
    "abuse",
    "child_at_risk",
    "third_party",
    "minor",
    # everyday distress said plainly (panic, no sleep, purging, grief, falling apart):
    # concern only, the direct question (rules/distress.yaml, hazard log H30)
    "distress",
)

# Rule id reported when the check itself failed: the answer is then CONCERN, never NONE.
INTERNAL_ERROR = "internal-error"


class Level(enum.IntEnum):
    """How worrying a window of messages is; ordered, so ``max`` and ``>`` work."""

    NONE = 0
    CONCERN = 1
    URGENT = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Level:
        try:
            return cls[label.upper()]
        except KeyError:
            raise ValueError(f"unknown level {label!r}") from None

    def __str__(self) -> str:
        return self.label

    def __format__(self, spec: str) -> str:
        # f"{level}" reads as the label in logs; numeric specs still format the number.
        if spec and spec[-1] in "bcdnoxX":
            return int.__format__(int(self), spec)
        return format(self.label, spec)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of one check: rule ids and categories, never the message text."""

    level: Level
    categories: tuple[str, ...]
    rules: tuple[str, ...]
    ruleset_version: str
    # The language of the newest message ("en", "pl", "ur"...; "" when it cannot tell):
    # a message in another language is told that interpreters are available.
    language: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level.label,
            "categories": list(self.categories),
            "rules": list(self.rules),
            "language": self.language,
        }
