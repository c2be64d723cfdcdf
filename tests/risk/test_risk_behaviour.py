"""What the risk check must handle, one table per trap: each row is a message and a level.

The golden set measures; these tables pin the behaviours named in issue 5, so a rule
change that breaks one says which.
"""

from __future__ import annotations

import pytest

from bot.risk import Level, assess

URGENT, CONCERN, NONE = Level.URGENT, Level.CONCERN, Level.NONE


def level_of(*messages: str) -> Level:
    return assess(list(messages)).level


def categories_of(*messages: str) -> tuple[str, ...]:
    return assess(list(messages)).categories


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kms", URGENT),
        ("kms tonite", URGENT),
        ("ima kys", URGENT),
        ("gonna kys rn", URGENT),
        ("kys", CONCERN),  # at someone else, or said to the writer: ask
        ("you should kys", CONCERN),
        ("he told me to kys", CONCERN),
        ("I want to unalive myself", URGENT),
        ("thinking about unaliving", URGENT),
        ("sewerslide", CONCERN),
        ("I want to commit sewerslide", URGENT),
        ("i'm going to od", URGENT),
        ("I OD'd", URGENT),
        ("i oded last nite", URGENT),
        ("I've overdosed", URGENT),
        ("wanna die", URGENT),
        ("gonna end it tonite", URGENT),
        ("i wanna die rn", URGENT),
        ("im gonna kill myself", URGENT),
        ("i'm gonna kill myself", URGENT),
        ("ive taken all my tablets", URGENT),
        ("i\u2019ve taken all my tablets", URGENT),  # a curly apostrophe
    ],
)
def test_uk_and_text_speak(text: str, expected: Level) -> None:
    assert level_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I want to commit suicde",
        "thinking about sucide",
        "suiside is all I think about",
        "I've been suicidle for weeks",
        "I took an overdoze",
        "I have taken 30 paracetemol",
        "took 30 paracetomol",
        "swallowed 20 parcetamol",
        "how many paracitamol would it take",
        "taken 40 ibuprofin",
        "im gonna kill myslef",
    ],
)
def test_misspellings_of_longer_words(text: str) -> None:
    assert level_of(text) is URGENT


@pytest.mark.parametrize(
    "text",
    [
        "k.i.l.l myself",
        "k-i-l-l myself",
        "k i l l myself",
        "k1ll myself",
        "k!ll mys3lf",
        "I'm su1c1dal",
        "I want to commit s-u-i-c-i-d-e",
        "I want to commit $uicide",
        "i want to d.i.e",
        "".join(chr(0x1D41A + ord(c) - ord("a")) if c.isalpha() else c
                for c in "kill myself"),  # a "fancy font": mathematical bold
        "".join(chr(0xFF41 + ord(c) - ord("a")) if c.isalpha() else c
                for c in "kill myself"),  # full-width letters
        "kil\u200bl myself",  # a zero-width space inside the word
        "I w a n t to die",
    ],
)
def test_separators_leetspeak_and_fonts(text: str) -> None:
    assert level_of(text) is URGENT


@pytest.mark.parametrize("text", ["i want to diiiie", "killlll myselfff", "I WANNNA DIEEEE",
                                  "kmssss", "im suiciiiidal"])
def test_repeated_letters(text: str) -> None:
    assert level_of(text) is URGENT


@pytest.mark.parametrize("text", ["😭💀 i want to die 💀😭", "i want to die😭", "💀💀kms💀💀",
                                  "i 😭 want 😭 to 😭 die", "ive taken all my 💊"])
def test_emoji_around_words_do_not_break_matching(text: str) -> None:
    assert level_of(text) is URGENT


@pytest.mark.parametrize("text", ["💀", "💀💀💀", "😭💀", "🔪", "💊", "☠️", "⚰️"])
def test_emoji_alone_are_not_urgent(text: str) -> None:
    assert level_of(text) is NONE


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to kill myself",
        "I would never kill myself",
        "i'm not suicidal",
        "I don't want to die",
        "I'm not going to end my life",
        "I have never tried to kill myself",
        "I won't take an overdose",
    ],
)
def test_negation_lowers_to_concern_but_never_erases(text: str) -> None:
    assert level_of(text) is CONCERN


