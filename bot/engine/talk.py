"""Talk to a peer supporter, from the person's side: what peer support is, who is on
shift and the likely wait (or honestly, nobody and when), the queue, and the live chat.

The queue itself lives in the store and ``bot.peer``; the engine sees it through
``PeerView`` and ``Shift`` in the context and asks for changes with effects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.peer.queue import Shift

from .replies import (
    MENU_OPTIONS,
    Effect,
    EndChat,
    JoinQueue,
    LeaveQueue,
    Option,
    Reply,
    SetTopic,
)
from .state import State

TOPIC_MAX = 200
MESSAGE_MAX = 1000  # a message for the next shift may need more than a line
# Something to do while waiting, and a way out at any time.
WAITING_OPTIONS = (Option.GROUNDING, Option.LEAVE_QUEUE, Option.MENU)


@dataclass(frozen=True, slots=True)
class PeerView:
    """The person's open request to talk, as the engine needs it."""

    status: str  # "waiting" or "active"
    position: int | None = None
    supporter_name: str = ""


Answer = tuple[State, tuple[Reply, ...], tuple[Effect, ...]]


def _wait_values(shift: Shift) -> dict[str, object]:
    wait = shift.likely_wait
    return {
        "on_shift": shift.on_shift,
        "waiting": shift.waiting,
        "wait_minutes": int(wait.total_seconds() // 60) if wait else None,
        "next_shift": shift.next_shift,
        "today": shift.today,
    }


def intro(state: State, shift: Shift | None, peer: PeerView | None) -> Answer:
    """What peer support is, and whether anyone is there, before anyone joins."""
    if peer is not None and peer.status == "waiting":
        return waiting(state, peer)
    if shift is None:
        return replace(state, step="menu"), (Reply("talk_unavailable", {}, MENU_OPTIONS),), ()
    state = replace(state, step="talk")
    if shift.on_shift == 0:
        options = (Option.LEAVE_MESSAGE, Option.JOIN, Option.MENU)
        return state, (Reply("talk_nobody", _wait_values(shift), options),), ()
    return state, (Reply("talk_intro", _wait_values(shift), (Option.JOIN, Option.MENU)),), ()


def join(state: State, shift: Shift | None, peer: PeerView | None, off_shift: bool) -> Answer:
    if peer is not None:
        return waiting(state, peer)
    if shift is None:
        return replace(state, step="menu"), (Reply("talk_unavailable", {}, MENU_OPTIONS),), ()
    effect = JoinQueue(
        priority=int(state.flag),
        # A carer is routed to carer peers, even after looking up places for the person.
        audience="carer" if state.carer or state.audience == "carer" else "",
        off_shift=off_shift or shift.on_shift == 0,
    )
    if off_shift:
        # "Leave a message": the message first; only once it is written does the
        # reply say it will be waiting (talk.topic).
        ask = Reply("message_ask", _wait_values(shift), (Option.LEAVE_QUEUE,))
        return replace(state, step="message"), (ask,), (effect,)
    ahead = shift.waiting_at_or_above(int(state.flag))
    if state.topic:
        # What they already wrote about goes with them: no need to ask again.
        joined = Reply(
            "queue_joined",
            {"position": ahead + 1, "off_shift": effect.off_shift, **_wait_values(shift)},
        )
        saved = Reply("topic_saved", {"skipped": False}, WAITING_OPTIONS)
        kept = (effect, SetTopic(state.topic))
        # The topic stays with them while they wait, so what they add is added to it.
        return replace(state, step="queue"), (joined, saved), kept
    replies = (
        Reply(
            "queue_joined",
            {"position": ahead + 1, "off_shift": effect.off_shift, **_wait_values(shift)},
        ),
        Reply("topic_ask", {}, (Option.SKIP, Option.LEAVE_QUEUE)),
    )
    return replace(state, step="topic"), replies, (effect,)


def topic(state: State, text: str) -> Answer:
    """What they are here about, or (step "message") their message for the next shift."""
    key = "message_left" if state.step == "message" else "topic_saved"
    line = text.strip()[: MESSAGE_MAX if key == "message_left" else TOPIC_MAX]
    return (
        replace(state, step="queue", topic=line),
        (Reply(key, {"skipped": False}, WAITING_OPTIONS),),
        (SetTopic(line),),
    )


def note(state: State, text: str, peer: PeerView) -> Answer:
    """Words typed while waiting ("still here", "how long now"): added to what the
    supporter will see, after their topic, and their place in the queue said again."""
    line = text.strip()
    kept = f"{state.topic} / {line}" if state.topic else line
    kept = kept[:MESSAGE_MAX]
    values = {"position": peer.position, "kept": True}
    reply = Reply("queue_waiting", values, WAITING_OPTIONS)
    return replace(state, step="queue", topic=kept), (reply,), (SetTopic(kept),)


def skip_topic(state: State) -> Answer:
    reply = Reply("topic_saved", {"skipped": True}, WAITING_OPTIONS)
    return replace(state, step="queue"), (reply,), ()


def waiting(state: State, peer: PeerView) -> Answer:
    values = {"position": peer.position}
    return replace(state, step="queue"), (Reply("queue_waiting", values, WAITING_OPTIONS),), ()


def leave(state: State) -> Answer:
    left = Reply("queue_left", {}, MENU_OPTIONS)
    return replace(state, step="menu", topic=""), (left,), (LeaveQueue(),)


def live_note(state: State, peer: PeerView) -> Answer:
    """A button pressed mid-conversation: remind them who they are talking to."""
    values = {"name": peer.supporter_name}
    return state, (Reply("peer_live_note", values, (Option.END_CHAT, Option.URGENT)),), ()


def end(state: State, peer: PeerView) -> Answer:
    values = {"name": peer.supporter_name}
    options = (Option.FEEDBACK_PEER, Option.MENU)
    return (
        replace(state, step="menu"),
        (Reply("peer_ended_by_you", values, options),),
        (EndChat(),),
    )
