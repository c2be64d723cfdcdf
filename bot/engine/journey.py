"""What a journey step returns, and the options the journeys share."""

from __future__ import annotations

from .replies import Effect, Option, Reply
from .state import State

# A journey's answer: the new state, the replies, and effects for the shell.
Step = tuple[State, tuple[Reply, ...], tuple[Effect, ...]]

WAIT_OPTIONS = (
    Option.PLAN,
    Option.CHECKIN,
    Option.GROUNDING,
    Option.SOMEWHERE,
    Option.TALK,
    Option.MENU,
)
CARER_OPTIONS = (Option.CARER_SUPPORT, Option.CARER_HELP, Option.TALK, Option.MENU, Option.URGENT)
