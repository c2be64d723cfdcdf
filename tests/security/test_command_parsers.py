"""Every parser of what people and supporters type, given arbitrary text, answers
without raising: a command or not, a message for the engine, never an exception."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.channels import sms, telegram, webchat
from bot.channels.commands import Command, parse_command
from bot.channels.telegram_staff import _command
from bot.engine import Kind, meaning, words

from ..fake_telegram import message_update

# Arbitrary text, weighted towards what breaks command parsers: slashes, spaces of every
# kind, "@", and nothing at all after them.
texts = st.one_of(
    st.text(),
    st.builds(
        lambda parts: "".join(parts),
        st.lists(
            st.sampled_from(["/", " ", "\u00a0", "\u2003", "\n", "\t", "@", "bot", "next", ""]),
            max_size=8,
        ),
    ),
)
EDGES = ["", "/", "/ ", "/  ", "/\n", "/@", "/@bot", "/ @", " /next", "/next@", "/\u2003x"]


def _examples(test: Any) -> Any:
    for edge in EDGES:
        test = example(edge)(test)
    return test


@_examples
@given(texts)
@settings(max_examples=400, deadline=None)
def test_the_command_parser_is_total(text: str) -> None:
    found = parse_command(text)
    if found is not None:
        assert isinstance(found, Command) and found.name
        assert found.name == found.name.lower() and "@" not in found.name
        assert not any(c.isspace() for c in found.name)


@_examples
@given(texts)
@settings(max_examples=400, deadline=None)
def test_the_supporter_command_parser_is_total(text: str) -> None:
    found = _command(text)
    assert found is None or (found[0] and isinstance(found[1], list))


@_examples
@given(texts)
@settings(max_examples=300, deadline=None)
def test_a_telegram_message_of_any_text_becomes_a_message(text: str) -> None:
    update = Update.de_json(message_update(1, 42, text), None)
    meaning = telegram.to_message(update)
    assert isinstance(meaning, telegram.ChannelMessage)
    assert meaning.kind in (Kind.TEXT, Kind.COMMAND)
    if meaning.kind is Kind.COMMAND:
        assert meaning.command in telegram.COMMANDS


@_examples
@given(texts)
@settings(max_examples=300, deadline=None)
def test_an_sms_of_any_text_becomes_a_message(text: str) -> None:
    form = {"MessageSid": "SM1", "From": "+447700900123", "Body": text}
    meaning = sms.to_message(form, "+447700900123")
    assert meaning.kind is Kind.TEXT
    assert sms.opt_change(form) in (True, False, None)


@_examples
@given(texts)
@settings(max_examples=300, deadline=None)
def test_a_web_chat_message_of_any_text_becomes_a_message(text: str) -> None:
    sent = webchat._Sent(client_id="abcdefgh", text=text)
    assert webchat._message("a" * 64, sent).kind is Kind.TEXT


@_examples
@given(texts)
@settings(max_examples=300, deadline=None)
def test_the_words_the_engine_knows_are_read_from_any_text(text: str) -> None:
    words.intent(text)
    words.number_choice(text)
    meaning.whole_intent(text)
    for question in ("are_you_safe", "carer_start", "forget_ask", "menu", "plan_ask"):
        meaning.read(question, text)
