"""The layers of the risk check: each one counts, each is rebuilt and checked, none can be
left out quietly. Hazard log H20."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
import yaml

import bot.risk as risk
from bot import cli as bot_cli
from bot.risk import (
    LAYERS,
    Detector,
    LayerError,
    Level,
    _learned,
    _train,
    assess,
    default_detector,
    load_detector,
)
from bot.risk._languages import DEFAULT_LANGUAGES
from bot.risk._learned import LearnedReading

ROOT = Path(__file__).resolve().parents[2]

# For each layer, a message that only that layer lifts: remove the layer and it drops.
ONLY = {
    "rules": ("the noose is hanging from the loft hatch, ready", Level.URGENT),
    "concepts": ("sat up on the viaduct railings, waiting", Level.URGENT),
    "learned": ("everything feels heavy and grey and i dont see it getting better", Level.CONCERN),
    "languages": ("Chcę się zabić", Level.URGENT),
}


def test_the_service_uses_every_layer() -> None:
    detector = default_detector()
    assert detector.use_rules
    assert detector.concepts is not None
    assert detector.learned is not None
    assert detector.languages is not None


@pytest.mark.parametrize("layer", LAYERS)
def test_removing_any_layer_loses_what_only_it_hears(layer: str) -> None:
    text, level = ONLY[layer]
    assert assess([text]).level is level
    without = load_detector(layers=[other for other in LAYERS if other != layer])
    assert without.assess([text]).level < level


def test_unknown_layers_are_refused() -> None:
    with pytest.raises(LayerError, match="unknown risk layers"):
        load_detector(layers=["rules", "vibes"])


def test_the_committed_model_is_what_the_reviewed_data_gives() -> None:
    # One deterministic command (`waitingroom risk build`) rebuilds it byte for byte, on
    # whatever CPU (OpenBLAS is held to one kernel: bot/risk/_train.py).
    rebuilt = _train.built()
    assert rebuilt == _learned.DEFAULT_MODEL.read_text(encoding="utf-8"), (
        "bot/risk/data changed: run `waitingroom risk build` and commit model.json"
    )


def test_the_model_is_readable_json_with_its_provenance() -> None:
    data = json.loads(_learned.DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert data["format"] == _learned.FORMAT
    assert data["trained_on"]["messages"] >= 1000
    assert set(data["trained_on"]["by_level"]) == {"none", "concern", "urgent"}
    assert all(name[:2] in ("w:", "c:") for name in data["heads"]["risk"]["weights"])


def test_the_model_file_says_which_n_grams_it_reads() -> None:
    # Training and scoring read the same n-grams because the file names them
    # (bench/learned_features.py tries other sets); a file without the key is the default.
    data = json.loads(_learned.DEFAULT_MODEL.read_text(encoding="utf-8"))
    layer = _learned.LearnedLayer(data, "committed")
    assert layer.features == _learned.Features.from_json(data["features"])
    del data["features"]
    assert _learned.LearnedLayer(data, "older").features == _learned.DEFAULT_FEATURES
    text = " i took | all pills "
    inside = _learned.features(text, _learned.Features((1,), (4,), across=False))
    across = _learned.features(text, _learned.Features((1,), (4,), across=True))
    assert "c:pill" in inside and "c:ll p" not in inside
    assert "c:ll p" in across and "c:ok a" not in across, "never across a clause's end"
    assert not any(
        f.startswith("c:") for f in _learned.features(text, _learned.Features((1, 2), ()))
    )
    with pytest.raises(_learned.ModelError):
        _learned.LearnedLayer(
            {**data, "features": {"words": [], "chars": [], "across": False}}, "bad"
        )


def test_the_training_data_never_holds_a_hold_out_message() -> None:
    held = set()
    for name in ("holdout.yaml", "fresh.yaml"):
        data = yaml.safe_load((ROOT / "tests" / "risk" / name).read_text(encoding="utf-8"))
        for entries in data.values():
            for _, text, *_ in entries:
                held.add(" || ".join(text) if isinstance(text, list) else text)
    trained = {" || ".join(messages) for _, messages, _ in _train.training_cases()}
    assert not held & trained


@pytest.mark.parametrize(
    ("broken", "content"),
    [
        ("learned", "{not json"),
        ("learned", '{"format": "something else"}'),
        ("concepts", "concepts: {means: [rope]}\ncombinations: [{id: x, level: loud}]"),
    ],
)
def test_a_layer_that_cannot_load_stops_serve_with_exit_2(
    broken: str,
    content: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "broken"
    path.write_text(content, encoding="utf-8")
    if broken == "learned":
        monkeypatch.setattr(_learned, "DEFAULT_MODEL", path)
    else:
        monkeypatch.setattr("bot.risk._concepts.DEFAULT_CONCEPTS", path)
    monkeypatch.setattr(risk, "_detector", None)
    monkeypatch.setenv("WAITINGROOM_DB", str(tmp_path / "db.sqlite3"))
    with pytest.raises(SystemExit) as stopped:
        bot_cli.main(["serve", "--port", "0"])
    assert stopped.value.code == 2
    assert "risk layer could not be loaded" in capsys.readouterr().err
    # ... and a person is never answered "none" meanwhile: the check fails safe.
    assert assess(["hello"]).level is Level.CONCERN


def test_explain_shows_why_each_layer_decided() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.risk.cli", "--explain"],
        input="got the rope in my rucksack\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    line = json.loads(result.stdout)
    layers = line["layers"]
    assert {"rules", "concepts", "learned", "languages"} <= set(layers)
    assert {"means", "possession"} <= set(layers["concepts"]["concepts"])
    assert "means-in-hand" in layers["concepts"]["combinations"]
    assert layers["learned"]["words"]["risk"], "the words that weighed most"
    nearest = layers["learned"]["nearest_examples"]
    assert len(nearest) == 3
    assert all(label in ("none", "concern", "urgent") for _, label, _ in nearest)


def test_the_build_command_verifies_the_committed_model() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.risk.cli", "build", "--verify"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- concepts that compose


@pytest.mark.parametrize(
    "text",
    [
        "I've got a ligature in my rucksack",  # means + possession, no rule for it
        "the blade is in my jacket pocket",
        "how many of my tablets would it take",  # a lethality question
        "on the wrong side of the railings on the bridge",  # place + brink
        "the voices keep telling me to jump",  # voices commanding
        "took a whole packet and my heart is pounding",  # act done + effects
        "my daughter has locked herself in with a razor",  # someone else + barricade
    ],
)
def test_concepts_combine_into_urgent_without_a_rule_for_the_sentence(text: str) -> None:
    concepts = load_detector(layers=["concepts"])
    assert concepts.assess([text]).level is Level.URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "I've got my tablets in my bag, I always carry them",
        "how many ibuprofen can I take in a day safely",
        "crossing the bridge now, nearly at the cafe",
        "the news said someone jumped from a bridge",
        "I self harmed years ago but I've been clean for ages, I volunteer now",
        "shot myself in the foot there haha",
    ],
)
def test_neutral_trains_bridges_tablets_stories_and_pasts_are_not_risk(text: str) -> None:
    assert assess([text]).level is Level.NONE, assess([text]).rules


def test_a_negated_concept_does_not_count() -> None:
    concepts = load_detector(layers=["concepts"])
    assert concepts.assess(["I haven't got any pills in my bag tonight"]).level < Level.URGENT


# ---------------------------------------------------------------- windows


def test_a_disclosure_split_over_two_messages_is_heard_together() -> None:
    first, second = "I've got the rope", "it's in my bag now"
    assert assess([first]).level < Level.URGENT and assess([second]).level < Level.URGENT
    assert assess([first, second]).level is Level.URGENT


def test_a_story_in_one_message_cannot_hide_another_in_the_window() -> None:
    urgent = "got the rope in my rucksack"
    assert assess([urgent, "I saw it on the news"]).level is Level.URGENT
    assert assess(["I used to self harm years ago", urgent]).level is Level.URGENT


def test_a_window_told_as_a_story_is_framed_only_if_each_flagged_message_is() -> None:
    # The rules flag "jumps off the bridge"; its own message says it is telly.
    story = ["just watched the last episode", "the one where he jumps off the bridge, grim telly"]
    assert assess(story).level is Level.NONE
    # A story in one message does not frame a message the rules flag without one.
    assert assess(["watched a film about it last night", "going to jump off the bridge"]).level is (
        Level.URGENT
    )
    assert assess(["saw it on the telly", "jumping off the bridge"]).level is Level.URGENT


# ---------------------------------------------------------------- languages


def _languages() -> list[dict[str, object]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(DEFAULT_LANGUAGES.glob("*.yaml"))
    ]


def test_every_language_of_the_brief_has_reviewed_expressions() -> None:
    codes = {str(data["code"]) for data in _languages()}
    assert codes == {"ur", "pa", "bn", "pl", "ro", "sk", "ar", "cy"}
    for data in _languages():
        assert data["urgent"] and data["concern"] and data["markers"], data["code"]
        assert "review" in data, data["code"]


@pytest.mark.parametrize("data", _languages(), ids=lambda data: str(data["code"]))
def test_each_languages_expressions_are_heard_and_named(data: dict[str, object]) -> None:
    for expression in data["urgent"]:  # type: ignore[attr-defined]
        assert assess([expression]).level is Level.URGENT, expression
    for expression in data["concern"]:  # type: ignore[attr-defined]
        assert assess([expression]).level >= Level.CONCERN, expression


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Dzień dobry, czy mogę porozmawiać z kimś?", "pl"),
        ("Bună ziua, unde este cafeneaua?", "ro"),
        ("Dobrý deň, hovoríte po slovensky?", "sk"),
        ("Salam, kya koi urdu bolta hai?", "ur"),
        ("کیا کوئی اردو بولتا ہے؟", "ur"),
        ("ਕੀ ਕੋਈ ਪੰਜਾਬੀ ਬੋਲਦਾ ਹੈ?", "pa"),
        ("আপনি কি বাংলা বলেন?", "bn"),
        ("هل يوجد مترجم عربي؟", "ar"),
        ("Bore da, oes rhywun yn siarad Cymraeg?", "cy"),
        ("is the safe haven open tonight", "en"),
        ("ok", ""),
    ],
)
def test_the_language_is_named_and_greetings_are_not_risk(text: str, language: str) -> None:
    assessment = assess([text])
    assert assessment.language == language
    assert assessment.level is Level.NONE


# Kinds folded from blind set 5 (hazard log H21).


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        (["not suicidal, just angry at the council"], Level.NONE),
        (["i dont want to hurt myself, i just want someone to listen"], Level.NONE),
        (["i dont want to hurt myself, i just want to die"], Level.URGENT),
        (["not suicidal, just want it all to stop"], Level.CONCERN),
        (["feeling so down, but i wont do anything stupid"], Level.CONCERN),
    ],
)
def test_a_denial_frames_only_when_nothing_else_of_risk_is_said(
    messages: list[str], level: Level
) -> None:
    assert assess(messages).level is level, messages


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        (["took them"], Level.URGENT),
        (["ok", "did it"], Level.URGENT),
        (["took them to school"], Level.NONE),
        (["passed my driving test!! did it"], Level.NONE),
    ],
)
def test_an_act_in_two_words_is_urgent_only_as_a_clause_of_its_own(
    messages: list[str], level: Level
) -> None:
    assert assess(messages).level is level, messages


def test_risk_buried_in_a_long_message_is_heard_whatever_is_said_around_it() -> None:
    long = (
        "bus was late and the job centre rang and the boiler still isnt fixed and my sister "
        "came round for tea, honestly ive got the tablets ready for tonight so whatever, "
        "anyway the cat was sick on the carpet and we watched bake off"
    )
    assert assess([long]).level is Level.URGENT
    # a past said of the whole message still holds over its parts
    past = (
        "years ago when i was at uni and everything was falling apart i had the tablets "
        "ready for the night, anyway that was a long time ago and now i have a job and two "
        "kids and a dog and a garden i love"
    )
    assert assess([past]).level is not Level.URGENT


def test_the_learned_layer_is_urgent_only_where_nothing_lowers_or_frames() -> None:
    # negation, a fragment under eight words and an idiom split over two texts stay below
    assert assess(["I'm not going to kill myself"]).level is Level.CONCERN
    assert assess(["I've got the rope"]).level is not Level.URGENT
    assert assess(["I'm going to end", "it with my boyfriend"]).level is not Level.URGENT
    # someone said to be in hospital already or with a crisis team (hazard log H24): a carer's
    # answer, not an urgent one, whatever the learned layer's score; the rules still read it
    assert assess(["he's been admitted already, he is on the ward now"]).level is not Level.URGENT
    assert assess(["shes on the ward but says she has tablets hidden for tonight"]).level is (
        Level.URGENT
    )


class _Leaning:
    """A learned layer that always gives these scores (its heads' thresholds as packaged),
    so the gate is tested apart from whatever the committed model scores."""

    version = "leaning"

    def __init__(self, risk_score: float, urgent: float) -> None:
        self.risk, self.urgent = risk_score, urgent

    def read(self, text: str) -> LearnedReading:
        level = Level.NONE
        if self.risk >= _train.THRESHOLDS["risk"]:
            level = Level.CONCERN
        if self.urgent >= _train.THRESHOLDS["urgent"]:
            level = Level.URGENT
        return LearnedReading(level, self.risk, self.urgent)


def _leaning(risk_score: float, urgent: float) -> Detector:
    packaged = default_detector()
    learned = cast(_learned.LearnedLayer, _Leaning(risk_score, urgent))
    return Detector(packaged.rules, packaged.concepts, learned, packaged.languages)


# Read as concern by the other layers, with a negation word away from the risk ("cant
# sleep"): the learned layer alone may not raise it, agreement may (hazard log H32).
_AGREED = ["i cant sleep and i feel so hopeless, nothing helps anymore"]


def test_the_urgent_head_agreeing_with_a_concern_reading_is_urgent() -> None:
    others = load_detector(layers=["rules", "concepts", "languages"])
    assert others.assess(_AGREED).level is Level.CONCERN
    # the urgent head leaning urgent, its risk head under its threshold: urgent, and the
    # ids say it was agreement (the desk and the explanation name the path)
    read = _leaning(0.3, 0.6).assess(_AGREED)
    assert read.level is Level.URGENT
    assert {"learned", "learned:agrees"} <= set(read.rules)
    assert "learned:urgent" not in read.rules
    # below the agreement score, concern as the other layers read it
    assert _leaning(0.3, 0.45).assess(_AGREED).level is Level.CONCERN
    # the committed model, on a window of our own the other layers read as concern
    window = ["i feel so hopeless tonight, been looking up the train times and the footbridge"]
    assert others.assess(window).level is Level.CONCERN
    assert "learned:agrees" in assess(window).rules
    assert assess(window).level is Level.URGENT


@pytest.mark.parametrize(
    "messages",
    [
        # the rules lowered an urgent rule (negation, a past)
        ["im not going to kill myself, i just feel really low and alone tonight"],
        ["i took an overdose when i was at school, that was a long time ago now"],
        ["i tried to kill myself years ago, it was a really dark time back then"],
        # a risk concept read negated, just before its phrase
        ["i havent cut myself in months, i feel so hopeless and tired lately though"],
        ["i dont have any tablets at home, i feel hopeless and stuck all the time"],
        # said not to be acted on, safe now: the concepts read it
        ["i would never do anything but i feel so hopeless and nothing helps"],
        ["he hit me again last night but hes gone now and im at my sisters"],
        # another language: its own file reads it and sets its level
        ["sunt foarte obosita si nu mai vad niciun rost in nimic de luni de zile"],
        ["ammi bohat pareshan hain, kehti hain main sab par bojh hoon aur raat ko soti nahi"],
        # under eight words
        ["so hopeless, nothing helps"],
    ],
)
def test_agreement_keeps_its_guards(messages: list[str]) -> None:
    assert load_detector(layers=["rules", "concepts", "languages"]).assess(messages).level is (
        Level.CONCERN
    )
    assert _leaning(0.3, 0.7).assess(messages).level is Level.CONCERN, messages


def test_agreement_never_raises_from_none() -> None:
    benign = ["we took the kids to the beach and had chips, lovely day out"]
    assert _leaning(0.3, 0.7).assess(benign).level is Level.NONE


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        # an everyday use completed by a later text quiets the words it finishes
        (["im ending it", "with my boyfriend", "he lied again"], Level.NONE),
        (["im going to end it", "with my girlfriend"], Level.NONE),
        # ...but not an urgent run, unless the later text goes on with its sentence and the
        # whole sentence carries no risk (hazard log H31)
        (["im going to end it", "with everything", "got the pills, tonight"], Level.URGENT),
        (["on the roof", "of the shed"], Level.NONE),
        (["on the roof", "of the car park"], Level.URGENT),
        (
            ["going to end it with my boyfriend", "then me, got the tablets ready for tonight"],
            Level.URGENT,
        ),
    ],
)
def test_a_later_text_quiets_only_the_everyday_words_it_completes(
    messages: list[str], level: Level
) -> None:
    assert assess(messages).level is level, messages


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        # thoughts told with a denial of acting on them are concern, never none
        (["bit dark in the head lately, i would never do owt"], Level.CONCERN),
        (["death would be a rest at this point, not going to do owt though"], Level.CONCERN),
        (["rubber band on my wrist till it bruised, instead of cutting"], Level.CONCERN),
        (["lost the rent on the slots, can not face him"], Level.CONCERN),
        # the kinds set 6 missed at urgent, in words of our own
        (["thank you for everything. tell my dad it was not his fault"], Level.URGENT),
        (["the voice keeps telling me to go to the bridge"], Level.URGENT),
        (["going to see my mum tonight, she died in 2020"], Level.URGENT),
        (["going to see my mums grave tonight, she died in 2020"], Level.NONE),
        (["is 25 metres high enough"], Level.URGENT),
        (["through to the fat layer this time lol"], Level.URGENT),
        (["ambulance shift, two overdoses tonight, knackered"], Level.NONE),
    ],
)
def test_set_6_kinds(messages: list[str], level: Level) -> None:
    assert assess(messages).level is level, messages


@pytest.mark.parametrize(
    ("messages", "level"),
    [
        # an everyday sentence sent in two texts is read as one (hazard log H31)
        (["just killed myself", "in minecraft, fell in lava"], Level.NONE),
        (
            ["wrote my goodbye letter", "to the team, last day at work friday, new job monday"],
            Level.NONE,
        ),
        # ...never where the whole sentence still carries risk
        (["I have taken", "all my pills"], Level.URGENT),
        (["ive taken 40 pills", "at the station now"], Level.URGENT),
        (["im going to jump", "off the bridge tonight"], Level.URGENT),
        (["got them all here", "for tonight"], Level.URGENT),
        (["this is goodbye", "to everyone, ive taken them all"], Level.URGENT),
        # ...nor where the second text carries risk alone, whatever frames the first
        (
            [
                "10 years since my overdose, doing great and working as a peer mentor",
                "on the bridge over the aire. dunno why im texting u",
            ],
            Level.URGENT,
        ),
        # ...nor a retraction, which goes on with no sentence ("lol jk" is banter)
        (["just killed myself", "lol jk"], Level.URGENT),
        # ...and a risky text after the joined sentence still counts
        (
            ["on the roof", "of the shed", "might just jump off it tonight, cant take it"],
            Level.URGENT,
        ),
    ],
)
def test_a_sentence_sent_in_two_texts_is_read_as_one(messages: list[str], level: Level) -> None:
    assert assess(messages).level is level, messages
