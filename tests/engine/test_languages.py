"""Answers in the languages the service serves (messages/en-GB/answers/languages): every
file reviewed and safe to read in every message, each answer read as its English, and the
interpreters line still sent with a short answer the risk layer cannot place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import Inbound, Kind, State, handle
from bot.engine.meaning import (
    LANGUAGES,
    _plain_words,
    _read,
    _vocabulary,
    glossary,
    in_english,
    language_of,
    read,
)
from bot.engine.waiting import parse_day

from .test_answers import BENCH

# The readings the English answers understand (languages/README.md).
READINGS = frozenset(
    {
        # answers set 7
        "not great",
        "waiting for an assessment",
        "an assessment",
        "leave it",
        "it helped a lot",
        "help for me",
        "yes",
        "no",
        "not",
        "not sure",
        "please",
        "thank you",
        "ok",
        "im ok",
        "not ok",
        "im safe",
        "im not safe",
        "nothing like that",
        "talk to someone",
        "i need help now",
        "in the morning",
        "this evening",
        "delete everything",
        "it was a big help",
        "dont worry",
        "delete",
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        # added after answers blind set 5: the kinds of answer missed, in every language
        "better",
        "worse",
        "more",
        "leave a message",
        "done",
        "a bit",
        "somewhere to go",
        "how do i help them",
        "i need help too",
        "i care for",
        "waiting for a call back",
        # answers set 9: how often (the direct question), and "next" before a weekday
        "sometimes",
        "next",
        "not answering",
        # answers set 10: help asked for someone else ("pomocy dla mojej córki")
        "help for someone else",
        "join the queue",
        "leave the queue",
        "message me later",
        "a hospital bed",
        "in an hour",
        "rather not say",
        "what helps",
        "change it",
        # answers set 11: a place to go now, support for oneself, things (that help), the
        # months of a date, needing to talk, waiting on, leaving the queue, an appointment
        # awaited, a psychiatrist, feeling very bad, changing a part of the plan
        "looking for somewhere to go",
        "support for me",
        "things",
        *[
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        "i need to talk to someone",
        "ill wait",
        "take me out of the queue",
        "waiting for an appointment",
        "a psychiatrist",
        "i feel very bad",
        "change a part",
        # answers set 12: the plan's people, worry for someone (a carer)
        "people",
        "worried about someone",
        # a question's opening (Welsh "ydy hyn..."), so a question never deletes
        "is it",
    }
)
# The languages of bot/risk/languages/: the people the service serves.
SERVED = {"ar", "bn", "cy", "pa", "pl", "ro", "sk", "ur"}


def test_every_served_language_has_answer_words_awaiting_native_review() -> None:
    known = glossary()
    assert set(known.names) == SERVED
    for code, review in known.reviews.items():
        assert "native" in review and "review" in review, code


def test_every_reading_is_an_english_answer() -> None:
    for path in sorted(LANGUAGES.glob("*.yaml")):
        data = _read(path)
        assert set(data["words"]) <= READINGS, (path.name, set(data["words"]) - READINGS)


def test_no_word_is_also_english_or_means_two_things() -> None:
    # Every word is read in every message: an English word listed here would turn English
    # answers into something else.
    english = _vocabulary().words
    known = glossary()
    single = [k[0] for k in known.phrases if len(k) == 1]
    assert not [w for w in single if w in english]
    assert not {"main", "peer", "bore", "do", "dim", "ha", "na", "ie", "sham"} & set(single)
    seen: dict[tuple[str, ...], str] = {}
    for path in sorted(LANGUAGES.glob("*.yaml")):
        data = _read(path)
        for reading, phrases in data["words"].items():
            if reading in ("no", "not"):
                continue  # "nie" is both, by design: no alone, not before words
            for phrase in phrases:
                said = _plain_words(str(phrase))
                assert seen.setdefault(said, reading) == reading, (path.name, phrase)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("tak", "yes"),
        ("Nie wiem", "not sure"),
        ("nie, nie jestem bezpieczny", "no , im not safe"),  # a phrase stays in its clause
        ("nie chcę z kimś porozmawiać", "not talk to someone"),  # "nie" before words is not
        ("ji nahi", "no"),
        ("mujhe pata nahi", "not sure"),
        ("ہاں جی", "yes"),
        ("نہیں", "no"),
        ("ਹਾਂ ਜੀ", "yes"),
        ("জানি না", "not sure"),
        ("لا أعرف", "not sure"),
        ("sunt bine", "im ok"),
        ("dwi ddim yn gwybod", "not sure"),
        ("dydd Gwener", "friday"),
        ("hes fine, thanks", "hes fine, thanks"),  # English is left as it was
    ],
)
def test_answer_words_read_as_english(text: str, english: str) -> None:
    assert " ".join(in_english(text).split()) == english


@pytest.mark.parametrize(
    ("question", "text", "means"),
    [
        ("are_you_safe", "da, sunt bine", "safe_yes"),
        ("are_you_safe", "nu", "safe_no"),
        ("are_you_safe", "میں محفوظ نہیں ہوں", "safe_no"),
        ("are_you_safe", "ami bhalo achi", "safe_yes"),
        ("concern", "ji haan", "thoughts_yes"),
        ("concern", "nu știu", "thoughts_yes"),  # not sure is not safe
        ("concern", "nahi ji, kuch nahi", "thoughts_no"),
        ("carer_start", "neviem", "they_not_safe"),
        ("carer_start", "nie wiem", "they_not_safe"),
        ("menu", "kisi se baat karna chahti hoon", "talk"),
        ("menu", "vreau să vorbesc cu cineva", "talk"),
        ("checkin_offer", "shaam ko", "checkin_evening"),
        ("checkin_offer", "yn y bore", "checkin_morning"),
        ("forget_ask", "sab kuch mita do", "forget_yes"),
        ("forget_ask", "șterge tot", "forget_yes"),
        ("talk_intro", "áno prosím", "join"),
        # The kinds of answer set 5 missed, written anew in other languages.
        ("checkin_message", "je mi lepšie, ďakujem", "checkin_ok"),
        ("checkin_message", "mai bine azi", "checkin_ok"),
        ("checkin_message", "gorzej", "checkin_not_ok"),
        ("checkin_message", "thora behtar hai shukriya", "checkin_ok"),
        ("places", "mai multe", "more"),
        ("places", "المزيد", "more"),
        ("talk_nobody", "nechám správu", "leave_message"),
        ("talk_nobody", "gadael neges", "leave_message"),
        ("grounding", "hotovo", "grounding_done"),
        ("grounding", "skończyłam, dzięki", "grounding_done"),
        ("feedback_ask", "trochu", "fb_partly"),
        ("feedback_ask", "nu prea, puțin", "fb_partly"),
        ("menu", "unde pot să merg acum", "somewhere"),
        ("carer_menu", "jak jej pomóc", "carer_help"),
        ("carer_help", "aj ja potrebujem pomoc", "carer_support"),
        ("greeting", "opiekuję się mamą", "carer"),
        ("wait_ask", "aștept un telefon", "wait_callback"),
        ("are_you_safe", "dwi'n saff", "safe_yes"),
        ("are_you_safe", "trochę", "safe_no"),  # a bit safe is a hedge: not safe
    ],
)
def test_answers_in_other_languages(question: str, text: str, means: str) -> None:
    assert BENCH.judge(question, text, means)[0], (question, text)


@pytest.mark.parametrize(
    ("text", "day"),
    [("w piątek", 4), ("vineri", 4), ("jumma ko", 4), ("jutro", 2), ("dydd Llun", 7)],
)
def test_an_appointment_day_in_another_language(text: str, day: int) -> None:
    today = datetime(2026, 12, 1, tzinfo=UTC).date()  # a Tuesday
    found = parse_day(in_english(text), today)
    assert found is not None and found.day == day, (text, found)


@pytest.mark.parametrize("text", ["tak", "nie wiem", "haan ji", "nu", "rano prosím"])
def test_a_short_answer_in_another_language_gets_the_interpreters_line(text: str) -> None:
    assert language_of(text)
    for question in ("concern", "are_you_safe", "checkin_offer"):
        outcome = BENCH.send(question, Inbound(Kind.TEXT, BENCH.NOW, text=text))
        assert "other_languages" in [r.key for r in outcome.replies], (question, text)


def test_english_names_no_language() -> None:
    for text in ("yes", "no", "not sure", "hes fine", "friday", "ok thanks", "main menu"):
        assert language_of(text) == "", text
    context = BENCH.context("concern", BENCH.NOW)
    outcome = handle(State(step="concern"), Inbound(Kind.TEXT, BENCH.NOW, text="no"), context)
    assert "other_languages" not in [r.key for r in outcome.replies]


def test_reading_is_unchanged_for_english() -> None:
    assert read("are_you_safe", "yes").meaning == "safe_yes"
