"""Score natural answers: did the bot do what the person meant? Not a test: it prints figures.

    .venv/bin/python bench/answers.py tests/engine/answers/own.jsonl [--misses]

Each line of the file is {"id", "question", "text", "means"}: ``question`` is the key of
the reply that asked (``menu``, ``are_you_safe``, ``wait_ask`` ...), ``text`` what the
person typed back, ``means`` what they meant:

- an option id (a file name in ``messages/en-GB/options``): the bot must do exactly what
  pressing that button at that question does (the same replies with the same values, the
  same effects, the same next step);
- ``text``: their words kept as the answer (a plan answer, a topic, a feedback note);
- ``place:<Town|postcode district>``: a search near there;
- ``date:YYYY-MM-DD``: that appointment date (today is Tuesday 2026-12-01, Europe/London);
- ``checkin_ok`` / ``checkin_not_ok``: a check-in answered in words, well or not (not well
  is also met by the direct question, or urgent help);
- ``grounding_done``: the grounding exercise ended;
- ``unclear``: asked again (the same question, not the generic fallback).

An answer in another language also gets the interpreters line (``other_languages``);
that line is left out of the judging, since no button press brings it.

The engine is played pure (no store, no network), put at each question by pressing the
buttons a person would press, so the judging follows the real journeys. A safety question
(are_you_safe, concern, carer_start) answered with the generic fallback is counted apart:
it must be 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.directory import (  # noqa: E402 - after the path is set
    Directory,
    load_directory,
    parse_where,
)
from bot.engine import (  # noqa: E402
    Context,
    Counted,
    Inbound,
    Kind,
    Outcome,
    RiskAssessed,
    State,
    handle,
)
from bot.engine.checkins import message as checkin_message  # noqa: E402
from bot.engine.meaning import question_at  # noqa: E402
from bot.engine.safety import CONCERN_OPTIONS  # noqa: E402
from bot.engine.talk import PeerView  # noqa: E402
from bot.peer.queue import Shift  # noqa: E402

NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # Tuesday, 14:00 in London
SAFETY = frozenset({"are_you_safe", "concern", "carer_start"})
# Meanings that ask for help now: urgent help in any form is what they asked for.
UNSAFE = frozenset({"safe_no", "they_not_safe", "thoughts_yes", "urgent"})
URGENT_KEYS = frozenset({"urgent", "safe_no", "carer_urgent"})
INTERPRETERS = "other_languages"
OPTIONS = frozenset(p.stem for p in (ROOT / "messages" / "en-GB" / "options").glob("*.j2"))
PLAN = {"signs": "I stop sleeping", "helps": "a walk", "people": "my sister", "contacts": "GP"}
WAITING = PeerView(status="waiting", position=2)
ON_SHIFT = Shift(on_shift=2, likely_wait=timedelta(minutes=15), waiting_by_priority=(1, 0, 0))
NOBODY = Shift(on_shift=0, next_shift=datetime(2026, 12, 1, 18, 0), today=date(2026, 12, 1))


@dataclass(frozen=True)
class Setting:
    """How to reach a question: the presses (or words) before it, and the context."""

    steps: tuple[str, ...]  # "option" presses; "'words" typed
    shift: Shift | None = None
    peer: PeerView | None = None
    state: State | None = None
    then: Callable[[State], State] | None = None


def _checkin(state: State) -> State:
    return checkin_message(state)[0]


SETTINGS: dict[str, Setting] = {
    "greeting": Setting(("'hi",)),
    "menu": Setting(("'hi",)),
    "are_you_safe": Setting(("'hi", "urgent")),
    # The direct question with its buttons, as the bot asks it: "2" is "No".
    "concern": Setting((), state=State(step="concern", offered=CONCERN_OPTIONS)),
    "carer_start": Setting(("'hi", "carer")),
    "carer_menu": Setting(("'hi", "carer", "they_safe")),
    "carer_help": Setting(("'hi", "carer", "they_safe", "carer_help")),
    "where_ask": Setting(("'hi", "somewhere")),
    "places": Setting(("'hi", "somewhere", "'BD18")),
    "talk_intro": Setting(("'hi", "talk"), shift=ON_SHIFT),
    "talk_nobody": Setting(("'hi", "talk"), shift=NOBODY),
    "topic_ask": Setting(("'hi", "talk", "join"), shift=ON_SHIFT),
    "message_ask": Setting(("'hi", "talk", "leave_message"), shift=NOBODY),
    "queue_waiting": Setting(("'hi", "talk", "join", "skip"), shift=ON_SHIFT),
    "wait_ask": Setting(("'hi", "wait")),
    "wait_menu": Setting(("'hi", "wait", "wait_nothing")),
    "wait_date_ask": Setting(("'hi", "wait", "wait_appointment")),
    "checkin_offer": Setting(("'hi", "wait", "wait_nothing", "checkin")),
    "checkin_message": Setting(("'hi", "wait", "wait_callback"), then=_checkin),
    "grounding": Setting(("'hi", "wait", "wait_nothing", "grounding")),
    "plan_ask": Setting(("'hi", "wait", "wait_nothing", "plan")),
    "plan_show": Setting(("'hi", "plan"), state=State(plan=PLAN)),
    "plan_edit_which": Setting(("'hi", "plan", "plan_edit"), state=State(plan=PLAN)),
    "plan_delete_ask": Setting(("'hi", "plan", "plan_delete"), state=State(plan=PLAN)),
    "forget_ask": Setting(("'hi", "'forget me")),
    "feedback_ask": Setting(("'hi", "feedback")),
    "feedback_note": Setting(("'hi", "feedback", "skip", "skip")),
}
# Once the person joined, the queue holds them: the shell says so in the context.
JOINED = frozenset({"topic_ask", "message_ask", "queue_waiting"})


@cache
def _directory() -> Directory:
    return load_directory()


def context(question: str, at: datetime, joined: bool = True) -> Context:
    setting = SETTINGS[question]
    peer = WAITING if question in JOINED and joined else setting.peer
    return Context(now=at, directory=_directory(), shift=setting.shift, peer=peer)


def _inbound(step: str, at: datetime) -> Inbound:
    if step.startswith("'"):
        return Inbound(Kind.TEXT, at, text=step[1:])
    return Inbound(Kind.OPTION, at, option=step)


@cache
def at_question(question: str) -> State:
    """The state just after the bot asked ``question``."""
    setting = SETTINGS[question]
    state = setting.state or State()
    at = NOW - timedelta(minutes=len(setting.steps) + 1)
    joined_at = setting.steps.index("join") if "join" in setting.steps else len(setting.steps)
    for number, step in enumerate(setting.steps):
        ctx = context(question, at + timedelta(minutes=number), joined=number > joined_at)
        state = handle(state, _inbound(step, ctx.now), ctx).state
    if setting.then is not None:
        state = setting.then(state)
    # Start each answer as a fresh message: no earlier words in the risk window.
    return replace(state, recent=(), arrivals=())


def send(question: str, inbound: Inbound) -> Outcome:
    return handle(at_question(question), inbound, context(question, inbound.at))


def _replies(outcome: Outcome) -> list[tuple[str, str]]:
    return [(r.key, json.dumps(r.values, sort_keys=True, default=str)) for r in outcome.replies]


def _effects(outcome: Outcome) -> list[str]:
    return [repr(e) for e in outcome.effects if not isinstance(e, RiskAssessed | Counted)]


def _same(typed: Outcome, pressed: Outcome) -> bool:
    return (
        _replies(typed) == _replies(pressed)
        and _effects(typed) == _effects(pressed)
        and typed.state.step == pressed.state.step
    )


def _kept(outcome: Outcome, text: str) -> bool:
    """The person's words kept as an answer: a topic, a plan answer, a feedback note."""
    words = text.strip()
    if not words:
        return False
    found: list[Any] = [getattr(e, "text", None) for e in outcome.effects]
    found += [getattr(e, "note", None) for e in outcome.effects]
    for effect in outcome.effects:
        plan = getattr(effect, "plan", None)
        if isinstance(plan, dict):
            found += list(plan.values())
    found += list((outcome.state.plan_draft or {}).values())
    found.append(getattr(outcome.state, "topic", None))
    return words in found


