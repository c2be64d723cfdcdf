"""Holding back ordinary replies from a flood or a lead's block, never urgent ones.

A message that reads as risk gets its whole answer whatever else is going on; an urgent
reply (asked for by "urgent" or a button) always goes; so does the "forget me" journey,
which is the person's right. Everything else is replaced by one kind notice: one per
flood, one per block.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from . import flood
from .replies import Option, Reply
from .state import State

ALWAYS_SENT = frozenset({"forget_ask", "forgotten", "forget_kept"})


def apply(
    state: State,
    replies: list[Reply],
    at: datetime,
    block_id: int | None,
    *,
    risky: bool,
) -> tuple[State, list[Reply]]:
    arrivals, flooded = flood.arrive(state.arrivals, at)
    state = replace(state, arrivals=arrivals, slowed=state.slowed and flooded)
    if risky or not (flooded or block_id):
        return state, replies
    kept = [reply for reply in replies if reply.urgent or reply.key in ALWAYS_SENT]
    if len(kept) == len(replies):
        return state, kept  # nothing held back, so nothing to explain
    if block_id:
        if state.noticed_block != block_id:
            kept.append(Reply("blocked", {}, (Option.URGENT,)))
            state = replace(state, noticed_block=block_id)
    elif not state.slowed:
        kept.append(Reply("slow_down", {}, (Option.URGENT,)))
        state = replace(state, slowed=True)
    return state, kept
