"""Risk expressions in other languages, and which language a message is in.

Offline and small: text is folded (accents and vowel marks dropped, Arabic-script letter
variants made one, lower case), split into words, and matched against each language's
reviewed expressions in ``languages/*.yaml``; the language is named by its script and by
counting each language's common words (``markers``). No model, no download.

Each file may also give ``concepts``: phrases for the concept layer's own concepts
(means, possession, time_now, danger_place, finality, act_done...). They are handed to
the concept layer, which composes them with each other and with English ones exactly as
it composes English (so "rassi" + "aaj raat" + "khatam" is urgent without an expression
for that sentence). A concept phrase right after one of the file's ``negation`` words is
not counted, nor is an expression (the two words just before, in the same clause: Polish,
Romanian, Urdu, Welsh and Arabic put it there; Bengali and Slovak carry it in the word or
after it), nor one with a negation word passed over inside it ("marna nahi chahti").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ._model import Level

DEFAULT_LANGUAGES = Path(__file__).parent / "languages"
# Letters NFKD does not take apart, and Arabic-script variants that mean the same letter.
_FOLD = str.maketrans(
    {
        "\u0142": "l",  # Polish l with stroke
        "\u0111": "d",  # d with stroke
        "\u00f8": "o",  # o with stroke
        "\u00df": "ss",  # sharp s
        "\u0131": "i",  # dotless i
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u0622": "\u0627",  # alef with madda -> alef
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u06cc": "\u064a",  # Farsi/Urdu yeh -> yeh
        "\u06d2": "\u064a",  # Urdu yeh barree -> yeh
        "\u0626": "\u064a",  # yeh with hamza -> yeh
        "\u06a9": "\u0643",  # keheh (Urdu kaf) -> kaf
        "\u06c1": "\u0647",  # heh goal (Urdu) -> heh
        "\u06be": "\u0647",  # heh doachashmee (Urdu) -> heh
        "\u06d5": "\u0647",  # ae -> heh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06c3": "\u0647",  # teh marbuta goal -> heh
        "\u0624": "\u0648",  # waw with hamza -> waw
        "\u0640": "",  # tatweel (stretching)
    }
)
# English's common words: a message with more of these than of any language's is English.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "is",
        "i",
        "you",
        "my",
        "to",
        "a",
        "it",
        "of",
        "in",
        "for",
        "me",
        "what",
        "can",
        "have",
        "this",
        "that",
        "on",
        "at",
        "with",
        "are",
        "not",
        "do",
        "be",
        "so",
        "just",
        "im",
        "its",
        "dont",
        "get",
        "help",
        "there",
        "anyone",
        "please",
        "how",
        "where",
        "when",
        "want",
        "feel",
    ]
)
# Up to this many other words may stand between the words of an expression.
_GAP = 2
_PREFIX_MIN = 3
# The words of one text read, at most: 4,000 characters are about 800 words, but a letter
# that folds to a phrase ("ﷺ" to four words) made 12,000 of them, seconds of CPU.
_WORDS_MAX = 1000
_ARTICLE = "\u0627\u0644"  # ال, the article (alef variants already folded to alef)
# A negation word this many words before an expression or concept phrase negates it
# ("nie chcę się zabić", "nu vreau să mor", "dwi ddim isio marw").
_NEGATION_BACK = 2
# ...but not across a clause's end: in "nie wiem, tabletki mam w torbie" or "main hor nahi
# rehna, goliyan tayar ne" the "not" belongs to the clause before (as the concept layer
# stops negation at a clause break). Latin, Arabic-script and Indic stops and commas.
_CLAUSE_END = re.compile(r"[.,;:!?\n|\u060c\u061b\u061f\u06d4\u0964\u0965]+")
# Concepts that keep an expression urgent even in a routine frame.
_PRESSING = frozenset(
    {
        "intent",
        "finality",
        "strong_finality",
        "lethality",
        "brink",
        "effects",
        "bleeding",
        "quantity",
    }
)
# Frames that lower an urgent expression to concern (never to none) when nothing pressing
# is said: a routine ("like every day"), a denial of intent ("but I won't do anything":
# the wish said before it still counts, as concern), a qualified wish ("I don't want to
# live like this": hopelessness, not a plan).
# Idioms and everyday uses ("mă bate la cap", "jhoole ki rassi", "ethe nahi rehna": moving
# house): the words inside one start no expression and no other concept phrase.
_COVERING = frozenset({"idiom", "everyday", "cover"})
# Read by this layer only, never handed to the concept layer: ``cover`` phrases hide a
# look-alike from other phrases without saying it is an idiom or everyday ("theek hun bas",
# Urdu "I'm fine, just...", is not Punjabi "hun bas", enough now), so no frame is lost.
_LANGUAGE_ONLY = frozenset({"cover"})
_LOWERING = frozenset({"routine", "intent_denied", "like_this"})


class LanguageError(ValueError):
    """A language file that cannot be used: the message names the file."""


def _word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


@lru_cache(maxsize=8192)
def _fold_word_chars(char: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFKD", char) if unicodedata.category(c) != "Mn")
    out = out.casefold().translate(_FOLD)
    return "".join(c if _word_char(c) else " " for c in out)


def words(text: str) -> tuple[str, ...]:
    """The folded words of a text: zabić -> zabic, să -> sa, ی/ي one letter."""
    return tuple("".join(_fold_word_chars(c) for c in text[:4000]).split()[:_WORDS_MAX])


def clause_starts(text: str) -> frozenset[int]:
    """The indices, in ``words(text)``, of the words that begin a clause after the first."""
    starts, at = set(), 0
    for part in _CLAUSE_END.split(text[:4000]):
        at += len(words(part))
        starts.add(at)
    return frozenset(starts)


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    markers: frozenset[str]
    expressions: tuple[tuple[tuple[str, ...], Level], ...]
    concepts: tuple[tuple[tuple[str, ...], str], ...] = ()
    negation: frozenset[str] = frozenset()
    # Everyday words that English text-speak would misread ("od": from, not overdose).
    ordinary: frozenset[str] = frozenset()
    # Letters joined to the front of a word ("and", "so", "with", "for", "like") and the
    # article, tried off a word when its stem is in the lexicon (Arabic: و ف ب ل ك, ال).
    proclitics: tuple[str, ...] = ()
    # Letters only this language's spelling uses (ł ż ę for Polish, ľ ô for Slovak, ă ț for
    # Romanian, ŵ ŷ for Welsh), read before folding: one counts as a marker when naming the
    # language, so "telefon od zespołu kryzysowego" is Polish with a single marker word.
    letters: frozenset[str] = frozenset()


@lru_cache(maxsize=65536)
def stems(word: str, proclitics: tuple[str, ...]) -> tuple[str, ...]:
    """The word, and the word without one joined letter and/or the article before it:
    "والجسر" (and the bridge) -> الجسر, جسر; "بالحبوب" (with the pills) -> حبوب.
    A stem is kept only when at least two letters are left."""
    out = [word]
    for clitic in ("", *proclitics):
        if clitic and not word.startswith(clitic):
            continue
        rest = word[len(clitic) :]
        for article in ("", _ARTICLE):
            if (clitic or article) and rest.startswith(article) and len(rest) - len(article) >= 2:
                stem = rest[len(article) :]
                if stem not in out:
                    out.append(stem)
        # "لل" is ل + ال with the alef dropped: "للجسر" (to the bridge).
        if (
            clitic == "\u0644"
            and rest.startswith("\u0644")
            and len(rest) >= 3
            and rest[1:] not in out
        ):
            out.append(rest[1:])
    return tuple(out)


def _matches(
    token: str,
    word: str,
    proclitics: tuple[str, ...] = (),
    whole: frozenset[str] = frozenset(),
    foreign: frozenset[str] = frozenset(),
) -> bool:
    # A word the language lists as its own (``ordinary``) is never taken apart: "ولدي" is
    # "my son", not و + "لدي" (I have). Another language's ordinary word is whole to this
    # one's stems: Polish "leki" (medicines) is not the start of Urdu "lekin" (but).
    candidates = stems(word, proclitics) if proclitics and word not in whole else (word,)
    if len(token) >= _PREFIX_MIN:
        return any(w.startswith(token) and (w == token or w not in foreign) for w in candidates)
    return token in candidates


def _negated(
    start: int, text: Sequence[str], negation: frozenset[str], clauses: frozenset[int]
) -> bool:
    back = max(0, start - _NEGATION_BACK)
    for at in range(start, back, -1):
        if at in clauses:  # a clause begins here: what is before it negates nothing in it
            back = at
            break
    return bool(negation.intersection(text[back:start]))


def _found(
    expression: tuple[str, ...],
    text: Sequence[str],
    negation: frozenset[str] = frozenset(),
    clauses: frozenset[int] = frozenset(),
    proclitics: tuple[str, ...] = (),
    whole: frozenset[str] = frozenset(),
    covered: frozenset[int] = frozenset(),
    foreign: frozenset[str] = frozenset(),
) -> bool:
    spans = _spans(expression, text, negation, clauses, proclitics, whole, covered, foreign)
    return next(spans, None) is not None


def _spans(
    expression: tuple[str, ...],
    text: Sequence[str],
    negation: frozenset[str] = frozenset(),
    clauses: frozenset[int] = frozenset(),
    proclitics: tuple[str, ...] = (),
    whole: frozenset[str] = frozenset(),
    covered: frozenset[int] = frozenset(),
    foreign: frozenset[str] = frozenset(),
) -> Iterator[range]:
    """Where an expression is found: the indices of the words from its first to its last.
    A match that overlaps an idiom or an everyday use (``covered``) is not one: "mă bate
    la cap" (nags me) is not "mă bate" (beats me), "mae'n taro fi bod" (it strikes me
    that) not "taro fi" (hits me)."""
    for start, word in enumerate(text):
        if not _matches(expression[0], word, proclitics, whole, foreign):
            continue
        if negation and _negated(start, text, negation, clauses):
            continue
        at, ok = start, True
        for token in expression[1:]:
            for step in range(1, _GAP + 2):
                if at + step < len(text) and _matches(
                    token, text[at + step], proclitics, whole, foreign
                ):
                    # A negation word passed over inside the expression negates it: Urdu and
                    # Punjabi put it between the verb and "want" ("marna nahi chahti"). Words
                    # passed over never reach across a clause's end: "szef / mnie zabije / bo
                    # znowu się spóźnię" is not "zabiję się" (kill myself).
                    ok = not negation.intersection(text[at + 1 : at + step]) and not (
                        step > 1 and clauses.intersection(range(at + 1, at + step + 1))
                    )
                    at += step
                    break
            else:
                ok = False
            if not ok:
                break
        if ok and not covered.intersection(range(start, at + 1)):
            yield range(start, at + 1)


@dataclass(frozen=True, slots=True)
class LanguageReading:
    """Which language the text is in ("en", a code, or "" when it cannot tell) and the
    level of any expression found, with the expressions' ids (``lang:CODE:level``)."""

    language: str
    level: Level
    found: tuple[str, ...]
    # The concept layer's concepts heard in this language (composed by that layer).
    concepts: frozenset[str] = frozenset()


