"""What an answer means at the question it answers: a pure reading of typed words.

The answers are data, next to the questions' wording: ``messages/en-GB/answers/`` holds
one file per question (its options, their phrases and examples, what yes, no and not
sure mean there) plus ``_common.yaml`` (yes/no forms, negators, spellings) and
``_anywhere.yaml`` (what people ask for at any question). A lead adds a phrase there.

The reading, in order: a number for an offered option; the question's own options
(their phrases and button labels); then what people ask for anywhere. Matching is by
words on cleaned text, longest phrase first, each word used once; a phrase a few words
after "not" or "don't" in the same clause is turned around or dropped; words of five
letters or more also match a near spelling (rapidfuzz). Intents that stop, end, leave
or delete something count only as the whole message, or as a long phrase where the
question offers them: "I can't stop crying" stops nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

ANSWERS = Path(__file__).resolve().parents[2] / "messages" / "en-GB" / "answers"
OPTIONS = ANSWERS.parent / "options"
# Answer words in the languages the service serves, each read as the English it means.
LANGUAGES = ANSWERS / "languages"
# Meanings that are not buttons: the engine answers them itself.
SPOKEN = frozenset(
    {"checkin_ok", "checkin_not_ok", "grounding_done", "help", "stop", "forget", "again", "hello"}
)
# "What do you mean?", "?", "huh": the question is asked again, shorter, with its options.
AGAIN = "again"
HELP = "help"  # what the service is
# "hi" once the greeting was said: the question again, shortly, not what the service is.
HELLO = "hello"
COVER_MAX = 16  # words: a message longer than this is more than a control
FUZZY_FROM = 5  # letters: shorter words must be spelt right ("help" is not "hello")
FUZZY_SCORE = 85.0
SHORT = 3  # words: in a message this short a yes or no counts anywhere ("physically yes")
MAX_WORDS = 60  # words of a message read for meaning (risk reads every word)
NEGATION_REACH = 3  # words after a negator that it turns around
UNSURE = "_unsure"  # "not sure" where the question gives it no meaning: asked again
FREE_TEXT_QUESTION = 3  # words: a question about the service where their own words go
LONG_PHRASE = 3  # words: a stop/leave/end phrase this long counts inside a message
# Whole messages that still steer where people type their own words ("crisis team" is a
# plan answer, "urgent" is not).
FREE_TEXT_INTENTS = ("urgent", "stop", "forget", "end_chat", "stop_checkins", AGAIN)


class _Loader(yaml.CSafeLoader):
    """YAML without its 1.1 booleans: "yes", "no" and "on" are words people type."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_UNSTOPPED = frozenset({"stop", "stopping"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CLAUSE = re.compile(r"[.,!?;:\n]+|\bbut\b")
_REPEATS = re.compile(r"([a-z])\1{2,}")


# Skin tones and the emoji variation selector: "👍🏽" is "👍".
_EMOJI_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f\u200d]")


@cache
def _emoji() -> dict[str, str]:
    """Emoji read as words (``emoji`` in _common.yaml): "👍" is "yes"."""
    raw = _read(ANSWERS / "_common.yaml").get("emoji") or {}
    return {_EMOJI_MODIFIERS.sub("", str(k)): f" {v} " for k, v in raw.items()}


def _spell_emoji(text: str) -> str:
    if text.isascii():
        return text
    text = _EMOJI_MODIFIERS.sub("", text)
    for emoji, word in _emoji().items():
        text = text.replace(emoji, word)
    return text


# Letters that are one letter to a reader: Arabic-script variants (Urdu and Arabic
# keyboards differ), and Latin letters NFKD leaves whole. Script punctuation as ours.
_VARIANTS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي as ی
        "\u0649": "\u06cc",  # ى as ی
        "\u0643": "\u06a9",  # ك as ک
        "\u0647": "\u06c1",  # heh as heh goal
        "\u0629": "\u06c1",  # teh marbuta as heh goal
        "\u06be": "\u06c1",  # do-chashmi heh as heh goal
        "\u0640": "",  # the tatweel stretches a word, it is no letter
        "\u0142": "l",  # ł
        "\u0111": "d",  # đ
        "\u060c": ",",
        "\u061f": "?",
        "\u06d4": ".",
        "\u0964": ".",
    }
)
_NOT_READ = frozenset({"Mn", "Cf"})  # accents, vowel marks, joiners


def _plain(text: str) -> str:
    """Lower case, accents and vowel marks dropped, letter variants made one: how other
    languages' answer words are compared ("usuń" is "usun", "ہاں" however typed)."""
    decomposed = unicodedata.normalize("NFKD", text.lower()).translate(_VARIANTS)
    return "".join(c for c in decomposed if unicodedata.category(c) not in _NOT_READ)


def _spans(plain: str) -> list[tuple[int, int]]:
    """Where each word of any script is: letters, digits and spacing vowel signs."""
    found: list[tuple[int, int]] = []
    start = -1
    for i, char in enumerate(plain):
        if char.isalnum() or unicodedata.category(char) == "Mc":
            if start < 0:
                start = i
        elif start >= 0:
            found.append((start, i))
            start = -1
    if start >= 0:
        found.append((start, len(plain)))
    return found


@dataclass(frozen=True, slots=True)
class _Glossary:
    # the words in another language -> the English they are read as, and the language
    phrases: dict[tuple[str, ...], tuple[str, str]]
    # words that are "no" on their own and "not" before another word ("nie", "nu")
    no_or_not: frozenset[tuple[str, ...]]
    longest: int
    names: dict[str, str]  # language code -> its name
    reviews: dict[str, str]  # language code -> its review line


def _plain_words(text: str) -> tuple[str, ...]:
    plain = _plain(text)
    return tuple(plain[a:b] for a, b in _spans(plain))


@cache
def glossary(folder: Path = LANGUAGES) -> _Glossary:
    """Every language file's answer words, read once (messages/en-GB/answers/languages)."""
    phrases: dict[tuple[str, ...], tuple[str, str]] = {}
    no: set[tuple[str, ...]] = set()
    not_: set[tuple[str, ...]] = set()
    names: dict[str, str] = {}
    reviews: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = _read(path)
        code = str(data.get("code") or path.stem)
        names[code] = str(data.get("name", code))
        reviews[code] = str(data.get("review", ""))
        for english, said in (data.get("words") or {}).items():
            for phrase in said or ():
                key = _plain_words(str(phrase))
                if not key:
                    continue
                if english == "not":
                    not_.add(key)
                    continue
                if english == "no":
                    no.add(key)
                phrases.setdefault(key, (str(english), code))
    for key in not_ - set(phrases):
        phrases[key] = ("not", "")
    return _Glossary(
        phrases=phrases,
        no_or_not=frozenset(no & not_),
        longest=max((len(k) for k in phrases), default=0),
        names=names,
        reviews=reviews,
    )


