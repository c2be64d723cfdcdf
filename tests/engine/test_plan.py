"""My plan: made one question at a time, shown with the urgent numbers, changed a
section at a time, deleted after a confirmation; risk is read on every answer."""

from __future__ import annotations

from bot.engine import Counted, Option, PlanChanged, RiskAssessed

from .conftest import command, converse, pressed
from .playing import effects_of, keys_of, play

MADE = ["hi", "my plan", "I stop sleeping", "skip", "my sister; the crisis cafe", "GP 01274 000000"]


def test_a_plan_is_made_one_question_at_a_time_and_each_is_skippable() -> None:
    state, outcomes = play(MADE)
    assert keys_of(outcomes)[1:] == [
        ["plan_intro", "plan_ask"],
        ["plan_ask"],
        ["plan_ask"],
        ["plan_ask"],
        ["plan_show"],
    ]
    sections = [o.replies[-1].values.get("section") for o in outcomes[1:5]]
    assert sections == ["signs", "helps", "people", "contacts"]
    plan = {
        "signs": "I stop sleeping",
        "people": "my sister; the crisis cafe",
        "contacts": "GP 01274 000000",
    }
    assert state.plan == plan
    assert effects_of(outcomes, PlanChanged) == [PlanChanged(plan)]
    assert [c.kind for c in effects_of(outcomes, Counted)] == ["plan_made"]
    shown = outcomes[-1].replies[0]
    assert shown.values == {"plan": plan}
    assert shown.options == (Option.PLAN_EDIT, Option.PLAN_DELETE, Option.WAIT, Option.MENU)


def test_the_plan_is_shown_again_by_words_and_by_command() -> None:
    state, _ = play(MADE)
    converse(
        [
            ("my plan", ["plan_show"]),
            (command("plan"), ["plan_show"]),
            (pressed("plan"), ["plan_show"]),
        ],
        state=state,
    )


def test_a_section_is_changed_and_plan_made_is_counted_once() -> None:
    state, _ = play(MADE)
    state, outcomes = play(
        [pressed("plan_edit"), pressed("plan_helps"), "a walk, music"], state=state
    )
    assert keys_of(outcomes) == [["plan_edit_which"], ["plan_ask"], ["plan_show"]]
    assert state.plan is not None and state.plan["helps"] == "a walk, music"
    assert state.plan["signs"] == "I stop sleeping"
    assert effects_of(outcomes, PlanChanged) == [PlanChanged(state.plan)]
    assert not effects_of(outcomes, Counted)


def test_skip_while_changing_keeps_what_was_there() -> None:
    state, _ = play(MADE)
    state, outcomes = play([pressed("plan_edit"), pressed("plan_signs"), "skip"], state=state)
    asked = outcomes[1].replies[0]
    assert asked.values == {"section": "signs", "current": "I stop sleeping"}
    assert state.plan is not None and state.plan["signs"] == "I stop sleeping"


def test_delete_asks_first_and_no_keeps_it() -> None:
    state, _ = play(MADE)
    kept, outcomes = play([pressed("plan_delete"), "no"], state=state)
    assert keys_of(outcomes) == [["plan_delete_ask"], ["plan_kept", "plan_show"]]
    assert kept.plan == state.plan and not effects_of(outcomes, PlanChanged)
    gone, outcomes = play([pressed("plan_delete"), pressed("plan_delete_yes")], state=state)
    assert keys_of(outcomes) == [["plan_delete_ask"], ["plan_deleted"]]
    assert gone.plan is None and effects_of(outcomes, PlanChanged) == [PlanChanged(None)]
    # A new plan after deleting is a new plan.
    _, again = play(MADE[1:], state=gone)
    assert [c.kind for c in effects_of(again, Counted)] == ["plan_made"]


def test_all_skipped_keeps_nothing() -> None:
    state, outcomes = play(["hi", "my plan", "skip", "skip", "skip", "skip"])
    assert keys_of(outcomes)[-1] == ["plan_none"]
    assert state.plan is None and not effects_of(outcomes, PlanChanged)


def test_answers_that_sound_like_menu_words_are_the_persons_own() -> None:
    state, _ = play(["hi", "my plan", "family", "talking to someone", "crisis team", "urgent"])
    draft = {"signs": "family", "helps": "talking to someone", "people": "crisis team"}
    assert state.plan_draft == draft and state.plan is None
    assert state.step == "urgent"  # "urgent" alone still asks for urgent help


def test_a_risky_plan_answer_gets_the_urgent_reply_first() -> None:
    _, outcomes = play(["hi", "my plan", "I want to kill myself"])
    assert keys_of(outcomes)[-1][0] == "urgent"
    assert effects_of(outcomes, RiskAssessed)
    assert not effects_of(outcomes, PlanChanged)


def test_a_half_made_plan_is_not_shown_as_saved() -> None:
    state, _ = play(["hi", "my plan", "I stop sleeping", "menu"])
    assert state.plan is None
    _, outcomes = play(["my plan"], state=state)
    assert keys_of(outcomes) == [["plan_intro", "plan_ask"]]


def test_asking_who_sees_the_plan_is_a_question_about_the_service_not_an_answer() -> None:
    # At a plan question, "who can see my plan?" says what the service is, with the same
    # question's buttons, and keeps nothing as a plan answer; "my doctor?" is an answer.
    for asked in ("who can see my plan?", "does anyone read my plan", "is my plan private?"):
        state, outcomes = play(["hi", "my plan", asked])
        (reply,) = outcomes[-1].replies
        assert reply.key == "help" and state.step == "plan", asked
        assert not state.plan_draft
    state, outcomes = play(["hi", "my plan", "my doctor?"])
    assert keys_of(outcomes)[-1] == ["plan_ask"]
    state, outcomes = play(["hi", "my plan", "i stop sleeping", "can i see my plan?"])
    assert "help" not in keys_of(outcomes)[-1]