class LanguageLayer:
    def __init__(self, languages: Sequence[Language]) -> None:
        if not languages:
            raise LanguageError("no language files")
        self.languages = tuple(languages)
        # Expressions filed by the first three letters of their first word.
        self._index: dict[str, list[tuple[Language, tuple[str, ...], Level]]] = {}
        for language in self.languages:
            for expression, level in language.expressions:
                self._index.setdefault(expression[0][:_PREFIX_MIN], []).append(
                    (language, expression, level)
                )
        self._own = {
            language.code: language.markers | language.ordinary for language in self.languages
        }
        # Each language's view of the others' ordinary words: whole words to its stems.
        self._foreign = {
            language.code: frozenset(
                w for other in self.languages if other.code != language.code for w in other.ordinary
            )
            - language.ordinary
            for language in self.languages
        }
        self._proclitics = tuple(
            sorted({c for language in self.languages for c in language.proclitics})
        )
        self._idiom_phrases = {
            language.code: tuple(p for p, c in language.concepts if c in _COVERING)
            for language in self.languages
        }
        # Concept phrases filed the same way.
        self._concept_index: dict[str, list[tuple[Language, tuple[str, ...], str]]] = {}
        for language in self.languages:
            for phrase, concept in language.concepts:
                self._concept_index.setdefault(phrase[0][:_PREFIX_MIN], []).append(
                    (language, phrase, concept)
                )

    def own_words(self, code: str) -> frozenset[str]:
        """The everyday words of a language (its markers and ``ordinary`` words): in a
        message in that language they are never read as English text-speak."""
        return self._own.get(code, frozenset())

    @property
    def concept_names(self) -> frozenset[str]:
        return (
            frozenset(c for language in self.languages for _, c in language.concepts)
            - _LANGUAGE_ONLY
        )

    def read(self, text: str) -> LanguageReading:
        folded, clauses = words(text), clause_starts(text)
        letters = frozenset(unicodedata.normalize("NFC", text[:4000]).casefold())
        level, found, concepts = Level.NONE, set(), set()
        keys = {w[:_PREFIX_MIN] for w in folded}
        if self._proclitics:
            keys |= {s[:_PREFIX_MIN] for w in folded for s in stems(w, self._proclitics)}
        covered = self._idioms(folded, clauses, keys)
        for stem in keys:
            for language, expression, expression_level in self._index.get(stem, ()):
                if _found(
                    expression,
                    folded,
                    language.negation,
                    clauses,
                    language.proclitics,
                    language.ordinary,
                    covered,
                    self._foreign[language.code],
                ):
                    level = max(level, expression_level)
                    found.add(f"lang:{language.code}:{expression_level.label}")
            for language, phrase, concept in self._concept_index.get(stem, ()):
                if concept not in concepts and _found(
                    phrase,
                    folded,
                    language.negation,
                    clauses,
                    language.proclitics,
                    language.ordinary,
                    frozenset() if concept in _COVERING else covered,
                    self._foreign[language.code],
                ):
                    concepts.add(concept)
        lowering = concepts & _LOWERING
        # A denial of intent or "like this" speaks to the intent itself, so only the other
        # pressing concepts (a means in quantity, effects, a goodbye) keep it urgent.
        pressing = _PRESSING if lowering == {"routine"} else _PRESSING - {"intent"}
        if level is Level.URGENT and lowering and not concepts & pressing:
            # "took my tablets this morning like every day": a routine frame in the same
            # text, with nothing pressing, lowers an expression to concern (never to none);
            # so do a denial of intent and a qualified wish.
            level = Level.CONCERN
            found.add("lang:routine-frame" if "routine" in lowering else "lang:lowered-frame")
        return LanguageReading(
            self.name(folded, found, letters),
            level,
            tuple(sorted(found)),
            frozenset(concepts) - _LANGUAGE_ONLY,
        )

    def _idioms(
        self, folded: Sequence[str], clauses: frozenset[int], keys: set[str]
    ) -> frozenset[int]:
        """The indices of the words inside an idiom said in any language (its ``idiom``
        concept phrases): no expression or other concept phrase starts there. ``keys`` are
        the first letters of the text's words and stems: a phrase whose first word begins
        otherwise cannot match, so it is not looked for (the expressions' index does the
        same)."""
        out: set[int] = set()
        for language in self.languages:
            for phrase in self._idiom_phrases.get(language.code, ()):
                if phrase[0][:_PREFIX_MIN] not in keys:
                    continue
                for span in _spans(
                    phrase,
                    folded,
                    language.negation,
                    clauses,
                    language.proclitics,
                    language.ordinary,
                    frozenset(),
                    self._foreign[language.code],
                ):
                    out.update(span)
        return frozenset(out)

    def name(
        self, folded: Sequence[str], found: set[str], letters: frozenset[str] = frozenset()
    ) -> str:
        if not folded:
            return ""
        present = set(folded)
        best, best_score = "", 1
        for language in self.languages:
            score = (
                len(present & language.markers)
                + 2 * any(f.startswith(f"lang:{language.code}:") for f in found)
                + bool(letters & language.letters)
            )
            if score > best_score:
                best, best_score = language.code, score
        english = len(present & _ENGLISH)
        if best and best_score > english:
            return best
        if english or all(w.isascii() for w in folded):
            return "en" if english else ""
        return best


