"""Whatever arrives, in whatever state, the engine answers with known keys and never raises."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Context, Inbound, Kind, Option, State, handle
from bot.engine.replies import REPLY_KEYS

from .conftest import START

inbounds = st.one_of(
    st.builds(lambda t: Inbound(kind=Kind.TEXT, at=START, text=t), st.text(max_size=300)),
    st.builds(lambda o: Inbound(kind=Kind.OPTION, at=START, option=o),
              st.one_of(st.sampled_from([o.value for o in Option]), st.text(max_size=20))),
    st.builds(lambda c: Inbound(kind=Kind.COMMAND, at=START, command=c),
              st.sampled_from(["start", "menu", "help", "urgent", "stop", "forget", "x"])),
    st.just(Inbound(kind=Kind.UNSUPPORTED, at=START)),
    st.just(Inbound(kind=Kind.LOCATION, at=START, latitude=53.8, longitude=-1.75)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(inbounds, min_size=1, max_size=6))
def test_any_conversation_gets_known_replies_with_somewhere_to_go_next(
    messages: list[Inbound],
) -> None:
    state = State()
    for number, message in enumerate(messages):
        at = START + timedelta(seconds=number)
        outcome = handle(state, Inbound(**{**_fields(message), "at": at}), Context(now=at))
        assert outcome.replies
        assert {reply.key for reply in outcome.replies} <= set(REPLY_KEYS)
        assert outcome.replies[-1].options
        state = State.from_json(outcome.state.to_json())


def _fields(message: Inbound) -> dict[str, object]:
    return {name: getattr(message, name) for name in Inbound.__slots__}