@pytest.mark.parametrize(
    "text",
    [
        "I'm not ok, I want to die",
        "not okay i want to die",
        "no, I want to kill myself",
        "not gonna lie I want to kill myself",
        "I'm not joking I will kill myself",
        "I'm not going to the cafe, I'm going to kill myself",
    ],
)
def test_negation_is_scoped_to_its_clause(text: str) -> None:
    assert level_of(text) is URGENT


@pytest.mark.parametrize(
    "text",
    [
        "don't want to live anymore",
        "I don't want to be here anymore",
        "can't promise I won't",
        "I can't promise I won't do it",
        "I don't want to be here anymore",
        "no reason to live",
        "can't go on",
        "I can not go on",
        "i dont wanna be alive",
        "I'm trying not to kill myself",
        "not sure I can keep myself safe tonight",
    ],
)
def test_false_negations_stay_urgent(text: str) -> None:
    assert level_of(text) is URGENT


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I could murder a curry",
        "dying to see it",
        "I'm dead 😂 that's hilarious",
        "killed it at work",
        "my phone is dying",
        "kill time",
        "I was killing myself laughing",
        "I'd rather die than sing karaoke",
        "I'm going to end it with him",
        "can't go on holiday this year",
        "my mum is going to kill me, I'm late",
    ],
)
def test_idioms_are_not_urgent(text: str) -> None:
    assert level_of(text) is not URGENT


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I could murder a curry",
        "dying to see it",
        "I'm dead 😂 that's hilarious",
        "killed it at work",
        "my phone is dying",
        "kill time",
    ],
)
def test_the_named_idioms_are_not_risk_at_all(text: str) -> None:
    assert level_of(text) is NONE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I tried to kill myself years ago", CONCERN),
        ("when I was 15 I took an overdose", CONCERN),
        ("I used to want to die", CONCERN),
        ("back when I was at uni I slit my wrists", CONCERN),
        ("I attempted suicide in 2015", CONCERN),
        ("I tried to kill myself", URGENT),  # unclear timing counts as now
        ("I tried to kill myself last night", URGENT),
        ("I tried to kill myself years ago and I want to again", URGENT),
        ("I took an overdose years ago and again tonight", URGENT),
    ],
)
def test_past_versus_present(text: str, expected: Level) -> None:
    assert level_of(text) == expected


def test_past_timing_is_read_per_message() -> None:
    # "years ago" in one message does not make a later message past.
    assert level_of("I tried to kill myself years ago", "I want to kill myself") is URGENT


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("I'm 14 and I cut myself", {"self_harm", "minor"}),
        ("im 15 and i feel hopeless", {"suicidal_intent", "minor"}),
        ("I'm in year 9 and I self harm", {"self_harm", "minor"}),
        ("14f, been cutting again", {"self_harm", "minor"}),
        ("I'm 12 and my stepdad hits me", {"abuse", "minor", "child_at_risk"}),
        ("I'm 13 and I'm not going to kill myself", {"suicidal_intent", "minor"}),
    ],
)
def test_a_minors_age_raises_the_level(text: str, categories: set[str]) -> None:
    assessment = assess([text])
    assert assessment.level is URGENT
    assert categories <= set(assessment.categories)


@pytest.mark.parametrize("text", ["I'm 14", "I'm 25 and I cut myself",
                                  "I'm 16 weeks pregnant and I self harm", "I'm 15 and bored"])
def test_an_adult_or_no_risk_is_not_raised(text: str) -> None:
    assert level_of(text) is not URGENT
    assert "minor" not in categories_of(text)


@pytest.mark.parametrize("retraction", ["lol jk", "jk", "just kidding", "I'm fine", "haha",
                                        "lol", "ignore me", "I'm ok now", "not really lol"])
