"""All the layers of the risk check together; the level is the highest any layer gives.

1. rules (``rules/*.yaml``): reviewed patterns, the fast auditable first layer;
2. concepts (``concepts/concepts.yaml``): lexicons that combine (means + possession...);
3. learned (``data/model.json``): a linear model over n-grams, trained on reviewed data;
4. languages (``languages/*.yaml``): expressions in Bradford's other languages, and the
   language of the message.

One exception to "the highest": a message told as a story (news, a song, a game), a
recovered past, a service question or an idiom, with no present cue ("again", "tonight",
"want to die"), is not shouted by a bare word in the rules: it is then at the level of the
layers that read context (concepts, languages, and the learned layer up to concern). A
window of several messages is framed so too only when every message the rules flag on its
own carries a frame of its own.

The learned layer raises to concern (it does not read negation, timing or an idiom split
over two texts as the rules do), to urgent only when its urgent score is very high, and says
nothing on fewer than four words; nor when a denial, an everyday use or banter frames the
window (the frame read what its n-grams cannot). Where another layer already reads concern,
an urgent score that merely leans urgent raises to urgent ("learned:agrees", hazard log
H32), with the frames and guards, but with negation read as the rules and concepts read it
(just before a risk phrase), not as any negation word anywhere.
A window of several messages is at least as high as any run of its messages read by the
other layers (so adding a message never lowers it, and one message told as a story cannot
hide another), save that an everyday sentence sent in two texts is read as one message
(H31). A long message is also read in parts by the concept layer. Hazard log H20
and H21 record these trades.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from ._checker import RuleSet, failed_safe, texts
from ._concepts import BREAK, ConceptLayer, ConceptReading
from ._languages import LanguageLayer, LanguageReading
from ._learned import LearnedLayer, LearnedReading
from ._model import Assessment, Level

log = logging.getLogger(__name__)
LAYERS = ("rules", "concepts", "learned", "languages")
_T = TypeVar("_T")
# Per-layer caches of recent messages' readings: up to so many entries of so many chars.
_CACHE_ENTRIES = 4096
_CACHE_TEXT_MAX = 2000
# The learned layer's urgent score at or above which it raises to urgent (below, to concern).
_LEARNED_URGENT = 0.75
_LEARNED_URGENT_WORDS = 8
# The urgent score at or above which the learned layer raises to urgent a window another layer
# already reads as concern (hazard log H32; bench/learned_gate_window.py).
_LEARNED_AGREES = 0.6
# A window longer than so many words is also read by the concept layer in parts of so many
# words, overlapping by half (risk buried in a long message: hazard log H21).
_LONG_WORDS = 30
_PART_WORDS = 16


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
        self._concept_cache: dict[str, frozenset[str]] = {}
        self._learned_cache: dict[str, LearnedReading] = {}
        self._language_cache: dict[str, LanguageReading] = {}
        self._negated_cache: dict[str, frozenset[str]] = {}
        self._urgent_rules = frozenset(r.id for r in rules.rules if r.level is Level.URGENT)
        self._distress_rules = frozenset(r.id for r in rules.rules if _DISTRESS in r.categories)
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
        items = texts(messages)
        return " " + f" {BREAK} ".join(self.rules.normalise(items, self.own_words(items))) + " "

    def window_written(self, messages: Sequence[str]) -> list[tuple[str, str]]:
        """What ``window_text`` reads, as (read as, word as typed) for each word typed, in
        order, break marks left out."""
        items = texts(messages)
        return self.rules.written(items, self.own_words(items))

    def own_words(self, items: Sequence[str]) -> list[frozenset[str]]:
        """For each message, the ordinary words of the language it is written in when that
        is not English: "od" in a Polish or Slovak sentence is "from", not an overdose, so
        English text-speak is not read into it. A message in English, or whose language
        cannot be told, keeps every reading (code-switched "kms" in Roman Urdu stays)."""
        if self.languages is None:
            return []
        out = []
        for item in items:
            code = self._cached(self._language_cache, item, self.languages.read).language
            out.append(self.languages.own_words(code) if code not in ("", "en") else _NO_WORDS)
        return out

    def assess(self, messages: Sequence[str]) -> Assessment:
        try:
            return self.assess_or_raise(messages)
        except Exception as error:  # a missed disclosure is worse than a needless question
            log.error("risk check failed (%s); answering concern", type(error).__name__)
            return failed_safe(self.version)

    def readings(
        self, messages: Sequence[str], rules: bool = True
    ) -> tuple[Assessment, ConceptReading | None, LearnedReading | None, LanguageReading | None]:
        items = texts(messages)
        if rules and self.use_rules:
            ruled = self.rules.assess_or_raise(items, self.own_words(items))
        else:
            ruled = Assessment(Level.NONE, (), (), self.rules.version)
        window = self.window_text(items)
        learned = None
        if self.learned is not None and window.strip():
            learned = self._cached(self._learned_cache, window, self.learned.read)
        language = None
        if self.languages is not None and items:
            # Expressions read across the window's messages (an SMS split in two); the
            # language named is the newest message's.
            # Joined at a line break, a clause's end: a "nie" closing one message does not
            # negate the next ("nie" / "chcę się zabić").
            together = self._cached(self._language_cache, "\n".join(items), self.languages.read)
            newest = self._cached(self._language_cache, items[-1], self.languages.read)
            language = LanguageReading(
                newest.language, together.level, together.found, together.concepts
            )
        concepts = None
        if self.concepts is not None:
            present = self._cached(self._concept_cache, window, self.concepts.concepts)
            if language is not None and language.concepts:
                # Concepts heard in other languages compose with each other and with
                # English ones ("blade ready" + "aaj raat").
                present = self.concepts.with_unions(present | language.concepts)
            concepts = self._buried(window, self.concepts.decide(present))
        return ruled, concepts, learned, language

    def _buried(self, window: str, whole: ConceptReading) -> ConceptReading:
        """A long message is also read in parts of so many words, so a risk said in the middle
        of other news ("...and honestly ive got the tablets ready for tonight anyway, the cat
        was sick") is not guarded by a word far from it (the cat, as a routine). The frames
        of the whole that speak for all of it (a past, a recovery, a denial) still hold."""
        assert self.concepts is not None
        words = window.split()
        if len(words) <= _LONG_WORDS:
            return whole
        keep = whole.concepts & _WHOLE_FRAMES
        best = whole
        step = _PART_WORDS // 2
        for start in range(0, len(words) - step, step):
            part = " " + " ".join(words[start : start + _PART_WORDS]) + " "
            reading = self.concepts.decide(self.concepts.concepts(part) | keep)
            if reading.level > best.level:
                best = reading
        if best is whole:
            return whole
        return ConceptReading(
            best.level,
            whole.concepts,
            tuple(sorted(set(whole.combinations) | set(best.combinations))),
            tuple(sorted(set(whole.categories) | set(best.categories))),
        )

    @staticmethod
    def _cached(cache: dict[str, _T], key: str, work: Callable[[str], _T]) -> _T:
        """Each message is read by a layer once: the engine reads it alone, then in every
        window it is part of. Bounded, so no input can fill memory; never logged."""
        found = cache.get(key)
        if found is None:
            found = work(key)
            if len(key) <= _CACHE_TEXT_MAX:
                if len(cache) >= _CACHE_ENTRIES:
                    cache.clear()
                cache[key] = found
        return found

    def assess_or_raise(self, messages: Sequence[str]) -> Assessment:
        items = self.sentences(texts(messages))
        whole = self._assess_one(items, framing=self._window_may_frame(items))
        if len(items) <= 1:
            return whole
        # The rules read the whole window (they know when a message is past or negated,
        # and an idiom split over two texts). The other layers read every run of
        # consecutive messages, and the highest run counts: so adding a message never
        # lowers a window, and one message told as a story cannot hide another.
        best = whole
        resolved = self._resolved_until(items) if whole.level is Level.NONE else 0
        for end in range(1, len(items) + 1):
            for start in range(end):
                if end - start < len(items):
                    run = self._assess_one(items[start:end], framing=False, rules=False)
                    if start < resolved and run.level is not Level.URGENT:
                        # The unfinished beginning of an everyday use a later text
                        # completes ("im going to end it" | "with my boyfriend"); never
                        # an urgent run (hazard log H22).
                        continue
                    if run.level > best.level:
                        best = run
        if best is whole:
            return whole
        return Assessment(
            best.level,
            tuple(sorted(set(best.categories) | set(whole.categories))),
            tuple(sorted(set(best.rules) | set(whole.rules))),
            self.version,
            language=whole.language,
        )

    def sentences(self, items: Sequence[str]) -> list[str]:
        """The window's messages, an everyday sentence sent in two texts read as one
        message: a text that goes on with the one before ("on the edge" / "of my seat",
        "just killed myself" / "in minecraft") is joined to it when the whole sentence,
        read alone, carries no risk, so its first half is not also read alone as part of
        the window. That half was read alone when it arrived: its reply and the flag it
        raised stand, since the engine keeps the highest flag (hazard log H31). A joined
        sentence that still carries risk is left as two texts ("im going to end it" /
        "with everything"), and so is a second text that carries risk alone, so joining
        never lowers what the words say."""
        out: list[str] = []
        for item in items:
            if out and self.rules.continues(item):
                joined = f"{out[-1]} {item}"
                # Neither half may carry risk the whole hides: a recovered past joined to
                # "on the bridge over the aire" must not frame the bridge.
                if (
                    self._assess_one([item]).level is Level.NONE
                    and self._assess_one([joined]).level is Level.NONE
                ):
                    out[-1] = joined
                    continue
            out.append(item)
        return out

    def _resolved_until(self, items: list[str]) -> int:
        """How many of the first messages an everyday use or an idiom completed in a later
        message resolves: the frame must be read across a break (in no one message alone),
        so only words it clearly finishes are quieted ("can't do this anymore" | "this
        crossword"); 0 when the window is not so framed."""
        if self.concepts is None:
            return 0
        whole = self._cached(self._concept_cache, self.window_text(items), self.concepts.concepts)
        firm = whole & _RESOLVING
        if not firm or not self.concepts.decide(whole).framed:
            return 0
        alone = [
            self._cached(self._concept_cache, self.window_text([item]), self.concepts.concepts)
            for item in items
        ]
        for end in range(2, len(items) + 1):
            prefix = self.window_text(items[:end])
            if self._cached(self._concept_cache, prefix, self.concepts.concepts) & firm:
                return 0 if any(one & firm for one in alone[:end]) else end
        return 0

    def _window_may_frame(self, items: list[str]) -> bool:
        """Whether a window may be read as a story, an idiom or a recovered past as a whole.

        One message may ("watched the last episode" then "the one where he jumps off the
        bridge, grim telly"), so long as no message the rules flag on its own is outside a
        frame of its own: "watched a film" then "going to jump off the bridge" is not framed,
        so one message told as a story cannot hide another.
        """
        if len(items) <= 1:
            return True
        if self.concepts is None:
            return False
        for item in items:
            if not self.rules.assess_or_raise([item], self.own_words([item])).level:
                continue
            present = self._cached(
                self._concept_cache, self.window_text([item]), self.concepts.concepts
            )
            if not self.concepts.decide(present).framed:
                return False
        return True

    def _assess_one(
        self, messages: list[str], framing: bool = True, rules: bool = True
    ) -> Assessment:
        ruled, concepts, learned, language = self.readings(messages, rules)
        level, found, categories = ruled.level, list(ruled.rules), set(ruled.categories)
        framed = framing and concepts is not None and concepts.framed
        if framed and concepts is not None:
            # A story, a recovered past, a service question, an idiom: the context-reading
            # layers decide, not a bare word.
            level = Level.NONE
            found = [f"framed:{'+'.join(sorted(concepts.concepts & _FRAMES))}"]
            categories = set()
        if concepts is not None and concepts.level:
            level = max(level, concepts.level)
            found.extend(f"concept:{c}" for c in concepts.combinations)
            categories.update(concepts.categories)
        if language is not None and language.level:
            level = max(level, language.level)
            found.extend(language.found)
        quiet = framed and concepts is not None and bool(concepts.concepts & _QUIETING)
        if learned is not None and not quiet:
            said, ids = self._learned_says(messages, concepts, learned, Level(level))
            level = max(level, said)
            found.extend(ids)
        if level is Level.NONE:
            found, categories = [], set()
        return Assessment(
            level=Level(level),
            categories=tuple(sorted(categories)),
            rules=tuple(sorted(set(found))),
            ruleset_version=self.version,
            language=language.language if language is not None else "",
        )

    def _learned_says(
        self,
        messages: Sequence[str],
        concepts: ConceptReading | None,
        learned: LearnedReading,
        others: Level,
    ) -> tuple[Level, list[str]]:
        """What the learned layer adds to the level ``others`` the other layers gave (the
        window not quieted by a frame), with the ids that say why."""
        if self._learned_unheard(messages):
            return Level.NONE, []
        # The learned layer raises to concern: it does not read negation, timing or
        # idioms split over texts as the rules do (see _train.THRESHOLDS); to urgent
        # only as _learned_may_be_urgent allows.
        if (
            learned.level
            and learned.urgent >= _LEARNED_URGENT
            and self._learned_may_be_urgent(messages, concepts)
        ):
            # Only when its urgent head is sure (at this score, in five-fold
            # cross-validation over the training data, 51% of urgent messages, 2.9%
            # of concern and 2.9% of benign ones before the gates below;
            # bench/learned_gate.py), and only where the rules read nothing and
            # nothing lowers or frames the window (hazard log H21).
            return Level.URGENT, ["learned", "learned:urgent"]
        if (
            others is Level.CONCERN
            and learned.urgent >= _LEARNED_AGREES
            and self._learned_may_agree(messages, concepts)
        ):
            # Agreement (hazard log H32): another layer already reads concern and the
            # urgent head leans urgent, so urgent. On fresh text many misses at urgent were
            # such messages, held at concern by a gate meant for the learned layer alone
            # (a rule heard, "can't swim" or "won't answer" anywhere). In five-fold
            # cross-validation (bench/learned_gate_window.py), with the other layers held
            # at concern at most, urgent recall 0.17 -> 0.44 for 3 points more concern
            # messages given urgent; benign specificity unchanged (it never raises from
            # none). The ids name the path.
            return Level.URGENT, ["learned", "learned:agrees"]
        return (Level.CONCERN, ["learned"]) if learned.level else (Level.NONE, [])

    def _learned_may_agree(self, messages: Sequence[str], concepts: ConceptReading | None) -> bool:
        """Whether the urgent head may raise a message another layer reads as concern: one
        message of eight or more words, no concept frames, guards or jokes (as for the
        learned layer alone), the rules did not lower an urgent rule for negation or a past
        ("i'm not going to kill myself", "i tried to kill myself years ago": their reading
        stands), and no risk concept is read only negated. Unlike the learned layer alone,
        a negation word elsewhere ("i can't swim", "he won't answer") does not count: the
        other layer has read the risk, and the rules' and concepts' negation is scoped to
        its phrase. Each message of a window is read so too, so adding a message never
        lowers it."""
        if len(messages) != 1:
            # One message at a time: a worry joined to a short answer after it ("shes
            # talking about ending it" | "not sure", a carer answering "is she safe?") is
            # for the rules and the conversation to read, not an n-gram score.
            return False
        words = " ".join(self.rules.normalise(messages)).split()
        if len(words) < _LEARNED_URGENT_WORDS:
            return False
        if concepts is not None and concepts.concepts & (_LEARNED_GUARDS | _AGREE_GUARDS):
            return False
        if not self._all_english(messages):
            return False
        if self._rules_lowered(messages):
            return False
        return not self._negated_risk(messages)

    def _all_english(self, messages: Sequence[str]) -> bool:
        """Whether no message is in a language told as other than English: the n-grams and
        the negation read here are English, and another language's own file reads its
        denials ("nu am de gand sa fac ceva") and sets its level."""
        if self.languages is None:
            return True
        return all(
            self._cached(self._language_cache, item, self.languages.read).language in ("", "en")
            for item in messages
        )

    def _rules_lowered(self, messages: Sequence[str]) -> bool:
        """Whether the rules read an urgent rule here and lowered it to concern (negation or
        past timing): only a lowered match leaves an urgent rule's id at concern."""
        ruled = self.rules.assess_or_raise(list(messages))
        return ruled.level is Level.CONCERN and bool(set(ruled.rules) & self._urgent_rules)

    def _negated_risk(self, messages: Sequence[str]) -> frozenset[str]:
        """The risk concepts read only negated in these messages (a negated guard, "can't
        swim" read against a routine, is no denial of risk)."""
        if self.concepts is None:
            return frozenset()
        window = self.window_text(messages)
        negated = self._cached(self._negated_cache, window, self.concepts.negated_concepts)
        return negated - _LEARNED_GUARDS

    def _learned_may_be_urgent(
        self, messages: Sequence[str], concepts: ConceptReading | None
    ) -> bool:
        """Whether the learned layer's urgent score may count as urgent: at least so many
        words (a fragment, "I've got the rope" or "I'm going to end" | "it with my boyfriend",
        is for the window and the rules to complete), the rules hear nothing in these
        messages (had they, their reading of negation and timing stands), no negation word
        ("i'm not going to kill myself" stays concern), and no concept frames, guards or
        jokes. Read for each run of messages as for the whole, so adding a message never
        lowers a window."""
        words = " ".join(self.rules.normalise(messages)).split()
        if len(words) < _LEARNED_URGENT_WORDS:
            return False
        heard = self.rules.assess_or_raise(list(messages))
        if heard.level is not Level.NONE and not self._distress_only(heard.rules):
            return False
        if concepts is not None and concepts.concepts & _LEARNED_GUARDS:
            return False
        return not _NEGATIONS.intersection(words)

    def _distress_only(self, rule_ids: Sequence[str]) -> bool:
        """Whether only everyday-distress rules (rules/distress.yaml) were heard: concern
        rules that read no negation or timing, so they do not hold back the learned
        layer's urgent reading as the other rules do (hazard log H30)."""
        return bool(rule_ids) and set(rule_ids) <= self._distress_rules

    def _learned_unheard(self, messages: Sequence[str]) -> bool:
        """A window too short for the learned layer to say anything: under four words, a
        greeting not counted (a fragment such as "hi" then "I have taken" is for the rules
        and the window to read)."""
        words = self.window_text(messages).replace(BREAK, " ").split()
        return len([w for w in words if w not in _GREETINGS]) < 4


_FRAMES = frozenset({"reported", "recovered", "service", "idiom", "everyday", "denial"})
# Concepts that keep the learned layer at concern: frames, guards and jokes.
_LEARNED_GUARDS = frozenset(
    {
        "reported",
        "recovered",
        "past",
        "service",
        "idiom",
        "everyday",
        "denial",
        "banter",
        "hyperbole",
        "joking",
        "routine",
        "look_alike",
        "household",
        "distress_guard",
        "paperwork",
        "celebration",
        # someone said to be in hospital already or with a crisis team (riskfold9: a carer's
        # "she's in hospital already, on the ward" went urgent on the learned layer alone)
        "in_care",
    }
)
# Concepts that also keep agreement (_learned_may_agree) at concern: said to be safe now
# ("he's gone now, i'm at my mum's"), not to be acted on ("i would never", "i won't do
# anything") or of how things are, not a plan ("can't live like this"). The learned layer
# alone never raises where another layer reads them, as the rules hear such windows.
_AGREE_GUARDS = frozenset({"safe_now", "denied_act", "intent_denied", "like_this"})
_NO_WORDS: frozenset[str] = frozenset()
# The category of the everyday-distress rules (rules/distress.yaml).
_DISTRESS = "distress"
_NEGATIONS = frozenset({"not", "never", "no", "nor"})
# Words that say nothing of risk, not counted towards the learned layer's four words
# (normalised: doubled letters single).
_GREETINGS = frozenset({"hi", "hiya", "helo", "hey", "heya", "yo", "ok", "okay", "oi", "sup"})
# Frames of a whole long message that hold over each of its parts: a past, a recovery and a
# denial speak for the whole; a story, a service question or an idiom speak only for their own
# part ("...ive got the tablets ready for tonight, then we watched bake off").
_WHOLE_FRAMES = frozenset({"recovered", "past", "denial"})
# Frames that also quiet the learned layer: its n-grams cannot read "i dont want to hurt
# myself, i just want someone to listen" or "going to die if i dont finish" as the frame
# does (it heard "hurt myself", "die"), and the frame already required that nothing else
# of risk be said (_concepts._DENIAL_UNDONE) or that the use is an everyday one.
_QUIETING = frozenset({"denial", "everyday", "banter"})
# Frames a later text may complete across a break, quieting the words it finishes.
_RESOLVING = frozenset({"everyday", "idiom"})