@lru_cache(maxsize=1 << 12)
def _translated(text: str) -> tuple[str, tuple[str, ...], int]:
    """The text with other languages' answer words put in English ("tak, usuń wszystko"
    is "yes, delete everything"), the language of each word put so, and how many words
    the text has. Text with none of those words comes back as it was."""
    known = glossary()
    if not known.phrases:
        return text, (), 0
    plain = _plain(text)
    spans = _spans(plain)
    tokens = [plain[a:b] for a, b in spans]
    pieces: list[str] = []
    codes: list[str] = []
    at = 0  # the next character of ``plain`` not yet copied
    i = 0
    while i < len(tokens):
        for size in range(min(known.longest, len(tokens) - i), 0, -1):
            key = tuple(tokens[i : i + size])
            if key not in known.phrases or any(
                # A phrase is within one clause: "nie, nie jestem..." is no, then not.
                _CLAUSE.search(plain[spans[k][1] : spans[k + 1][0]])
                for k in range(i, i + size - 1)
            ):
                continue
            english, code = known.phrases[key]
            end = spans[i + size - 1][1]
            if key in known.no_or_not:
                # "nie" alone is no; "nie chcę" is "not chcę", so a negation still turns.
                following = plain[end : spans[i + size][0]] if i + size < len(tokens) else "."
                if not _CLAUSE.search(following):
                    english = "not"
            pieces += [plain[at : spans[i][0]], f" {english} "]
            codes += [code] * size if code else []
            at = end
            i += size
            break
        else:
            i += 1
    if not pieces:
        return text, (), len(tokens)
    return "".join([*pieces, plain[at:]]), tuple(codes), len(tokens)


def in_english(text: str) -> str:
    """The text with the answer words of the languages the service serves in English,
    for the readers of English words (an appointment day: "w piątek" is "friday")."""
    return _translated(text)[0]


def language_of(text: str) -> str:
    """The language whose answer words make up at least half of a short answer ("tak",
    "nie wiem", "rano prosím"), "" for none: the risk layer names the language of longer
    text, and an answer in another language is told that interpreters can help."""
    _, codes, count = _translated(text)
    if not codes or 2 * len(codes) < count:
        return ""
    return max(sorted(set(codes)), key=codes.count)


