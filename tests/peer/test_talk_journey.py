"""The talk journey as pure dialogue: the engine sees the queue through the context."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.engine import Context, EndChat, JoinQueue, LeaveQueue, SetTopic, State, handle
from bot.engine.talk import PeerView
from bot.peer.queue import Shift
from bot.risk import Level

from ..engine.conftest import command, pressed, said

NOW = datetime(2026, 11, 28, 20, tzinfo=UTC)
ON = Shift(on_shift=2, likely_wait=timedelta(minutes=15), waiting_by_priority=(3, 1, 0))
OFF = Shift(on_shift=0, next_shift=datetime(2026, 11, 29, 18), today=NOW.date())
WAITING = PeerView("waiting", position=4)
LIVE = PeerView("active", supporter_name="Samira")


def _turn(state: State, inbound, shift=ON, peer=None):  # type: ignore[no-untyped-def]
    return handle(state, inbound, Context(now=NOW, shift=shift, peer=peer))


def _keys(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [reply.key for reply in outcome.replies]


def test_the_intro_says_who_is_on_and_the_likely_wait() -> None:
    outcome = _turn(State(step="menu"), said("talk to someone"))
    (intro,) = outcome.replies
    assert intro.key == "talk_intro"
    assert intro.values["on_shift"] == 2 and intro.values["wait_minutes"] == 15


def test_nobody_on_shift_offers_a_message_for_the_next_shift() -> None:
    outcome = _turn(State(step="menu"), said("talk"), shift=OFF)
    (intro,) = outcome.replies
    assert intro.key == "talk_nobody" and intro.values["next_shift"].hour == 18
    joined = _turn(outcome.state, pressed("leave_message"), shift=OFF)
    (effect,) = [e for e in joined.effects if isinstance(e, JoinQueue)]
    assert effect.off_shift


def test_joining_takes_the_risk_flag_as_priority_and_asks_for_a_topic() -> None:
    state = State(step="talk", flag=Level.CONCERN)
    outcome = _turn(state, pressed("join"))
    assert _keys(outcome) == ["queue_joined", "topic_ask"]
    assert outcome.replies[0].values["position"] == 2  # behind the one concern ahead
    (effect,) = [e for e in outcome.effects if isinstance(e, JoinQueue)]
    assert effect.priority == Level.CONCERN
    topic = _turn(outcome.state, said("my dad's drinking again"), peer=WAITING)
    assert _keys(topic) == ["topic_saved"]
    assert SetTopic("my dad's drinking again") in topic.effects


def test_a_carer_is_routed_to_carer_peers_even_after_looking_up_places() -> None:
    state = State(step="menu", carer=True, audience="me")
    outcome = _turn(state, pressed("join"))
    (effect,) = [e for e in outcome.effects if isinstance(e, JoinQueue)]
    assert effect.audience == "carer"


def test_waiting_people_hear_their_place_and_can_leave() -> None:
    state = State(step="queue")
    assert _keys(_turn(state, said("how much longer will it be"), peer=WAITING)) == [
        "queue_waiting"
    ]
    left = _turn(state, said("cancel"), peer=WAITING)
    assert _keys(left) == ["queue_left"] and LeaveQueue() in left.effects
    stopped = _turn(state, command("stop"), peer=WAITING)
    assert _keys(stopped) == ["queue_left"]
    # "I can't stop crying" is not "stop": they keep their place (the risk check may
    # ask the direct question about it, which is no reason to leave the queue).
    crying = _turn(state, said("I can't stop crying"), peer=WAITING)
    assert LeaveQueue() not in crying.effects and "queue_left" not in _keys(crying)
    assert _keys(crying)[0] in ("queue_waiting", "concern")


def test_in_a_live_chat_words_are_relayed_not_answered() -> None:
    state = State(step="queue")
    relayed = _turn(state, said("it's been a hard week"), peer=LIVE)
    assert relayed.replies == () and relayed.effects == ()
    # Words about ending are never taken as ending the chat.
    hard = _turn(state, said("I just want it to end"), peer=LIVE)
    assert not any(isinstance(e, EndChat) for e in hard.effects)
    ended = _turn(state, said("FINISH"), peer=LIVE)
    assert _keys(ended) == ["peer_ended_by_you"] and EndChat() in ended.effects
    assert "feedback_peer" in [str(o) for o in ended.replies[0].options]


def test_urgent_words_in_a_live_chat_still_get_the_urgent_reply() -> None:
    outcome = _turn(State(step="queue"), said("I have taken all my pills"), peer=LIVE)
    assert _keys(outcome)[0] == "urgent"
    assert not any(isinstance(e, EndChat) for e in outcome.effects)


def test_leave_a_message_and_join_the_queue_give_distinct_honest_replies() -> None:
    from bot.config import load_settings
    from bot.service import wording_for

    wording = wording_for(load_settings({}))
    intro = _turn(State(step="menu"), said("talk"), shift=OFF)
    message = _turn(intro.state, pressed("leave_message"), shift=OFF)
    queued = _turn(intro.state, pressed("join"), shift=OFF)
    assert _keys(message) == ["message_ask"]
    assert _keys(queued) == ["queue_joined", "topic_ask"]
    asked = wording.render(message.replies[0]).text
    joined = wording.render(queued.replies[0]).text
    assert asked != joined
    # Nothing is said to be waiting before it is written.
    assert "will be waiting" not in asked and "tomorrow at 18:00" in asked
    assert "You're in the queue" in joined and "Nobody is on shift now" in joined
    left = _turn(message.state, said("Could someone ring me about my mum?"), peer=WAITING)
    assert _keys(left) == ["message_left"]
    assert "will be waiting for the next shift" in wording.render(left.replies[0]).text
    assert SetTopic("Could someone ring me about my mum?") in left.effects


def test_an_urgent_first_message_says_once_that_this_is_automated() -> None:
    first = _turn(State(), said("I want to kill myself tonight"))
    assert _keys(first) == ["urgent", "not_a_person", "are_you_safe"]
    again = _turn(first.state, said("I am going to kill myself now"))
    assert "not_a_person" not in _keys(again)
