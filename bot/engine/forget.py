""" "Forget me": ask once, plainly, then delete everything about the person.

The deleting is the shell's (the ``Forget`` effect, carried out in the same transaction
as the turn); here is only the conversation: what will go, and a clear yes or no.
"""

from __future__ import annotations

from dataclasses import replace

from .replies import MENU_OPTIONS, Counted, Effect, Forget, Option, Reply
from .state import State

OPTIONS = (Option.FORGET_YES, Option.FORGET_NO)


def ask(state: State) -> tuple[State, tuple[Reply, ...]]:
    """Name what will be deleted and ask to confirm."""
    return replace(state, step="forget"), (Reply("forget_ask", {}, OPTIONS),)


def kept(state: State) -> tuple[State, tuple[Reply, ...]]:
    return replace(state, step="menu"), (Reply("forget_kept", {}, MENU_OPTIONS),)


def answer(
    state: State, choice: str | None
) -> tuple[State, tuple[Reply, ...], tuple[Effect, ...]] | None:
    """The answer to the question, if this is one; None lets the message be read as usual."""
    if state.step != "forget" or choice not in OPTIONS:
        return None
    if choice == Option.FORGET_NO:
        return (*kept(state), ())
    # The state is deleted with everything else; a new message starts afresh. Urgent help
    # stays one step away, as after every reply.
    done = Reply("forgotten", {}, (Option.URGENT,))
    return State(), (done,), (Counted("forgotten"), Forget())
