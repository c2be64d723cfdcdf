"""Controls added by riskguard5 (hazard log H20), each tested by kind, not by sentence.

1. A language's own words are not read as English text-speak: "od" is "from" in Polish
   and Slovak and "odd" in Welsh, not an overdose; English and code-switched text-speak
   keep every reading.
2. Arabic proclitics (و ف ب ل ك) and the article ال are stripped in code, so a joined
   word finds its stem without a data workaround.
3. Everyday objects (a battery, a charger cable, a belt, a scarf, bleach) are means only in
   a frame of harm.
4. "Won't wake up" in an everyday frame (school, work, a lie-in) is a morning, unless
   tablets, empty boxes or blood are about.
5. Kinds folded from bench/risk-selfcheck-riskguard5.jsonl: abuse said with "now" in every
   language, a bridge over a road whatever the road is called, wanting to disappear, one
   tablet as an everyday dose.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.risk import Level, assess, default_detector
from bot.risk._languages import stems, words

ROOT = Path(__file__).resolve().parents[2]


def level(*messages: str) -> Level:
    return assess(list(messages)).level


# ---------------------------------------------------------------- 1. own words, not text-speak


@pytest.mark.parametrize(
    "text",
    [
        "dostałam paczkę od siostry, wszystko dobrze",  # pl: a parcel from my sister
        "od poniedziałku jestem na urlopie",  # pl: from Monday I'm on leave
        "mam list od babci, bardzo się cieszę",  # pl: a letter from grandma
        "od rána som v práci, je to v pohode",  # sk: since the morning I'm at work
        "mám darček od mamy, som rada",  # sk: a present from mum
        "mae o'n od iawn, dw i'n chwerthin",  # cy: it's very odd, I'm laughing
    ],
)
def test_a_short_english_abbreviation_in_another_language_is_that_languages_word(
    text: str,
) -> None:
    assert level(text) is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        "im going to od tonight",  # English text-speak still reads
        "gonna od on my meds",
        "main aaj raat kms kar lunga",  # code-switched Roman Urdu keeps English text-speak
        "chcę przedawkować dziś w nocy wszystkie tabletki",  # pl: overdose in Polish words
    ],
)
def test_text_speak_still_reads_in_english_and_code_switching(text: str) -> None:
    assert level(text) is Level.URGENT, text


def test_the_normaliser_marks_a_languages_own_word_inert() -> None:
    detector = default_detector()
    own = detector.own_words(["dostałem wiadomość od mamy, wszystko w porządku"])
    assert "od" in own[0]
    window = detector.window_text(["dostałem wiadomość od mamy, wszystko w porządku"])
    assert " od~ " in window and "overdose" not in window
    assert detector.own_words(["i want to od"]) == [frozenset()]  # English: nothing kept


# ---------------------------------------------------------------- 2. Arabic proclitics


def test_stems_strip_one_proclitic_and_the_article() -> None:
    clitics = tuple(words("و ف ب ل ك"))
    assert words("الجسر")[0] in stems(words("والجسر")[0], clitics)  # and the bridge
    assert words("جسر")[0] in stems(words("بالجسر")[0], clitics)  # with/at the bridge
    assert words("جسر")[0] in stems(words("للجسر")[0], clitics)  # to the bridge
    assert words("حبوب")[0] in stems(words("فالحبوب")[0], clitics)  # so the pills
    assert stems(words("جسر")[0], ()) == (words("جسر")[0],)  # no clitics: the word only


@pytest.mark.parametrize(
    "text",
    [
        "فسأقفز من الجسر الليلة",  # so I will jump from the bridge tonight (ف)
        "وسأنتحر الليلة",  # and I will kill myself tonight (و, once a data workaround)
        "وبلعت كل الحبوب",  # and I swallowed all the pills
        "انا واقف فوق الجسر وراح اقفز",  # joined و inside the sentence
    ],
)
def test_a_joined_arabic_word_finds_its_stem(text: str) -> None:
    assert level(text) is Level.URGENT, text


def test_the_arabic_file_keeps_no_joined_waw_copy_of_a_phrase_it_already_has() -> None:
    layer = default_detector().languages
    assert layer is not None
    arabic = next(language for language in layer.languages if language.code == "ar")
    phrases = {e for e, _ in arabic.expressions} | {p for p, _ in arabic.concepts}
    waw = words("و")[0]
    copies = [
        p
        for p in phrases
        if p[0].startswith(waw) and len(p[0]) > 3 and ((p[0][1:], *p[1:]) in phrases)
    ]
    assert len(copies) <= 5, copies  # the stripping does this in code now


# ---------------------------------------------------------------- 3. everyday objects


@pytest.mark.parametrize(
    "text",
    [
        "bought a new belt and a scarf today",
        "my phone battery's dead and i lost my charger cable tonight",
        "need to get bleach for the bathroom tonight",
        "phone ki battery khatam ho gayi, aaj raat charge karna hai",  # ur-Latn
        "bateria mi się rozładowała, zapomniałem ładowarki",  # pl: battery dead, no charger
        "mi s-a descărcat bateria, unde e încărcătorul",  # ro
        "بطارية جوالي خلصت والشاحن خربان",  # ar: my phone's battery's done, charger broken
        "swallowed my pride tonight and bought a new phone battery",
    ],
)
def test_an_everyday_object_alone_is_not_a_means(text: str) -> None:
    assert level(text) is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        "got the charger cable round my neck",
        "im going to swallow the batteries tonight",
        "how much bleach would it take",
        "tied the belt to the banister",
        "the scarf is round my neck and tied to the door",
        "hes gone out with the dogs lead and no dog, its been 3 hours",
    ],
)
def test_an_everyday_object_in_a_frame_of_harm_is_a_means(text: str) -> None:
    assert level(text) is Level.URGENT, text


# ---------------------------------------------------------------- 4. not waking


@pytest.mark.parametrize(
    "text",
    [
        "my son won't wake up for school",
        "my daughter wont wake up for college, every single morning",
        "teenager won't wake up, having a lie in till midday",
        "he won't wake up for work, his alarm's been going for ages",
        "i can't wake him for school, heavy sleeper",
    ],
)
def test_not_waking_in_an_everyday_frame_is_a_morning(text: str) -> None:
    assert level(text) is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        "my son won't wake up after taking his tablets",
        "my son won't wake up for school and there are empty blister packs in his room",
        "i can't wake him, there are empty packets of pills",
        "mum won't wake up, she took all her pills",
        "i can't wake her and theres blood everywhere",
    ],
)
def test_not_waking_with_something_pressing_stays_urgent(text: str) -> None:
    assert level(text) is Level.URGENT, text


# ---------------------------------------------------------------- 5. kinds from the self-check


@pytest.mark.parametrize(
    "text",
    [
        "my boyfriend is hitting me now",
        "shes hurting me right now",
        "mera shohar abhi mujhe maar raha hai",  # ur-Latn
        "mój mąż teraz mnie bije",  # pl
        "soțul meu mă bate acum",  # ro
        "زوجي يضربني هلق",  # ar, Levantine "now"
    ],
)
def test_abuse_said_with_now_is_urgent(text: str) -> None:
    assert level(text) is Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    ["he hit me last year but im safe now", "he hit me, hes gone now, im at my mums now"],
)
def test_abuse_with_safe_now_is_not_urgent(text: str) -> None:
    assert level(text) is Level.CONCERN, text


def test_a_bridge_over_a_named_road_is_a_height() -> None:
    assert level("on the bridge over station road, its a long way down") is Level.URGENT
    assert level("walked over the bridge over the canal to get to work") is Level.NONE


def test_text_speak_for_message() -> None:
    assert level("this is my last msg, bye") is Level.URGENT
    assert level("sent u a msg about my appointment") is Level.NONE


@pytest.mark.parametrize(
    "text",
    [
        "czasem chcę po prostu zniknąć",  # pl
        "uneori vreau să dispar",  # ro
        "niekedy chcem zmiznúť",  # sk
        "dw i isio diflannu",  # cy
        "dil karta hai gayab ho jaun",  # ur-Latn
        "بدي اختفي",  # ar
    ],
)
def test_wanting_to_disappear_is_concern_in_every_language(text: str) -> None:
    assert level(text) >= Level.CONCERN, text


@pytest.mark.parametrize(
    "text",
    [
        "am luat un paracetamol pentru durere",  # ro: one paracetamol
        "wziąłem jedną tabletkę na noc",  # pl: one tablet
        "maine ek goli li thi",  # ur-Latn: I took one pill
    ],
)
def test_one_tablet_is_an_everyday_dose(text: str) -> None:
    assert level(text) is Level.NONE, text


@pytest.mark.parametrize(
    "text",
    [
        "am luat 30 de pastile, mă doare capul",  # ro: a headache after 30 pills
        "am luat toate pastilele, mă doare capul",
        "wziąłem 20 tabletek, boli mnie głowa",  # pl
    ],
)
def test_a_headache_after_many_tablets_is_not_routine(text: str) -> None:
    assert level(text) is Level.URGENT, text


# ---------------------------------------------------------------- the self-check set itself


def test_the_riskguard5_self_check_holds() -> None:
    """Not blind (bench/README.md): first score 0.902 / 0.942 / 0.789 before the fold."""
    path = ROOT / "bench" / "risk-selfcheck-riskguard5.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 60
    missed = []
    for row in rows:
        got = assess(row["messages"]).level
        urgent_missed = row["label"] == "urgent" and got is not Level.URGENT
        if urgent_missed or (row["label"] != "none") != (got is not Level.NONE):
            missed.append(row["id"])
    assert missed == []


# ---------------------------------------------------------------- kinds from riskguard5b


@pytest.mark.parametrize(
    "text",
    [
        "got a blade in my gym bag, thinking about using it later tonight",  # any bag of mine
        "at the station, waiting for the next fast train through",  # the train through
        "on the roof of the flats. not coming down",  # not coming down
        "wrote you all a letter, its on the table. sorry",  # letters for everyone
        "tell my mum i love her. cant do this anymore",  # love passed on
        "sab ko allah hafiz, main aur nahi reh sakti",  # ur-Latn: goodbye + can't go on
        "main railway te khada haan, gaddi aundi pai",  # pa-Latn: the train is coming
        "meri beti ne kamra band kar liya hai aur uske paas blade hai",  # ur-Latn barricade
        "am scris o scrisoare de adio",  # ro: a farewell letter
    ],
)
def test_self_check_b_kinds_are_urgent(text: str) -> None:
    assert level(text) is Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "dont care if i die tbh",
        "honestly wouldnt mind if i died",
    ],
)
def test_not_caring_whether_one_dies_is_at_least_concern(text: str) -> None:
    assert level(text) >= Level.CONCERN, text


@pytest.mark.parametrize(
    "text",
    [
        "2 years since my overdose and doing really well, thanks for everything",
        "my son won't wake up for his exams, he was revising until 2",
        "sab ko khuda hafiz, eid mubarak",
    ],
)
def test_self_check_b_look_alikes_stay_quiet(text: str) -> None:
    assert level(text) is Level.NONE, text


def test_a_trivial_annoyance_as_the_trigger_of_a_jump_is_not_urgent() -> None:
    """An idiom to the rules and concepts; the learned layer may still ask (concern)."""
    text = "if i have to listen to him moan once more i'll jump off a bridge haha"
    assert level(text) < Level.URGENT
    assert level("if i have to go back to that house i'll kill myself") is Level.URGENT


def test_the_riskguard5b_self_check_holds() -> None:
    """Not blind: first score 0.679 / 0.848 / 0.643; one benign miss left (h031, a tired
    "thak gaya hoon" after a wedding read as concern by the Urdu expression)."""
    path = ROOT / "bench" / "risk-selfcheck-riskguard5b.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    missed = []
    for row in rows:
        got = assess(row["messages"]).level
        urgent_missed = row["label"] == "urgent" and got is not Level.URGENT
        if urgent_missed or (row["label"] != "none") != (got is not Level.NONE):
            missed.append(row["id"])
    assert set(missed) <= {"h031"}, missed


# ---------------------------------------------------------------- kinds from riskguard5c


@pytest.mark.parametrize(
    "text",
    [
        "given all my games to my brother, wont need them",  # arrangements in secret
        "the whispers tell me i should stop my heart",  # voices, any verb
        "my dad sent me a photo of a rope and hasnt replied",  # a photo of the means
        "كتبت رسالة لاختي ورايح عالجسر",  # ar: a letter, then the bridge (colloquial)
    ],
)
def test_self_check_c_kinds_are_urgent(text: str) -> None:
    assert level(text) is Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "kaash main paida hi na hoti",  # ur-Latn
        "wolałabym się nie urodzić",  # pl
        "radšej by som sa nenarodila",  # sk
        "ليتني لم اولد",  # ar
    ],
)
def test_wishing_never_to_have_been_born_is_concern_in_every_language(text: str) -> None:
    assert level(text) >= Level.CONCERN, text


@pytest.mark.parametrize(
    "text",
    [
        "mae gen i gyllell a fforc",  # cy: a knife and fork (knife alone was urgent)
        "mae'r arholiad yn fy lladd i",  # cy: the exam is killing me
        "gave away my old clothes to the charity shop, finally decluttered",
        "i need to buy batteries tonight",
        "i should stop breathing so loud when i sleep lol",
    ],
)
def test_self_check_c_look_alikes_stay_quiet(text: str) -> None:
    assert level(text) is Level.NONE, text


def test_a_leap_in_urdu_is_a_jump_only_with_a_place() -> None:
    assert level("usne lambi chhalang mein gold jeeta") is Level.NONE  # the long jump
    assert level("main pul se chhalang laga dunga") is Level.URGENT  # from the bridge
    assert level("میں پل سے چھلانگ لگا دوں گا") is Level.URGENT


def test_welsh_means_and_threats_still_compose() -> None:
    assert level("mae gen i raff yn fy mag, dw i am ei wneud heno") is Level.URGENT
    assert level("mae fy ngŵr yn mynd i fy lladd i") is Level.URGENT


def test_the_riskguard5c_self_check_holds() -> None:
    """Not blind: first score 0.800 / 0.875 / 0.909."""
    path = ROOT / "bench" / "risk-selfcheck-riskguard5c.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    missed = []
    for row in rows:
        got = assess(row["messages"]).level
        urgent_missed = row["label"] == "urgent" and got is not Level.URGENT
        if urgent_missed or (row["label"] != "none") != (got is not Level.NONE):
            missed.append(row["id"])
    assert missed == []


# ---------------------------------------------------------------- kinds from riskguard5d


@pytest.mark.parametrize(
    "text",
    [
        "on the railway line by the tunnel, no train yet",  # on the line, not yet come
        "by the time someone reads this i wont be here",  # read after
        "thank you for everything, take care of my little sister for me",  # entrusted
        "housemate in the bath with the door locked and theres blood in the bath",
        "im 10 and my stepdad came into my room again",  # a child's abuser in the room
    ],
)
def test_self_check_d_kinds_are_urgent(text: str) -> None:
    assert level(text) is Level.URGENT, text


def test_not_making_it_to_a_date_is_at_least_concern() -> None:
    assert level("honestly wouldnt be the worst thing if i didnt make it") >= Level.CONCERN
    assert level("dont think ill make it to my birthday tbh, not be here for christmas") >= (
        Level.CONCERN
    )


@pytest.mark.parametrize(
    "text",
    [
        "thanks for everything, can you look after my plants for me while im away",
        "i overdosed when i was 15, now i work in mental health and love it",
        "walking along the canal with the dog, lovely evening",
    ],
)
def test_self_check_d_look_alikes_stay_quiet(text: str) -> None:
    assert level(text) is Level.NONE, text


def test_the_riskguard5d_self_check_holds() -> None:
    """Not blind: first score 0.722 / 0.773 / 0.909 (English text-speak only)."""
    path = ROOT / "bench" / "risk-selfcheck-riskguard5d.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    missed = []
    for row in rows:
        got = assess(row["messages"]).level
        urgent_missed = row["label"] == "urgent" and got is not Level.URGENT
        if urgent_missed or (row["label"] != "none") != (got is not Level.NONE):
            missed.append(row["id"])
    assert missed == []
