"""The engine's own safety answers, apart from the risk check.

- A safety answer that says someone is not safe ("No, I'm not safe", a carer's "No, or
  I'm not sure", a "yes" to thoughts of ending their life) raises the conversation to
  urgent through a ``RiskAssessed`` effect, just as urgent words do: the flag, the peer
  queue's priority, the supporters' alert and the audit record all follow from it.
- After an overdose or any act already done, "yes, I'm safe" still says to go to A&E
  now: harm can be delayed, and feeling fine is not evidence of safety.
- A carer's urgent words about the person they care for are answered about that person.
- Risk words inside an answer the journey asked for (a topic, a plan answer, a feedback
  sentence, what they are waiting for) get the urgent reply first, and the answer is
  still kept and the journey carries on.
- A person whose channel cannot be sent replies (they texted STOP) cannot see the
  urgent reply: supporters and leads are alerted instead.

Pure, like the rest of the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.risk import Level

from .replies import (
    MENU_OPTIONS,
    Effect,
    Option,
    Reply,
    RiskAssessed,
    UrgentUnreachable,
)
from .state import State

# What a safety answer's record gives as its rule set: the journey, not the rules.
ANSWERS = "answers"
# Categories (and concepts) that mean something has already been done: an overdose
# taken, an injury made. The risk layers may name "act_done"; the rules say
# "act_in_progress".
ACT_DONE = frozenset({"act_in_progress", "act_done"})
# Words about someone else (a carer about the person they care for).
THIRD_PARTY = "third_party"
# Categories that add their own lines of help after the urgent numbers.
EXTRA_HELP = frozenset({"abuse", "child_at_risk", "minor", "third_party"})
SAFE_OPTIONS = (Option.SAFE_YES, Option.SAFE_NO, Option.TALK)
THEY_SAFE_OPTIONS = (Option.THEY_SAFE, Option.THEY_NOT_SAFE, Option.TALK)
AFTER_ACT_OPTIONS = (Option.TALK, Option.MENU)
CONCERN_OPTIONS = (Option.THOUGHTS_YES, Option.THOUGHTS_NO, Option.TALK, Option.URGENT)
# Where the person answers a question in their own words (beyond journeys.TYPED_STEPS):
# a topic, and the message for the next shift, are kept for the supporter whatever else.
_WORDED_STEPS = frozenset({"topic", "message", "wait_ask"})
_FOR_THE_SUPPORTER = frozenset({"topic", "message"})
_WAITING_FOR = frozenset(
    {
        Option.WAIT_CALLBACK,
        Option.WAIT_ASSESSMENT,
        Option.WAIT_APPOINTMENT,
        Option.WAIT_BED,
        Option.WAIT_NOTHING,
    }
)


def raised(state: State, answer: Option) -> tuple[State, RiskAssessed]:
    """A safety answer that says someone is not safe: the flag goes to urgent (sticky,
    as for words), and the effect records which answer did it."""
    effect = RiskAssessed(
        level=Level.URGENT.label,
        categories=(),
        rules=(f"answer:{answer}",),
        ruleset_version=ANSWERS,
        alerted=True,
        source="answer",
    )
    return replace(state, flag=Level.URGENT), effect


def act_done(state: State) -> bool:
    """Whether this conversation has told of an act already done (an overdose taken)."""
    return bool(ACT_DONE.intersection(state.categories))


def about_them(state: State, categories: Sequence[str]) -> bool:
    """Whether a carer's words are about the person they care for (not themself)."""
    return state.carer and THIRD_PARTY in categories


def urgent(
    state: State,
    categories: Sequence[str],
    *,
    them: bool = False,
    ask: bool = True,
    local: list[dict[str, object]] | None = None,
) -> tuple[State, tuple[Reply, ...]]:
    """The urgent numbers, the help that fits, then "are you safe?" (``ask``).

    ``them``: a carer, about the person they care for: the words are for a carer and
    the question is whether that person is safe, so a "yes" is never taken as theirs.
    ``local``: the verified crisis lines for the person's own area, when it is known.
    """
    replies = [Reply("urgent", {"carer": them, "local": local}, urgent=True)]
    extra = sorted(EXTRA_HELP.intersection(categories))
    if extra:
        replies.append(Reply("urgent_more", {"categories": extra}, urgent=True))
    if not ask:
        return state, tuple(replies)
    if them:
        replies.append(Reply("carer_safe_ask", {}, THEY_SAFE_OPTIONS, urgent=True))
        return replace(state, step="carer_safe"), tuple(replies)
    replies.append(Reply("are_you_safe", {}, SAFE_OPTIONS, urgent=True))
    return replace(state, step="urgent"), tuple(replies)


def concern(state: State, categories: Sequence[str]) -> Reply:
    """The direct question, about the person a carer cares for when it is about them."""
    return Reply("concern", {"carer": about_them(state, categories)}, CONCERN_OPTIONS)


def safe_yes(state: State) -> tuple[State, tuple[Reply, ...]]:
    """ "Yes, I'm safe": after an act already done, still A&E now, never "I'm glad"."""
    if act_done(state):
        reply = Reply("safe_yes_after_act", {}, AFTER_ACT_OPTIONS, urgent=True)
        return replace(state, step="urgent"), (reply,)
    return replace(state, step="menu"), (Reply("safe_yes", {}, MENU_OPTIONS),)


def carries_on(
    step: str, choice: str | None, waiting: bool, typed: bool, urgent: bool = False
) -> bool:
    """Whether risky words came inside an answer the journey asked for, so the answer
    is kept and the journey goes on after the urgent reply.

    ``typed``: the step takes the person's own words and these are them (a plan answer,
    a date, a feedback sentence); ``waiting``: the person is in the peer queue, where a
    topic is a free sentence; ``choice``: what a worded answer was understood as;
    ``urgent``: the words are urgent. The message for the next shift is kept after the
    direct question ("nothing urgent, just lonely tonight"), but nobody reads it soon:
    urgent words there get the urgent reply and "are you safe?", as anywhere.
    """
    if typed:
        return True
    if step not in _WORDED_STEPS:
        return False
    if step == "message" and urgent:
        return False
    if step in _FOR_THE_SUPPORTER:
        return waiting and choice is None
    return choice in _WAITING_FOR


def stamped(effects: Iterable[Effect], message_id: int | None) -> list[Effect]:
    """Every risk record carries the message that raised it, for the desk to show."""
    return [
        replace(e, message_id=message_id)
        if isinstance(e, RiskAssessed) and e.message_id is None
        else e
        for e in effects
    ]


def unreachable(reachable: bool, replies: Iterable[Reply]) -> tuple[Effect, ...]:
    """An urgent answer that cannot be sent (the person texted STOP): tell staff."""
    if reachable or not any(reply.urgent for reply in replies):
        return ()
    return (UrgentUnreachable(),)