def _language(path: Path, data: Mapping[str, Any]) -> Language:
    try:
        code, name = str(data["code"]), str(data["name"])
        expressions = []
        for key, level in (("urgent", Level.URGENT), ("concern", Level.CONCERN)):
            for entry in data.get(key) or []:
                folded = words(str(entry))
                if not folded:
                    raise LanguageError(f"{path}: expression {entry!r} folds to nothing")
                expressions.append((folded, level))
        markers = frozenset(w for m in data.get("markers") or [] for w in words(str(m)))
        concepts = []
        for concept, phrases in (data.get("concepts") or {}).items():
            if not isinstance(phrases, list):
                raise LanguageError(f"{path}: concept {concept!r}: a list of phrases, please")
            for phrase in phrases:
                folded = words(str(phrase))
                if not folded:
                    raise LanguageError(f"{path}: concept phrase {phrase!r} folds to nothing")
                concepts.append((folded, str(concept)))
        negation = frozenset(w for m in data.get("negation") or [] for w in words(str(m)))
        ordinary = frozenset(w for m in data.get("ordinary") or [] for w in words(str(m)))
        proclitics = tuple(w for m in data.get("proclitics") or [] for w in words(str(m)))
        letters = frozenset(unicodedata.normalize("NFC", str(data.get("letters") or "")).casefold())
        letters -= {" "}
        if any(len(p) != 1 for p in proclitics):
            raise LanguageError(f"{path}: a proclitic is one letter")
    except (KeyError, TypeError, AttributeError) as error:
        raise LanguageError(f"{path}: {error}") from error
    if not expressions or not markers:
        raise LanguageError(f"{path}: needs markers and expressions")
    markers |= ordinary  # they help name the language too
    return Language(
        code,
        name,
        markers,
        tuple(expressions),
        tuple(concepts),
        negation,
        ordinary,
        proclitics,
        letters,
    )


def load_languages(folder: Path | None = None) -> LanguageLayer:
    folder = Path(folder) if folder is not None else DEFAULT_LANGUAGES
    languages = []
    try:
        paths = sorted(folder.glob("*.yaml"))
        for path in paths:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            if not isinstance(data, dict):
                raise LanguageError(f"{path}: not a mapping")
            languages.append(_language(path, data))
    except (OSError, yaml.YAMLError) as error:
        raise LanguageError(f"{folder}: {error}") from error
    return LanguageLayer(languages)