def _fold(text: str) -> str:
    text = _spell_emoji(text)
    text = in_english(text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _REPEATS.sub(r"\1", folded.replace("'", "").replace("\u2019", "").replace("&", " and "))


def words(text: str, spellings: Mapping[str, str] | None = None) -> list[str]:
    """Cleaned words: lower case, no accents or apostrophes, "sooo" as "so", short forms
    spelt out ("u" is "you")."""
    found = _NON_WORD.sub(" ", _fold(text)).split()
    if not spellings:
        return found
    return [w for word in found for w in spellings.get(word, word).split()]


def clauses(text: str, spellings: Mapping[str, str] | None = None) -> list[list[str]]:
    """The words of each clause: a negation does not reach past a comma or a "but"."""
    parts = _CLAUSE.split(_fold(text))
    return [w for w in (words(part, spellings) for part in parts) if w]


@dataclass(frozen=True, slots=True)
class Intent:
    phrases: tuple[tuple[str, ...], ...]
    whole: bool = False  # only as the whole message
    # Phrases that count only as the whole message, where the others count anywhere:
    # "what?" asks again, "what" inside a sentence does not.
    alone: tuple[tuple[str, ...], ...] = ()
    # A question made only of these words, with at least one ``about`` word, is this intent
    # as the whole message: "is this an actual person or a robot?", "who runs it".
    asks: frozenset[str] = frozenset()
    about: frozenset[str] = frozenset()
    starts: frozenset[str] = frozenset()
    # Pairs of words that together make such a question about the service, where neither
    # alone does: "who can see my plan?" ("can i see my plan?" is no such question).
    together: tuple[frozenset[str], ...] = ()
    # Only at a question that has it among its options: "hes grabbed a knife" is the
    # person not safe at the carers' questions, and the risk layer's to answer elsewhere.
    named_only: bool = False
    # Danger said in words that come before the question's own answers, at any question
    # but a safety one, and inside their own words where those go ("15 mins is too long i
    # need someone now", "i'm feeling unsafe again" under the feedback): ``first``
    # anywhere in a clause, ``first_ending`` only as the end of a clause ("6 is ages away
    # i cant wait", not "i cant wait to talk to them").
    first: tuple[tuple[str, ...], ...] = ()
    first_ending: tuple[tuple[str, ...], ...] = ()

    def asked(self, said: Sequence[str], text: str, ignored: frozenset[str]) -> bool:
        """Whether ``said`` is only a question in these words ("are they trained counsellors?")."""
        kept = [w for w in said if w not in ignored]
        if not self.about or not kept or len(kept) > COVER_MAX:
            return False
        if "?" not in text and kept[0] not in self.starts:
            return False
        if not set(kept) <= self.asks | self.about:
            return False
        return bool(set(kept) & self.about) or any(pair <= set(kept) for pair in self.together)

    @property
    def every(self) -> tuple[tuple[str, ...], ...]:
        return self.phrases + self.alone


@dataclass(frozen=True, slots=True)
class Question:
    name: str
    options: dict[str, tuple[tuple[str, ...], ...]]  # option id -> its own phrases
    # option id -> phrases that mean it only as the whole message: "the crisis team" is a
    # call back, "an assessment with the crisis team" an assessment.
    alone: dict[str, tuple[tuple[str, ...], ...]]
    negated: dict[str, str]  # option id -> what it means under a negation
    yes: str = ""
    no: str = ""
    not_sure: str = ""
    safety: bool = False  # not safe wins when an answer reads both ways
    free_text: bool = False  # anything else typed is their own words
    places: bool = False  # a place name is an answer (read by the directory)
    offered_only: bool = False  # only options offered now can be chosen
    anything_else: str = ""  # what any other words mean (grounding: the next step)
    # What people ask for anywhere that here is only talk: "hello?" or "ill wait" while
    # waiting in the queue asks for no help or waiting list; it is their own words.
    chat: frozenset[str] = frozenset()
    examples: dict[str, str] = field(default_factory=dict)
    # option id -> phrases that mean it at the start of a message nothing else answers:
    # "waiting on my PIP decision" is something not on the list.
    leads: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # After a no, a clause that says it is only a feeling ("No. I just feel flat all the
    # time"): its how-often words are about that feeling, not an answer.
    explained_by: frozenset[str] = frozenset()
    feelings: frozenset[str] = frozenset()
    often: frozenset[tuple[str, ...]] = frozenset()
    # Where a place is asked: a clause with these words says where they usually are, not
    # where they are now ("but i normally live in bd4"), when another clause names a place.
    elsewhere: tuple[tuple[str, ...], ...] = ()
    # Options that act (delete) and are never taken from a question: "does this delete it
    # from the nhs too" asks what deleting does; it is answered with what the service is,
    # or the question asked again, and nothing is deleted.
    not_from_a_question: frozenset[str] = frozenset()
    # Whether danger said first (``first`` under urgent) comes before the answers here; not
    # where the answers name bad times ("when i feel unsafe" is a plan's warning sign).
    first_danger: bool = True

    @property
    def unsafe(self) -> str:
        return self.not_sure if self.safety else ""


@dataclass(frozen=True, slots=True)
class Answers:
    questions: dict[str, Question]
    intents: dict[str, Intent]
    labels: dict[str, tuple[str, ...]]  # option id -> its button label, as words
    yes: frozenset[tuple[str, ...]]
    no: frozenset[tuple[str, ...]]
    not_sure: frozenset[tuple[str, ...]]
    hedges: frozenset[tuple[str, ...]]  # "kinda", "i guess": at a safety question, not sure
    negators: frozenset[str]
    courtesies: frozenset[tuple[str, ...]]
    corrections: tuple[tuple[str, ...], ...]  # "wait no", "i mean": what follows counts
    # Also corrections where a value is typed, a place or a date: "BD7 no sorry BD9".
    value_corrections: tuple[tuple[str, ...], ...]
    # Words that may stand inside a yes, no or not sure: "i honestly cant tell".
    fillers: frozenset[str]
    # Words after which a yes or no ends a clause as its answer: "hes on the ward so yes".
    conclusions: frozenset[str]
    # Whose worry: words naming someone else, the carer, and a carer's own framing.
    them: frozenset[tuple[str, ...]]
    me: frozenset[tuple[str, ...]]
    carer_speech: tuple[tuple[str, ...], ...]
    spellings: dict[str, str]
    numbers: dict[str, int]
    examples: dict[str, str]


def _text(value: Any) -> str:
    return str(value)


def _phrases(values: Iterable[Any], spellings: Mapping[str, str]) -> tuple[tuple[str, ...], ...]:
    found = {tuple(words(_text(v), spellings)) for v in values}
    return tuple(sorted((p for p in found if p), key=lambda p: (-len(p), p)))


def _read(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # _Loader is a SafeLoader
    return data if isinstance(data, dict) else {}


def _word_set(values: Iterable[Any] | None, spellings: Mapping[str, str]) -> frozenset[str]:
    return frozenset(w for p in _phrases(values or (), spellings) for w in p)


def _flag(value: object, default: bool) -> bool:
    """A yes/no setting of an answers file. The files are read with no YAML booleans (so
    "no" and "yes" stay words a person types), so a setting is the text true or false."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ValueError(f"a yes/no setting must be true or false, not {value!r}")
    return text == "true"


def _question(name: str, data: Mapping[str, Any], spellings: Mapping[str, str]) -> Question:
    raw = data.get("options") or {}
    if isinstance(raw, list):  # only offered buttons, with their words from _anywhere.yaml
        raw = {str(option): {} for option in raw}
    options = {str(o): _phrases((v or {}).get("phrases", ()), spellings) for o, v in raw.items()}
    alone = {str(o): _phrases((v or {}).get("alone", ()), spellings) for o, v in raw.items()}
    negated = {str(o): str(v["negated"]) for o, v in raw.items() if v and v.get("negated")}
    return Question(
        name=name,
        options=options,
        alone=alone,
        negated=negated,
        yes=str(data.get("yes", "")),
        no=str(data.get("no", "")),
        not_sure=str(data.get("not_sure", "")),
        safety=_flag(data.get("safety"), False),
        free_text=_flag(data.get("free_text"), False),
        places=_flag(data.get("places"), False),
        offered_only=_flag(data.get("offered_only"), False),
        anything_else=str(data.get("anything_else", "")),
        chat=frozenset(str(c) for c in data.get("chat") or ()),
        examples={_text(k): str(v) for k, v in (data.get("examples") or {}).items()},
        leads={str(o): _phrases(v, spellings) for o, v in (data.get("leads") or {}).items()},
        explained_by=_word_set(data.get("explained_by"), spellings),
        feelings=_word_set(data.get("feelings"), spellings),
        often=frozenset(_phrases(data.get("often") or (), spellings)),
        elsewhere=_phrases(data.get("elsewhere") or (), spellings),
        not_from_a_question=frozenset(str(o) for o in data.get("not_from_a_question") or ()),
        first_danger=_flag(data.get("first_danger"), True),
    )


@cache
def answers(folder: Path = ANSWERS) -> Answers:
    """Every question's answers, read once."""
    common = _read(folder / "_common.yaml")
    spellings = {_text(k): _text(v) for k, v in (common.get("spellings") or {}).items()}
    anywhere = _read(folder / "_anywhere.yaml")
    intents = {
        str(name): Intent(
            # Danger said first is also asked for anywhere: "i need someone now".
            _phrases([*(v.get("phrases") or ()), *(v.get("first") or ())], spellings),
            _flag(v.get("whole"), False),
            _phrases(v.get("alone", ()), spellings),
            _word_set((v.get("questions") or {}).get("words"), spellings),
            _word_set((v.get("questions") or {}).get("about"), spellings),
            _word_set((v.get("questions") or {}).get("starts"), spellings),
            together=tuple(
                frozenset(p)
                for p in _phrases((v.get("questions") or {}).get("together") or (), spellings)
            ),
            named_only=_flag(v.get("named_only"), False),
            first=_phrases(v.get("first") or (), spellings),
            first_ending=_phrases(v.get("first_ending") or (), spellings),
        )
        for name, v in (anywhere.get("intents") or {}).items()
    }
    questions = {
        path.stem: _question(path.stem, _read(path), spellings)
        for path in sorted(folder.glob("*.yaml"))
        if not path.stem.startswith("_")
    }
    labels = {
        path.stem: tuple(words(path.read_text(encoding="utf-8"), spellings))
        for path in sorted(OPTIONS.glob("*.j2"))
    }

    def forms(key: str) -> frozenset[tuple[str, ...]]:
        return frozenset(_phrases(common.get(key) or (), spellings))

    return Answers(
        questions=questions,
        intents=intents,
        labels=labels,
        yes=forms("yes"),
        no=forms("no"),
        not_sure=forms("not_sure"),
        hedges=forms("hedges"),
        negators=frozenset(w for p in forms("negators") for w in p),
        courtesies=forms("courtesies"),
        corrections=_phrases(common.get("corrections") or (), spellings),
        value_corrections=_phrases(
            [*(common.get("corrections") or ()), *(common.get("value_corrections") or ())],
            spellings,
        ),
        fillers=_word_set(common.get("fillers"), spellings),
        conclusions=_word_set(common.get("conclusions"), spellings),
        them=forms("them"),
        me=forms("me"),
        carer_speech=_phrases(common.get("carer_speech") or (), spellings),
        spellings=spellings,
        numbers={_text(k): int(v) for k, v in (common.get("numbers") or {}).items()},
        examples={_text(k): str(v) for k, v in (anywhere.get("examples") or {}).items()},
    )


@dataclass(frozen=True, slots=True)
class _Hit:
    meaning: str
    size: int  # words covered
    tier: int  # 3 the whole message, 2 a phrase in it, 1 a yes / no / not sure word
    negated: bool
    clause: int = 0
    phrase: tuple[str, ...] = ()


def _written(text: str) -> bool:
    """Whether the text holds a letter, digit or symbol of any script, not only punctuation."""
    return any(c.isalnum() or unicodedata.category(c).startswith("S") for c in text)


def _bare(said: list[str], courtesies: frozenset[tuple[str, ...]]) -> list[str]:
    """The message without courtesies at either end: "stop please" is "stop"."""
    changed = True
    while changed and said:
        changed = False
        for c in sorted(courtesies, key=len, reverse=True):
            n = len(c)
            if len(said) > n and tuple(said[:n]) == c:
                said, changed = said[n:], True
            elif len(said) > n and tuple(said[-n:]) == c:
                said, changed = said[:-n], True
    return said


def _covered(
    said: Sequence[str],
    phrases: Iterable[tuple[str, ...]],
    courtesies: Iterable[tuple[str, ...]],
) -> bool:
    """Whether the message is only these phrases, with courtesies between or around them,
    and at least one phrase: "nope, all good", "ok skip please", "actually i dont want to
    wait anymore, take me out". The whole message, so "I can't stop crying" is no "stop"."""
    count = len(said)
    if not count or count > COVER_MAX:
        return False
    wanted, polite = set(phrases), set(courtesies)
    longest = max((len(p) for p in wanted | polite), default=0)
    # reach[i]: -1 not reached, 0 reached by courtesies only, 1 reached with a phrase
    reach = [-1] * (count + 1)
    reach[0] = 0
    for start in range(count):
        if reach[start] < 0:
            continue
        for size in range(1, min(longest, count - start) + 1):
            piece = tuple(said[start : start + size])
            if piece in wanted:
                reach[start + size] = 1
            elif piece in polite:
                reach[start + size] = max(reach[start + size], reach[start])
    return reach[count] == 1


_CONCEDED = re.compile(r"\b(?:tho|though)\W*$")


def _not_conceded(text: str) -> str:
    """The words left when the conceded part goes: what follows the last "but", or the
    clauses not ending "tho" / "though". Empty when nothing is conceded."""
    lowered = text.lower()
    if re.search(r"\bbut\b", lowered):
        return re.split(r"\bbut\b", lowered)[-1].strip(" ,.!")
    pieces = [p.strip() for p in re.split(r"[.,!?;:\n]+", lowered) if p.strip()]
    kept = [p for p in pieces if not _CONCEDED.search(p)]
    return ", ".join(kept) if kept and len(kept) < len(pieces) else ""


def _correction(
    said: list[str], corrections: Sequence[tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """The words before the last "wait no", "i mean" or "actually no", and what follows it:
    the answer they settled on ("a call back... wait no, my assessment"). Both empty when
    there is no correction."""
    for start in range(len(said) - 2, -1, -1):
        for marker in corrections:
            end = start + len(marker)
            if end < len(said) and tuple(said[start:end]) == marker:
                return said[:start], said[end:]
    return [], []


def _bare_answer(said: list[str], data: Answers) -> bool:
    """Nothing, or only a yes, no or not sure (with courtesies): "yes" in "yes, no wait"."""
    forms = data.yes | data.no | data.not_sure
    return not said or _covered(said, forms, data.courtesies)


# How an answer to the question itself was read (not a request made anywhere).
_ANSWERED = frozenset({"whole", "phrase", "yes_no", "number"})
# A pause before an afterthought: "ok i guess... not really".
_PAUSE = re.compile(r"\.{2,}|\u2026")


@cache
def _courtesy_words() -> frozenset[str]:
    """Single-word courtesies ("please", "so", "actually"): said around a question."""
    return frozenset(c[0] for c in answers().courtesies if len(c) == 1)


def _hedged(parts: list[list[str]], question: Question, data: Answers) -> bool:
    """At a safety question, a clause whose answer is hedged: the safe answer with a hedge
    ("safe-ish", "physically yes", "for now i guess"), or a hedge alone ("kind of, hes
    calmer than earlier", "no... not today anyway"), with no plain safe answer after it
    ("physically yes, mentally not great but im safe" is safe)."""
    safe = question.no if question.yes == question.unsafe else question.yes
    forms = data.no if safe == question.no else data.yes
    plain = {*(forms - data.hedges), *question.options.get(safe, ())}
    if safe in data.labels:
        plain.add(data.labels[safe])
    polite = data.courtesies - data.hedges
    hedged = -1
    firm = -1
    for number, clause in enumerate(parts):
        if not _covered(clause, plain | data.hedges, polite):
            continue  # more than an answer: "im ok physically just low" says how
        spans = (
            tuple(clause[i : i + n])
            for n in range(1, len(clause) + 1)
            for i in range(len(clause) - n + 1)
        )
        if any(span in data.hedges for span in spans):
            hedged = number
        else:
            firm = number
    return hedged >= 0 and firm < hedged


def _hits(
    parts: list[list[str]],
    candidates: Mapping[str, Sequence[tuple[str, ...]]],
    forms: Mapping[str, Sequence[tuple[str, ...]]],
    negators: frozenset[str],
    conclusions: frozenset[str] = frozenset(),
) -> list[_Hit]:
    """Non-overlapping phrase matches, longest first, with whether a negator reaches them."""
    by_first: dict[str, list[tuple[int, int, int, str, tuple[str, ...]]]] = {}
    order = 0
    for tier, group in ((2, candidates), (1, forms)):
        for meaning, phrases in group.items():
            for phrase in phrases:
                by_first.setdefault(phrase[0], []).append(
                    (len(phrase), tier, order, meaning, phrase)
                )
                order += 1
    hits: list[_Hit] = []
    for number, clause in enumerate(parts):
        near = [_near(word) for word in clause]
        found = []
        for start, firsts in enumerate(near):
            for first in firsts:
                for size, tier, rank, meaning, phrase in by_first.get(first, ()):
                    # A yes or no word answers only at the start of a clause: "there's
                    # no point" is not a "no"; or as its conclusion: "..., so yes".
                    ends = start + size == len(clause)
                    concluded = start > 0 and ends and clause[start - 1] in conclusions
                    if tier == 1 and start > 0 and len(clause) > SHORT and not concluded:
                        continue
                    if start + size <= len(clause) and all(
                        phrase[k] in near[start + k] for k in range(1, size)
                    ):
                        found.append((-tier, -size, rank, start, meaning, phrase))
        found.sort()
        used = [False] * len(clause)
        # The question's own phrases claim their words before yes / no words do, then
        # the longest phrase first: "i am not alone" is "not alone", not "i am not".
        for minus_tier, minus_size, _, start, meaning, phrase in found:
            size = -minus_size
            if any(used[start : start + size]):
                continue
            used[start : start + size] = [True] * size
            low = max(0, start - NEGATION_REACH)
            # A leading "no" is the answer ("no, I'm scared"), not a negation of it.
            # "Can't stop crying" is crying all the more: a negated "stop" turns nothing.
            negated = phrase[0] not in negators and any(
                (clause[i] in negators and clause[i + 1] not in _UNSTOPPED)
                or (clause[i] == "no" and i > 0)
                for i in range(low, start)
            )
            hits.append(_Hit(meaning, size, -minus_tier, negated, number, phrase))
    return hits


def _explained(hits: list[_Hit], parts: list[list[str]], question: Question) -> list[_Hit]:
    """After a no, how often in a clause that says it is only a feeling is about that
    feeling: "No. I just feel flat all the time" is a no. Everything else still counts."""
    if not question.often:
        return hits
    noes = [h.clause for h in hits if h.meaning == question.no and not h.negated]
    if not noes:
        return hits

    def explains(clause: list[str]) -> bool:
        said = set(clause)
        return bool(said & question.explained_by) and bool(said & question.feelings)

    return [
        h
        for h in hits
        if not (h.clause >= min(noes) and h.phrase in question.often and explains(parts[h.clause]))
    ]


@lru_cache(maxsize=1 << 14)
def _near(word: str) -> frozenset[str]:
    """The words of any phrase that ``word`` stands for: itself, its plural or singular,
    and near spellings of five letters or more (rapidfuzz)."""
    vocabulary = _vocabulary()
    found = {word} & vocabulary.words
    if len(word) >= 4:
        found |= vocabulary.stems.get(word.rstrip("s"), frozenset())
    if word in vocabulary.words:
        return frozenset(found)  # a word we know is that word: "havent" is not "haven"
    if len(word) == 4:
        # Two letters swapped ("tlak"), the commonest slip on a phone keyboard.
        for other in vocabulary.anagrams.get("".join(sorted(word)), frozenset()):
            if other[0] == word[0] and Levenshtein.distance(word, other) == 2:
                found.add(other)
    if len(word) >= FUZZY_FROM:
        for other, _, _ in process.extract(
            word, vocabulary.long, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE, limit=None
        ):
            if other[0] == word[0] and abs(len(other) - len(word)) <= 2:
                found.add(other)
    return frozenset(found) or frozenset({word})


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    words: frozenset[str]  # every word of every phrase, and the negators
    anagrams: dict[str, frozenset[str]]  # four-letter words by their letters
    stems: dict[str, frozenset[str]]
    long: tuple[str, ...]


@cache
def _vocabulary() -> _Vocabulary:
    data = answers()
    every: set[str] = set()
    for question in data.questions.values():
        for phrases in (*question.options.values(), *question.alone.values()):
            every.update(w for p in phrases for w in p)
    for intent in data.intents.values():
        every.update(w for p in intent.every for w in p)
    for label in data.labels.values():
        every.update(label)
    for forms in (data.yes, data.no, data.not_sure, data.courtesies):
        every.update(w for p in forms for w in p)
    plain = frozenset(every | data.negators)
    stems: dict[str, set[str]] = {}
    for word in every:
        if len(word) >= 4:
            stems.setdefault(word.rstrip("s"), set()).add(word)
    anagrams: dict[str, set[str]] = {}
    for word in every:
        if len(word) == 4:
            anagrams.setdefault("".join(sorted(word)), set()).add(word)
    return _Vocabulary(
        words=plain,
        anagrams={k: frozenset(v) for k, v in anagrams.items()},
        stems={k: frozenset(v) for k, v in stems.items()},
        long=tuple(sorted(w for w in every if len(w) >= FUZZY_FROM)),
    )


def _first_words(parts: list[list[str]]) -> list[list[str]]:
    """The clauses within the first MAX_WORDS words: a request comes early, and reading a
    whole essay word by word against every phrase would hold up everyone else."""
    kept: list[list[str]] = []
    left = MAX_WORDS
    for clause in parts:
        if left <= 0:
            break
        kept.append(clause[:left])
        left -= len(clause)
    return kept


_NUMBER_BEFORE = frozenset({"option", "reply", "number", "the", "press", "choose", "pick"})
_NUMBER_AFTER = frozenset({"one", "option", "please", "pls", "plz", "thanks", "ta", "x"})


def number(text: str, numbers: Mapping[str, int], ordinals: bool = True) -> int | None:
    """A reply like "1", "2.", "two", "option 3 please" or "the second one": the number,
    1-based. ``ordinals``: whether "2nd" is a number here (not where a date is asked)."""
    said = words(text)
    while len(said) > 1 and said[0] in _NUMBER_BEFORE:
        said = said[1:]
    while len(said) > 1 and said[-1] in _NUMBER_AFTER:
        said = said[:-1]
    if len(said) != 1:
        return None
    if said[0].isdigit() and len(said[0]) <= 2:
        return int(said[0])
    if not ordinals and not said[0].isalpha():
        return None  # "2nd" is a date where a date is asked
    return numbers.get(said[0])


@dataclass(frozen=True, slots=True)
class Reading:
    """What an answer means: an option id, an intent, or nothing understood."""

    meaning: str | None
    how: str  # "number", "whole", "phrase", "yes_no", "anywhere", "out_of_range", "none"
    long: bool = False  # more words than the phrase: worth keeping as a topic


def _decide(hits: list[_Hit], question: Question | None) -> str | None:
    scores: dict[str, tuple[int, int]] = {}
    for hit in hits:
        meaning = hit.meaning
        if hit.negated:
            flipped = question.negated.get(meaning) if question else None
            if flipped is None:
                continue
            meaning = flipped
        tier, size = scores.get(meaning, (0, 0))
        scores[meaning] = (max(tier, hit.tier), size + hit.size)
    if not scores:
        return None
    best_tier = max(t for t, _ in scores.values())
    top = {m: s for m, (t, s) in scores.items() if t == best_tier}
    if question is not None and question.unsafe in top and len(top) > 1:
        return question.unsafe  # at a safety question, a mixed answer is not safe
    most = max(top.values())
    winners = [m for m, s in top.items() if s == most]
    return winners[0] if len(winners) == 1 else None


def read(question: str, text: str, offered: Sequence[str] = ()) -> Reading:
    """What ``text`` means as an answer to ``question`` (a reply key such as
    "are_you_safe"), with ``offered`` the option ids on its buttons."""
    reading = _reading(question, text, offered)
    asked = answers().questions.get(question)
    if (
        asked is not None
        and reading.meaning in asked.not_from_a_question
        and _a_question(text, reading.how == "whole")
    ):
        # "Does this delete it from the nhs too", "will it remove my plan?": a question
        # about what the answer does never does it. What the service is, if it asks
        # that; else the question again.
        return _asked_about(text)
    return reading


@cache
def _question_starts() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """The words that open a question, and the words after which one may open."""
    data = answers()
    common = _read(ANSWERS / "_common.yaml")
    starts = frozenset(_phrases(common.get("question_starts") or (), data.spellings))
    return starts, _word_set(common.get("question_lead_ins"), data.spellings)


def _a_question(text: str, whole: bool) -> bool:
    """Whether a message asks something: a "?" anywhere, or a clause opening with a
    question's words ("hang on, will it...", "if i do this can i undo it"). A whole
    answer ("do it") is a question only with its "?"."""
    if "?" in text:
        return True
    if whole:
        return False
    data = answers()
    starts, lead_ins = _question_starts()
    for clause in clauses(text, data.spellings):
        kept = [w for w in clause if w not in data.fillers]
        for at in range(len(kept)):
            # At the start, or after "ok", "so", "but"...: "ok so does that mean...".
            if at and kept[at - 1] not in lead_ins:
                continue
            if any(tuple(kept[at : at + len(s)]) == s for s in starts):
                return True
    return False


def _asked_about(text: str) -> Reading:
    """A question at a question that acts: what the service is, when it asks that
    ("does this delete it from the nhs too"), else the question asked again."""
    data = answers()
    about = data.intents.get(HELP)
    said = words(text, data.spellings)
    ignored = data.fillers | _courtesy_words()
    # Known to be a question already ("would this get rid of my nhs notes" has no "?").
    if about is not None and (
        _covered(said, about.every, data.courtesies) or about.asked(said, f"{text}?", ignored)
    ):
        return Reading(HELP, "whole")
    return Reading(AGAIN, "question")


def _first_danger(parts: list[list[str]], data: Answers) -> bool:
    """Danger said in words that come before the question's own answers (``first`` and
    ``first_ending`` under urgent in _anywhere.yaml), not negated."""
    urgent = data.intents.get("urgent")
    if urgent is None or not (urgent.first or urgent.first_ending):
        return False
    found = _hits(parts, {"first": urgent.first, "ending": urgent.first_ending}, {}, data.negators)
    for hit in found:
        if hit.negated:
            continue
        if hit.meaning == "first":
            return True
        clause = parts[hit.clause]
        size = len(hit.phrase)
        ends = any(
            tuple(clause[i : i + size]) == hit.phrase and i + size == len(clause)
            for i in range(len(clause) - size + 1)
        )
        if ends:
            return True
    return False


def _reading(question: str, text: str, offered: Sequence[str] = ()) -> Reading:
    data = answers()
    asked = data.questions.get(question)
    said = words(text, data.spellings)
    if not said:
        # Only punctuation: "?" asks what the question meant; emoji we do not read, nothing.
        chat = asked.chat if asked is not None else frozenset()
        if "?" in text and AGAIN not in chat:
            return Reading(AGAIN, "whole")
        if asked is not None and asked.anything_else and _written(text):
            # Words in a script we do not read, or emoji ("🪟📱☕", "মোমবাতি, বই"), where
            # any words will do (the grounding's next step).
            return Reading(asked.anything_else, "anything_else")
        return Reading(None, "none")
    bare = _bare(said, data.courtesies) or said
    opened = False
    count = number(text, data.numbers, ordinals=asked is None or not asked.free_text)
    if count is not None and 1 <= count <= len(offered):
        return Reading(str(offered[count - 1]), "number")
    if asked is not None:
        # "A call back... wait no, my assessment": the answer they settled on. At a safety
        # question, where an answer that reads both ways is taken as not safe, only a bare
        # first answer is corrected ("no wait, hes ok now, hes come back in").
        first, later = _correction(said, data.corrections)
        if later and (not asked.safety or _bare_answer(first, data)):
            settled = read(question, " ".join(later), offered)
            if settled.meaning is not None and (not asked.safety or settled.how in _ANSWERED):
                return settled
            # "Wait no, im at my mums in thornton": the correction opens the message and
            # takes back nothing typed, so its words ask for nothing elsewhere ("wait" is
            # no waiting list); the question's own answers still count ("no wait, keep it").
            opened = not first and not asked.safety
        if not asked.safety:
            # "ok i guess... not really": a bare yes or no after the last pause takes the
            # answer back ("a bit better... still waiting" only says more).
            after = _PAUSE.split(text)
            last = words(after[-1], data.spellings)
            if len(after) > 1 and last and _bare_answer(last, data):
                settled = read(question, after[-1], offered)
                if settled.meaning not in (None, AGAIN):
                    return settled
    parts = _first_words(clauses(text[: MAX_WORDS * 20], data.spellings))
    if asked is not None and asked.safety and _hedged(parts, asked, data):
        # "safe-ish", "physically yes", "for now i guess", "no... not today anyway".
        return Reading(asked.unsafe, "yes_no")

    own: dict[str, list[tuple[str, ...]]] = {}
    if asked is not None:
        names = [o for o in asked.options if not asked.offered_only or o in offered]
        names += [str(o) for o in offered if str(o) not in names]
        for name in names:
            phrases = list(asked.options.get(name, ()))
            # Where anything typed is their own words, an option claims only its own
            # phrases: "talk to someone" is a plan answer, "can i talk to someone" a request.
            intent = None if asked.free_text else data.intents.get(name)
            if intent is not None and not intent.whole:
                phrases += intent.phrases
            elif intent is not None:  # destructive: only long phrases inside a message
                phrases += [p for p in intent.phrases if len(p) >= LONG_PHRASE]
            if name in data.labels and (not asked.free_text or name in offered):
                phrases.append(data.labels[name])  # a button label, where it is a button
            own[name] = phrases
        if asked.offered_only:
            # An option not on the buttons now still claims its own words ("the morning of
            # my appointment" is not "the morning"), and is answered like its old button.
            shared = {p for phrases in own.values() for p in phrases}
            for name in asked.options:
                if name not in own:
                    label = [data.labels[name]] if name in data.labels else []
                    own[name] = [p for p in (*asked.options[name], *label) if p not in shared]
        # The whole message as a phrase or label: the clearest answer of all.
        for name, phrases in own.items():
            if _covered(said, [*phrases, *asked.alone.get(name, ())], data.courtesies):
                return Reading(name, "whole")
        if (
            asked.first_danger
            and not asked.safety
            and "urgent" not in asked.chat
            and _first_danger(parts, data)
        ):
            # "15 mins is too long i need someone now", "im not ok actually, i need help":
            # urgent help, before the question's own answers and inside their own words.
            return Reading("urgent", "phrase", long=len(said) > 3)
        forms: dict[str, list[tuple[str, ...]]] = {}
        for key, meaning in (("yes", asked.yes), ("no", asked.no), ("not_sure", asked.not_sure)):
            if meaning and (not asked.offered_only or meaning in offered or meaning == "menu"):
                found = getattr(data, key)
                if asked.safety and key == "yes":
                    found = found - data.hedges  # "kinda safe" is not safe enough
                elif asked.safety and key == "not_sure":
                    found = found | data.hedges
                forms.setdefault(meaning, []).extend(found)
        if not asked.not_sure:
            # Not mapped here, "not sure" is still read as such (so "sure" is not a yes).
            forms[UNSURE] = list(data.not_sure)
        if (
            asked.safety
            and text.strip().endswith("?")
            and _covered(said, data.yes, data.courtesies)
        ):
            # "I think so?": a yes asked back is not sure, so not safe.
            return Reading(asked.unsafe, "yes_no")
        # "I honestly cant tell", "i just dont know": a yes, no or not sure with a word in it.
        plain = [w for w in said if w not in data.fillers] or said
        for meaning, phrases in forms.items():
            if tuple(bare) in phrases or _covered(said, phrases, data.courtesies):
                return Reading(None if meaning == UNSURE else meaning, "yes_no")
            if plain != said and _covered(plain, phrases, data.courtesies):
                return Reading(None if meaning == UNSURE else meaning, "yes_no")
        if asked.free_text:
            # Their own words, unless the whole message is a control above or one of these.
            for name in FREE_TEXT_INTENTS:
                intent = data.intents.get(name)
                if intent is not None and _covered(said, intent.every, data.courtesies):
                    return Reading(name, "whole")
            about = data.intents.get(HELP)
            ignored = data.fillers | _courtesy_words()
            question_words = [w for w in said if w not in ignored]
            if (
                about is not None
                and HELP not in asked.chat
                and (
                    len(question_words) >= FREE_TEXT_QUESTION
                    # "how long now?": fewer words, where two together ask it.
                    or any(pair <= set(question_words) for pair in about.together)
                )
                and question_words[0] in about.starts
                and about.asked(said, text, ignored)
            ):
                # "Who can see my plan?", "will they actually read this?": a question, in
                # only the words of questions about the service, is not their own words
                # (a question form, so "my doctor?" or "people?" is still a plan answer).
                return Reading(HELP, "whole")
            return Reading(None, "none")
        about = data.intents.get(HELP)
        # "Whats a peer supporter", as the whole message, asks what the service is, before
        # any word in it is read as a request.
        if (
            about is not None
            and HELP not in asked.chat
            and HELP not in own
            and (
                _covered(said, about.every, data.courtesies)
                or about.asked(said, text, data.fillers | _courtesy_words())
            )
        ):
            return Reading(HELP, "whole")
        again = data.intents.get(AGAIN)
        if again is not None and AGAIN not in asked.chat and AGAIN not in own:
            # "Not sure what you mean" asks again: its longer phrase beats "not sure".
            own[AGAIN] = list(again.phrases)
        hits = _hits(parts, own, forms, data.negators, data.conclusions)
        found = _decide(_explained(hits, parts, asked), asked)
        if found is None and not asked.safety:
            # Two answers at once, one of them conceded ("still waiting but im ok", "a bit
            # better, still waiting tho"): the one not conceded. Never at a safety question,
            # where an answer that reads both ways is not safe.
            kept = _not_conceded(text)
            if kept and kept != text:
                settled = read(question, kept, offered)
                if settled.meaning is not None:
                    return settled
        if found == UNSURE:
            return Reading(None, "unsure")
        if found is not None:
            return Reading(found, "phrase", long=len(said) > 3)
        for name, leads in asked.leads.items():
            if any(tuple(said[: len(lead)]) == lead for lead in leads):
                return Reading(name, "lead", long=len(said) > 3)
        # "Where can she actually go though": the answer with its fillers left out.
        unfilled = [w for w in said if w not in data.fillers]
        if unfilled and unfilled != said:
            settled = read(question, " ".join(unfilled), offered)
            if settled.meaning is not None:
                return settled
        if opened:
            return Reading(None, "none")
    whole = _anywhere(data, said, parts, asked.chat if asked is not None else frozenset())
    if whole is not None:
        return whole
    if asked is not None and asked.anything_else:
        return Reading(asked.anything_else, "anything_else")
    if count is not None:
        return Reading(None, "out_of_range")
    return Reading(None, "none")


def _anywhere(
    data: Answers,
    said: list[str],
    parts: list[list[str]],
    chat: frozenset[str] = frozenset(),
) -> Reading | None:
    """What people ask for at any question: whole messages first, then phrases."""
    intents = {n: i for n, i in data.intents.items() if n not in chat and not i.named_only}
    for name, intent in intents.items():
        if _covered(said, intent.every, data.courtesies):
            return Reading(name, "whole")
    loose = {n: i.phrases for n, i in intents.items() if not i.whole}
    found = _decide(_hits(parts, loose, {}, data.negators), None)
    if found is not None:
        return Reading(found, "anywhere", long=len(said) > 3)
    return None


@cache
def _value_markers() -> re.Pattern[str]:
    """The corrections as a pattern over typed text, so what follows keeps its own form."""
    forms = sorted(answers().value_corrections, key=len, reverse=True)
    pieces = (r"\W+".join(re.escape(w) for w in form) for form in forms)
    return re.compile(r"\b(?:" + "|".join(pieces) + r")\b", re.IGNORECASE)


def corrected(text: str, reads: Callable[[str], bool]) -> str:
    """A typed value after its correction ("friday, no thursday", "BD7 no sorry BD9"):
    the latest part after a correction that ``reads`` as a value, else the whole text."""
    for found in reversed(list(_value_markers().finditer(text))):
        after = text[found.end() :]
        if after.strip(" ,.!?") and reads(after):
            return after
    return text


_RAW_CLAUSE = re.compile(r"[.,;!?\n]+|\bbut\b", re.IGNORECASE)


def where_now(question: str, text: str, reads: Callable[[str], bool]) -> str:
    """The place they are now: clauses saying where they usually are ("but i normally live
    in bd4", the question's ``elsewhere`` words) left out when another clause names one."""
    data = answers()
    asked = data.questions.get(question)
    if asked is None or not asked.elsewhere:
        return text
    kept, dropped = [], False
    for clause in _RAW_CLAUSE.split(text):
        said = words(clause, data.spellings)
        if any(_without(said, phrase) != said for phrase in asked.elsewhere):
            dropped = True
        else:
            kept.append(clause)
    now = ", ".join(c.strip() for c in kept if c.strip())
    return now if dropped and now and reads(now) else text


def about_someone_else(text: str) -> bool:
    """Whether worrying words are about someone else, not the writer: "shes talking about
    ending it", "my son says he wants to die and i dont know what to do". Any word of the
    writer's own ("i want to end it, she doesnt get it") keeps it theirs, apart from a
    carer's framing ("im worried", "i dont know what to do")."""
    data = answers()
    said = words(text, data.spellings)
    for framing in data.carer_speech:  # longest first
        said = _without(said, framing)

    def names(forms: frozenset[tuple[str, ...]], words: list[str]) -> bool:
        return any(tuple(words[i : i + len(f)]) == f for f in forms for i in range(len(words)))

    # "me dad", "me mam": the person named is theirs, not the writer's own "me".
    own = said
    for kin in sorted((f for f in data.them if len(f) > 1), key=len, reverse=True):
        own = _without(own, kin)
    return names(data.them, said) and not names(data.me, own)


def _without(said: list[str], phrase: tuple[str, ...]) -> list[str]:
    """The words with every occurrence of ``phrase`` taken out."""
    size = len(phrase)
    keep = [True] * len(said)
    for start in range(len(said) - size + 1):
        if tuple(said[start : start + size]) == phrase:
            keep[start : start + size] = [False] * size
    return [word for word, kept in zip(said, keep, strict=True) if kept]


def whole_intent(text: str) -> str | None:
    """The intent of a message that is only that intent ("end chat", "stop please")."""
    data = answers()
    said = words(text, data.spellings)
    for name, intent in data.intents.items():
        if not intent.named_only and _covered(said, intent.every, data.courtesies):
            return name
    return None


# The question each step of the engine waits at, named by the reply key that asked it.
STEP_QUESTIONS = {
    "menu": "menu",
    "urgent": "are_you_safe",
    "concern": "concern",
    "carer_safe": "carer_start",
    "carer_menu": "carer_menu",
    "carer_help": "carer_help",
    "where": "where_ask",
    "places": "places",
    "talk": "talk_intro",
    "topic": "topic_ask",
    "message": "message_ask",  # the message for the next shift, when nobody is on
    "queue": "queue_waiting",
    "wait_ask": "wait_ask",
    "wait_menu": "wait_menu",
    "wait_date": "wait_date_ask",
    "checkin": "checkin_offer",
    "checkin_sent": "checkin_message",
    "checkin_answer": "checkin_message",
    "plan": "plan_ask",
    "plan_show": "plan_show",
    "plan_edit": "plan_edit_which",
    "plan_delete": "plan_delete_ask",
    "forget": "forget_ask",
    "feedback": "feedback_ask",
    "feedback_note": "feedback_note",
    "safe_no": "safe_no",  # after "not safe": the numbers, a supporter, the menu
}
SAFETY_QUESTIONS = frozenset({"are_you_safe", "concern", "carer_start", "safe_no"})


@cache
def _asking() -> frozenset[tuple[str, ...]]:
    data = answers()
    common = _read(ANSWERS / "_common.yaml")
    return frozenset(_phrases(common.get("asking") or (), data.spellings))


def only_asks(text: str, intent: str) -> bool:
    """Whether a message only asks for ``intent`` ("can i talk to someone please"), with
    nothing about what for: such words are no topic to show a supporter."""
    data = answers()
    found = data.intents.get(intent)
    said = words(text, data.spellings)
    return found is not None and _covered(said, found.every, data.courtesies | _asking())


def question_at(step: str, offered: Sequence[str] = ()) -> str:
    """The question a step waits at ("" for none)."""
    if step.startswith("grounding:"):
        return "grounding"
    if step == "talk" and "leave_message" in offered:
        return "talk_nobody"
    return STEP_QUESTIONS.get(step, "")
