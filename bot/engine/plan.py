"""My plan: a short plan in the person's own words, one question at a time, each
skippable; shown again with the urgent numbers always added; editable a section at a
time, and deletable after a confirmation."""

from __future__ import annotations

from dataclasses import replace

from .journey import WAIT_OPTIONS, Step
from .replies import Counted, Effect, Option, PlanChanged, Reply
from .state import State

SECTIONS = ("signs", "helps", "people", "contacts")  # in the order they are asked
EDIT = {
    Option.PLAN_SIGNS: "signs",
    Option.PLAN_HELPS: "helps",
    Option.PLAN_PEOPLE: "people",
    Option.PLAN_CONTACTS: "contacts",
}
MAX_ANSWER = 300  # characters kept of one answer: a plan to glance at, and to fit an SMS
ASK_OPTIONS = (Option.SKIP, Option.MENU)
SHOW_OPTIONS = (Option.PLAN_EDIT, Option.PLAN_DELETE, Option.WAIT, Option.MENU)


def _ask(state: State, section: str, editing: bool = False) -> Reply:
    current = (state.plan or {}).get(section, "") if editing else ""
    return Reply("plan_ask", {"section": section, "current": current}, ASK_OPTIONS)


def open_plan(state: State) -> Step:
    """Show the plan they have, or start one."""
    if state.plan:
        return show(state)
    state = replace(state, step="plan", plan_section=SECTIONS[0], plan_editing=False, plan_draft={})
    return state, (Reply("plan_intro"), _ask(state, SECTIONS[0])), ()


def show(state: State) -> Step:
    state = replace(state, step="plan_show", plan_section="", plan_editing=False, plan_draft=None)
    return state, (Reply("plan_show", {"plan": dict(state.plan or {})}, SHOW_OPTIONS),), ()


def answered(state: State, text: str | None) -> Step:
    """An answer to the section asked (None: skipped), then the next question or the end."""
    section = state.plan_section
    draft = dict(state.plan_draft or {})
    if text is not None and text.strip():
        draft[section] = text.strip()[:MAX_ANSWER]
    if state.plan_editing or section == SECTIONS[-1]:
        return _finish(state, draft)
    following = SECTIONS[SECTIONS.index(section) + 1]
    state = replace(state, plan_section=following, plan_draft=draft)
    return state, (_ask(state, following),), ()


def _finish(state: State, draft: dict[str, str]) -> Step:
    if not draft:
        # Everything skipped: nothing to keep, and nothing kept.
        state = replace(state, step="wait_menu", plan_draft=None, plan_section="")
        return state, (Reply("plan_none", {}, WAIT_OPTIONS),), ()
    effects: list[Effect] = [PlanChanged(draft)]
    if not state.plan:
        effects.append(Counted("plan_made"))
    state = replace(state, plan=draft)
    state, replies, _ = show(state)
    return state, replies, tuple(effects)


def edit_which(state: State) -> Step:
    if not state.plan:
        return open_plan(state)
    options = (*EDIT, Option.MENU)
    return replace(state, step="plan_edit"), (Reply("plan_edit_which", {}, options),), ()


def edit(state: State, option: Option) -> Step:
    if not state.plan:
        return open_plan(state)
    section = EDIT[option]
    state = replace(
        state, step="plan", plan_section=section, plan_editing=True, plan_draft=dict(state.plan)
    )
    return state, (_ask(state, section, editing=True),), ()


def delete_ask(state: State) -> Step:
    if not state.plan:
        return open_plan(state)
    options = (Option.PLAN_DELETE_YES, Option.PLAN_KEEP)
    return replace(state, step="plan_delete"), (Reply("plan_delete_ask", {}, options),), ()


def delete(state: State) -> Step:
    if not state.plan:
        return open_plan(state)
    state = replace(state, step="wait_menu", plan=None, plan_draft=None, plan_section="")
    return state, (Reply("plan_deleted", {}, WAIT_OPTIONS),), (PlanChanged(None),)


def keep(state: State) -> Step:
    state, replies, _ = show(state)
    return state, (Reply("plan_kept"), *replies), ()