def _place(outcome: Outcome, wanted: str) -> bool:
    where = outcome.state.where or {}
    if "places" not in [r.key for r in outcome.replies]:
        return False
    # The place meant, as the gazetteer knows it: "Saltaire" is searched as Shipley.
    meant = parse_where(wanted, _directory().places)
    if meant is None:
        # A real place the gazetteer does not know: the person was not understood.
        return False
    if meant.district is not None:
        return where.get("district") == meant.district
    return where.get("area") == meant.area and where.get("district") is None


def _asked_again(question: str, before: State, outcome: Outcome) -> bool:
    """The same question asked again: the same step, the re-ask or the question itself."""
    if not outcome.replies:
        return False
    first = outcome.replies[0]
    if question in ("where_ask", "places") and first.key == "places":
        # An unrecognised place still gets national lines and a request for a postcode.
        return bool(first.values.get("unknown_place"))
    if question_at(outcome.state.step, outcome.state.offered) != question_at(
        before.step, before.offered
    ):
        # The same question under another step counts ("how are things?" answered is
        # checkin_answer, asked again all the same); another question does not.
        return False
    if first.key == "reask":
        return True
    asked = "menu" if question == "greeting" else question
    return first.key == asked


def judge(question: str, text: str, means: str, index: int = 0) -> tuple[bool, Outcome]:
    """Whether the bot's first reply to ``text`` at ``question`` does what ``means`` says."""
    at = NOW + timedelta(seconds=index % 50)
    before = at_question(question)
    typed = send(question, Inbound(Kind.TEXT, at, text=text))
    # An answer in another language also brings the interpreters line, which no button
    # press does: it is wanted, and the rest is judged as the answer.
    typed = replace(typed, replies=tuple(r for r in typed.replies if r.key != INTERPRETERS))
    keys = [r.key for r in typed.replies]
    if "fallback" in keys:
        return False, typed
    if means in UNSAFE:
        pressed = send(question, Inbound(Kind.OPTION, at, option=means))
        # Urgent help given in any form, the emergency numbers first, is what they asked,
        # at any question ("shes just taken something" at the carers' menu).
        urgent = bool(typed.replies) and typed.replies[0].key in URGENT_KEYS
        return _same(typed, pressed) or urgent, typed
    if means in OPTIONS:
        pressed = send(question, Inbound(Kind.OPTION, at, option=means))
        return _same(typed, pressed), typed
    if means == "text":
        return _kept(typed, text) and "reask" not in keys, typed
    if means.startswith("place:"):
        return _place(typed, means.removeprefix("place:")), typed
    if means.startswith("date:"):
        return typed.state.waiting_date == means.removeprefix("date:"), typed
    if means == "checkin_ok":
        return keys[:1] == ["checkin_ok"], typed
    if means == "checkin_not_ok":
        # The direct question about suicide ("concern") is also right for "not good, really
        # struggling": the risk check heard distress, and asking directly is the practice.
        return bool(keys) and keys[0] in ("checkin_not_ok", "concern", *URGENT_KEYS), typed
    if means == "help":
        # What the bot is, with the buttons of the question they were at ("what is this"):
        # the same question, under whichever step asks it (a check-in answered).
        same = question_at(typed.state.step, typed.state.offered) == question_at(
            before.step, before.offered
        )
        return keys[:1] == ["help"] and same, typed
    if means == "grounding_done":
        ended = not typed.state.step.startswith("grounding")
        return ended and bool(keys) and keys[0] in ("grounding_done", "grounding"), typed
    if means == "unclear":
        if question in SAFETY:
            # Unclear at a safety question is treated as not safe, or asked again with help.
            if _asked_again(question, before, typed):
                return True, typed
            pressed = send(question, Inbound(Kind.OPTION, at, option=_not_safe(question)))
            return _same(typed, pressed) or keys[:1] in (["urgent"], ["safe_no"]), typed
        return _asked_again(question, before, typed), typed
    # A meaning that is no option here (a label written without the buttons to hand, such
    # as "wait_ask" at wait_menu) is never met: counted as a miss, not a crash.
    return False, typed


