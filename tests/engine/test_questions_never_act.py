"""A question asked at a question that deletes never deletes (answers set 12: "does this
delete it from the nhs too" once deleted everything). What the service is, or the same
question again, with nothing deleted; only a plain answer acts."""

from __future__ import annotations

import pytest

from bot.engine import Inbound, Kind

from .test_answers import BENCH

QUESTIONS = [
    "does this delete it from the nhs too",
    "does this delete everything from my gp as well?",
    "will it delete my plan too",
    "will it wipe it all?",
    "if i do this can i undo it",
    "if i delete it can i get it back",
    "can i get it back later",
    "can i get it back later if i delete it",
    "could i recover it if i change my mind",
    "does it remove everything or just the chat",
    "is there a way to get my stuff back after",
    "hang on, will it delete my check-ins too",
    "wait, does deleting it tell anyone",
    "so does that erase it all",
    "delete it?",
    "yes but will it delete my records?",
    "what happens if i delete it all",
    "would it wipe my data from the nhs",
    "is it gone for good if i get rid of it",
    "how do i get it back if i remove it",
    "ok so does that mean my gp wont see it",
    "yes delete it but will my gp know",
    "would this get rid of my nhs notes",
    # In the languages served: Polish, Welsh, Romanian, Urdu question openings.
    "czy usuń wszystko",
    "ydy hyn yn dileu popeth",
    "oare se șterge tot",
    "kya sab delete ho jayega",
]


def _acted(question: str, text: str) -> bool:
    outcome = BENCH.send(question, Inbound(Kind.TEXT, BENCH.NOW, text=text))
    keys = {r.key for r in outcome.replies}
    effects = {type(e).__name__ for e in outcome.effects}
    return bool(keys & {"forgotten", "plan_deleted"} or effects & {"Forget", "PlanChanged"})


@pytest.mark.parametrize("question", ["forget_ask", "plan_delete_ask"])
@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_deleting_deletes_nothing(question: str, text: str) -> None:
    assert not _acted(question, text)


# Asked again (the same question, or what the service is with its buttons); "concern"
# where the risk layer reads the words as a worry, the deleting question resumed after it.
ASKED_AGAIN = ("reask", "help", "forget_ask", "plan_delete_ask", "concern")


@pytest.mark.parametrize("question", ["forget_ask", "plan_delete_ask"])
@pytest.mark.parametrize(
    "text",
    [
        "does this delete it from the nhs too",
        "will it delete my plan too",
        "if i do this can i undo it",
        "can i get it back later",
        "could i recover it if i change my mind",
        "is there a way to get my stuff back after",
        "delete it?",
        "yes but will it delete my records?",
    ],
)
def test_a_question_about_deleting_is_asked_again(question: str, text: str) -> None:
    outcome = BENCH.send(question, Inbound(Kind.TEXT, BENCH.NOW, text=text))
    keys = [r.key for r in outcome.replies]
    assert keys and keys[0] in ASKED_AGAIN, keys


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("forget_ask", "yes delete everything"),
        ("forget_ask", "do it"),
        ("forget_ask", "yes please"),
        ("forget_ask", "delete it all"),
        ("plan_delete_ask", "yes delete it"),
        ("plan_delete_ask", "get rid of it"),
        ("plan_delete_ask", "yes"),
        ("forget_ask", "tak, usuń wszystko"),
        ("forget_ask", "ydy, dileu popeth"),
    ],
)
def test_a_plain_yes_still_deletes(question: str, text: str) -> None:
    assert _acted(question, text)