@pytest.mark.parametrize("urgent", ["I want to die", "kms", "I've taken all my pills",
                                    "this is my last message"])
def test_jokes_and_retractions_never_lower_the_window(urgent: str, retraction: str) -> None:
    assert level_of(urgent, retraction) is URGENT
    assert level_of(f"{urgent} {retraction}") is URGENT
    assert level_of(f"{retraction} {urgent}") is URGENT


@pytest.mark.parametrize(
    ("messages", "expected", "categories"),
    [
        (["my son says he wants to die"], URGENT, {"suicidal_intent", "third_party"}),
        (["my daughter has taken an overdose"], URGENT, {"act_in_progress", "third_party"}),
        (["I'm worried my dad might hurt himself"], CONCERN, {"self_harm", "third_party"}),
        (["my wife said she'd kill herself"], URGENT, {"suicidal_intent", "third_party"}),
        (["my friend's husband beats her"], CONCERN, {"abuse", "third_party"}),
        (["my son", "has taken an overdose"], URGENT, {"act_in_progress", "third_party"}),
    ],
)
def test_third_parties(messages: list[str], expected: Level, categories: set[str]) -> None:
    assessment = assess(messages)
    assert assessment.level is expected
    assert categories <= set(assessment.categories)


@pytest.mark.parametrize("text", ["I want to die", "I've taken an overdose", "my partner hits me",
                                  "I cut myself"])
def test_first_person_is_not_third_party(text: str) -> None:
    assert "third_party" not in categories_of(text)


@pytest.mark.parametrize(
    "messages",
    [
        ["I want to kill", "myself tonight"],
        ["I have taken", "all my pills"],
        ["how many paracetamol", "would it take"],
        ["I can't promise", "I won't"],
        ["this is my last", "message"],
        ["I want to die.", "lol"],
    ],
)
def test_patterns_read_across_message_boundaries(messages: list[str]) -> None:
    assert level_of(*messages) is URGENT
    assert all(level_of(m) is not URGENT for m in messages[:-1]) or len(messages) == 2


def test_negation_does_not_reach_into_the_next_message() -> None:
    assert level_of("I'm not", "going to kill myself") is URGENT
    assert level_of("I'm not going to kill myself") is CONCERN


def test_an_urgent_message_anywhere_in_the_window_keeps_it_urgent() -> None:
    for window in (["I want to die", "hi", "what's open"], ["hi", "what's open", "kms"]):
        assert level_of(*window) is URGENT


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("how many paracetamol would it take", "method"),
        ("I've taken 30 paracetamol", "act_in_progress"),
        ("this is my last message", "goodbye"),
        ("I self harm", "self_harm"),
        ("I'm going to stab him", "harm_to_others"),
        ("my partner hits me", "abuse"),
        ("my stepdad touches my little sister", "child_at_risk"),
        ("I want to kill myself", "suicidal_intent"),
    ],
)
def test_categories(text: str, category: str) -> None:
    assert category in categories_of(text)


def test_an_assessment_names_rules_and_categories_sorted_and_unique() -> None:
    assessment = assess(["my son says he wants to die and he has taken 40 paracetamol",
                         "he says he wants to die"])
    assert assessment.level is URGENT
    assert list(assessment.categories) == sorted(set(assessment.categories))
    assert list(assessment.rules) == sorted(set(assessment.rules))
    assert assessment.ruleset_version
    assert {"act_in_progress", "suicidal_intent", "third_party"} <= set(assessment.categories)


@pytest.mark.parametrize("text", ["hi", "what's open near BD18", "I'm supporting my mum",
                                  "", "   ", "\n\n", "1", "menu", "BD18 3LA"])
def test_ordinary_messages_are_none(text: str) -> None:
    assessment = assess([text])
    assert assessment == assess([text])  # deterministic
    assert (assessment.level, assessment.categories, assessment.rules) == (NONE, (), ())