def _not_safe(question: str) -> str:
    return {"are_you_safe": "safe_no", "concern": "thoughts_yes"}.get(question, "they_not_safe")


def read(path: Path) -> list[dict[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = {"question", "text", "means"} - set(row)
        if missing or row["question"] not in SETTINGS:
            raise ValueError(f"{path}:{number}: bad line ({sorted(missing) or row['question']})")
        rows.append(row)
    return rows


@dataclass
class Score:
    total: int = 0
    understood: int = 0
    safety_fallbacks: int = 0
    by_question: Counter[str] | None = None
    right_by_question: Counter[str] | None = None
    misses: list[tuple[dict[str, str], list[str]]] | None = None


def score(rows: Iterable[dict[str, str]]) -> Score:
    result = Score(by_question=Counter(), right_by_question=Counter(), misses=[])
    assert result.by_question is not None and result.right_by_question is not None
    assert result.misses is not None
    for index, row in enumerate(rows):
        question = row["question"]
        right, outcome = judge(question, row["text"], row["means"], index)
        keys = [r.key for r in outcome.replies]
        result.total += 1
        result.by_question[question] += 1
        if right:
            result.understood += 1
            result.right_by_question[question] += 1
        else:
            result.misses.append((row, keys))
        if question in SAFETY and "fallback" in keys:
            result.safety_fallbacks += 1
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="+")
    parser.add_argument("--misses", action="store_true", help="list what was not understood")
    args = parser.parse_args(argv)
    rows = [row for path in args.path for row in read(path)]
    result = score(rows)
    assert result.by_question is not None and result.right_by_question is not None
    share = result.understood / result.total if result.total else 0.0
    print(f"understood: {result.understood}/{result.total} = {share:.1%}")
    for question in sorted(result.by_question):
        right, asked = result.right_by_question[question], result.by_question[question]
        print(f"  {question:16} {right:3}/{asked:<3} {right / asked:.0%}")
    print(f"safety questions answered with the generic fallback: {result.safety_fallbacks}")
    if args.misses:
        for row, keys in result.misses or []:
            print(f"  MISS {row['question']}: {row['text']!r} meant {row['means']}, got {keys}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
