"""All the layers of the risk check together; the level is the highest any layer gives.

1. rules (``rules/*.yaml``): reviewed patterns, the fast auditable first layer;
2. concepts (``concepts/concepts.yaml``): lexicons that combine (means + possession...);
3. learned (``data/model.json``): a linear model over n-grams, trained on reviewed data;
4. languages (``languages/*.yaml``): expressions in Bradford's other languages, and the
   language of the message.

One exception to "the highest": a window told as a story (news, a song, a game), a
recovered past or a service question, with no present cue ("again", "tonight", "I
want"), is not shouted by a bare word in the rules: it is then at the level of the layers
that read context (concepts, learned, languages). Hazard log H15 records the trade.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ._checker import RuleSet, failed_safe, texts
from ._concepts import BREAK, ConceptLayer, ConceptReading
from ._languages import LanguageLayer, LanguageReading
from ._learned import LearnedLayer, LearnedReading
from ._model import Assessment, Level

log = logging.getLogger(__name__)
LAYERS = ("rules", "concepts", "learned", "languages")


class Detector:
    """The loaded layers. ``assess`` never raises: on error it answers CONCERN."""

    def __init__(
        self,
        rules: RuleSet,
        concepts: ConceptLayer | None,
        learned: LearnedLayer | None,
        languages: LanguageLayer | None,
        use_rules: bool = True,
    ) -> None:
        self.rules = rules
        self.concepts = concepts
        self.learned = learned
        self.languages = languages
        self.use_rules = use_rules
        self.version = "+".join(
            [rules.version]
            + ([f"concepts-{concepts.version}"] if concepts else [])
            + ([f"model-{learned.version}"] if learned else [])
            + (["languages"] if languages else [])
        )

    def __repr__(self) -> str:
        return f"Detector({self.version!r})"

    def window_text(self, messages: Sequence[str]) -> str:
        """The normalised window the concept and learned layers read: clauses and messages
        joined by a break mark, so phrases and negation stop at a clause's end."""
        return " " + f" {BREAK} ".join(self.rules.normalise(messages)) + " "

    def assess(self, messages: Sequence[str]) -> Assessment:
        try:
            return self.assess_or_raise(messages)
        except Exception as error:  # a missed disclosure is worse than a needless question
            log.error("risk check failed (%s); answering concern", type(error).__name__)
            return failed_safe(self.version)

    def readings(
        self, messages: Sequence[str]
    ) -> tuple[
        Assessment, ConceptReading | None, LearnedReading | None, LanguageReading | None
    ]:
        items = texts(messages)
        ruled = self.rules.assess_or_raise(items)
        if not self.use_rules:
            ruled = Assessment(Level.NONE, (), (), ruled.ruleset_version)
        window = self.window_text(items) if (self.concepts or self.learned) else ""
        concepts = self.concepts.read(window) if self.concepts else None
        learned = self.learned.read(window) if self.learned and window.strip() else None
        language = None
        if self.languages and items:
            language = self.languages.read(" ".join(items))
            if len(items) > 1:
                newest = self.languages.read(items[-1])
                language = LanguageReading(newest.language, language.level, language.found)
        return ruled, concepts, learned, language

    def assess_or_raise(self, messages: Sequence[str]) -> Assessment:
        ruled, concepts, learned, language = self.readings(messages)
        level, rules, categories = ruled.level, list(ruled.rules), set(ruled.categories)
        if concepts is not None and concepts.framed:
            # A story, a recovered past, a service question: the context-reading layers
            # decide, not a bare word.
            level = Level.NONE
            rules = [f"framed:{'+'.join(sorted(concepts.concepts & _FRAMES))}"]
            categories = set()
        if concepts is not None and concepts.level:
            level = max(level, concepts.level)
            rules.extend(f"concept:{c}" for c in concepts.combinations)
            categories.update(concepts.categories)
        if learned is not None and learned.level:
            level = max(level, learned.level)
            rules.append(f"learned:{learned.level.label}")
        if language is not None and language.level:
            level = max(level, language.level)
            rules.extend(language.found)
        if level is Level.NONE:
            rules, categories = [], set()
        return Assessment(
            level=Level(level),
            categories=tuple(sorted(categories)),
            rules=tuple(sorted(set(rules))),
            ruleset_version=self.version,
            language=language.language if language is not None else "",
        )


_FRAMES = frozenset({"reported", "recovered", "service"})
