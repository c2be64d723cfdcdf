"""The eleventh fold's guards hold only where nothing of risk is said beside them (hazard log
H28): a view from a bridge, an engine on while waiting, a sponsored or named leisure jump, a dose
of one or two, study, a will with a solicitor, a level crossing in traffic, the phone line. Each
look-alike reads as nothing; the same guard word beside a means, a goodbye, a wish, a shut garage
or the track stays urgent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.risk import assess

LOOK_ALIKES = [
    "watched the sunset from the bridge, took loads of photos",
    "engine on to keep warm while i wait for my wife outside the shop",
    "doing a sponsored bungee jump for the hospice, please donate",
    "went cliff jumping with my mates on holiday, best day ever",
    "is it ok to take two ibuprofen with a cold",
    "my mum used to self harm, i'm writing about it for my dissertation",
    "sorted my will with the solicitor, power of attorney too",
    "stuck at the level crossing in the car, next train is due, late for work",
    "can you stay on the line while i find my reference number",
    "my son jumped into the water at the swimming pool",
    "will it delete my plan too?",
]

STILL_URGENT = [
    "sat in the car in the garage with the engine running and the door shut, waiting",
    "engine on, waiting for the pills to kick in",
    "taking photos from the bridge, the last ones, then im jumping",
    "stood on the bridge taking photos, i want to die",
    "sponsored skydive next week but honestly i want to kill myself",
    "is it enough to take 2 boxes of paracetamol",
    "stay on the line while i do it",
    "sorted my will with the solicitor, goodbye forever everyone",
    "stuck at the level crossing, i'm going to lie down on the tracks",
    "my son jumped into the water at the swimming pool and hasnt come up",
    "cliff jumping off the quarry edge, this is goodbye",
    "grabbed the car keys, gonna crash it on purpose",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_look_alike_reads_as_nothing(text: str) -> None:
    assert assess([text]).level.label == "none"


@pytest.mark.parametrize("text", STILL_URGENT)
def test_the_guard_word_beside_risk_stays_urgent(text: str) -> None:
    assert assess([text]).level.label == "urgent"


def test_a_dose_of_one_more_is_a_question_but_one_more_with_a_wish_is_not() -> None:
    assert assess(["can i have 1 more paracetamol, its been 4 hours"]).level.label == "none"
    assert assess(["can i take 2 more, i want to die"]).level.label == "urgent"
    assert assess(["i have taken 2 of my nans tablets"]).level.label == "urgent"


def test_the_engine_left_running_at_a_petrol_station_is_not_a_shut_garage() -> None:
    assert (
        assess(["left the engine running while i nipped into the garage for milk"]).level.label
        == "none"
    )
    shut = "running the car in the garage with the doors shut, it smells funny already"
    assert assess([shut]).level.label == "urgent"


def test_no_concept_phrase_is_cut_short_by_a_yaml_comment() -> None:
    """A phrase with "#" (any number) must be quoted: unquoted, YAML reads " # ..." as a comment
    and "train in # min" silently becomes "train in" (found in this fold)."""
    path = Path(__file__).resolve().parents[2] / "bot" / "risk" / "concepts" / "concepts.yaml"
    cut = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s+- [^\"'#\s][^\"'#]* #", line)
    ]
    assert not cut, cut
