"""Concepts heard in Bradford's other languages compose like English ones (hazard log H20).

The language files give phrases for the concept layer's own concepts (means, possession,
time, place, jump, finality, acts done...); the concept layer combines them with each
other and with English ones, so a sentence no expression holds is still heard.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.risk._languages as languages
from bot.risk import LayerError, Level, assess, load_detector


@pytest.mark.parametrize(
    "text",
    [
        "mere paas rassi hai aur aaj raat yeh kar lunga",  # ur: rope + tonight + I'll do it
        "میرے پاس رسی ہے اور آج رات میں یہ کر لوں گا",  # ur, Arabic script
        "mam w plecaku wszystkie tabletki mamy",  # pl: in the backpack + all + tablets
        "wzielam wszystkie tabletki, kreci mi sie w glowie",  # pl without diacritics
        "stojim na moste a skocim",  # sk: on the bridge + I'll jump
        "am inghitit toate pastilele si ma simt ametit",  # ro: swallowed + pills + dizzy
        "أخوي بلع حبوب أمي وصار نعسان",  # ar: swallowed + pills + sleepy
        "dwi wedi llyncu'r tabledi i gyd",  # cy: swallowed + tablets
        "ami sob ghumer oshudh kheye felechi",  # bn: swallowed + sleeping pills
        "ਮੈਂ ਸਾਰੀਆਂ ਦਵਾਈਆਂ ਖਾ ਲਈਆਂ",  # pa: swallowed + medicines
    ],
)
def test_concepts_in_other_languages_compose_into_urgent(text: str) -> None:
    assert assess([text]).level is Level.URGENT, text


def test_a_concept_in_another_language_composes_with_an_english_one() -> None:
    # "got the blade ready" (English) + "aaj raat kar dungi" (Roman Urdu: tonight I'll do it)
    assert assess(["yaar got the blade ready, aaj raat kar dungi"]).level is Level.URGENT
    # and over two messages of a window
    assert assess(["got the rope", "aaj raat"]).level is Level.URGENT


@pytest.mark.parametrize(
    "text",
    [
        "nie chcę się zabić, po prostu jest mi smutno",  # pl: I don't want to kill myself
        "nu vreau sa mor, vreau doar sa vorbesc cu cineva",  # ro: I don't want to die
        "dwi ddim isio marw, jest yn drist",  # cy: I don't want to die
    ],
)
def test_a_negated_expression_in_another_language_is_not_urgent(text: str) -> None:
    assert assess([text]).level is not Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "aaj raat ammi ke ghar ja rahi hoon",
        "pul ke paas bus stop kahan hai",
        "dziś wieczorem idę do pracy",
        "jestem na peronie, pociąg się spóźnia",
        "wszystkie tabletki mam w torebce, zawsze je noszę",
        "in seara asta merg la film cu copiii",
        "dnes večer idem vlakom do Leedsu",
        "أخذت الدواء من الصيدلية اليوم",
        "هل الجسر قريب من المحطة",
        "dwi'n mynd am dro i'r afon heno gyda'r plant",
        "aaj rate amar ma er oshudh kinte hobe",
        "ਅੱਜ ਰਾਤ ਮੈਂ ਗੁਰਦੁਆਰੇ ਜਾਵਾਂਗਾ",
        "is the waiting room near the bridge street bus stop",
        "nie wiem, most people say the safe haven is good",
    ],
)
def test_everyday_words_in_other_languages_are_not_urgent(text: str) -> None:
    assert assess([text]).level is not Level.URGENT, text


def test_a_routine_frame_lowers_an_expression_to_concern_never_to_none() -> None:
    # "I took my morning tablets, like every day": an expression, in a routine frame
    assessment = assess(["maine subah ki goliyan kha li hain, roz ki tarah"])
    assert assessment.level is Level.CONCERN
    assert "lang:routine-frame" in assessment.rules


def test_arabic_and_joined_to_a_word_is_read() -> None:
    # "وسأنهي" = "and I will end": the joined "and" does not hide the word.
    assert assess(["لدي حبل في غرفتي وسأنهي حياتي الليلة"]).level is Level.URGENT


def test_a_language_file_naming_an_unknown_concept_stops_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "languages"
    shutil.copytree(languages.DEFAULT_LANGUAGES, folder)
    path = folder / "cy.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  no_such_concept:\n    - heno\n", encoding="utf-8"
    )
    monkeypatch.setattr(languages, "DEFAULT_LANGUAGES", folder)
    with pytest.raises(LayerError, match="unknown concepts"):
        load_detector()
