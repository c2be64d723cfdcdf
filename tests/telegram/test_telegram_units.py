"""The Telegram adapter's pure parts: what an update means, and how a reply looks."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.channels.telegram import GroupNotice, render, split_text, to_message
from bot.engine import Kind
from bot.service import ChannelMessage

from ..fake_telegram import callback_update, message_update

BOT = Bot("1:x")


def _meaning(update: dict[str, Any]) -> ChannelMessage | GroupNotice | None:
    parsed = Update.de_json(update, BOT)
    assert parsed is not None
    return to_message(parsed)


def test_text_command_location_and_photo() -> None:
    text = _meaning(message_update(1, 5, "hello"))
    assert isinstance(text, ChannelMessage)
    assert (text.kind, text.text, text.address, text.message_id) == (Kind.TEXT, "hello", "5", "1")
    command = _meaning(message_update(2, 5, "/urgent@wr_test_bot now"))
    assert isinstance(command, ChannelMessage) and command.command == "urgent"
    unknown = _meaning(message_update(3, 5, "/whatever"))
    assert isinstance(unknown, ChannelMessage) and unknown.kind is Kind.TEXT
    place = _meaning(message_update(4, 5, location={"latitude": 53.83, "longitude": -1.78}))
    assert isinstance(place, ChannelMessage) and place.kind is Kind.LOCATION
    assert (place.latitude, place.longitude) == (53.83, -1.78)
    voice = _meaning(
        message_update(5, 5, voice={"file_id": "v", "file_unique_id": "u", "duration": 3})
    )
    assert isinstance(voice, ChannelMessage) and voice.kind is Kind.UNSUPPORTED


def test_edited_messages_are_new_text() -> None:
    update = message_update(6, 5, "edited words")
    update["edited_message"] = update.pop("message")
    update["edited_message"]["edit_date"] = update["edited_message"]["date"]
    meaning = _meaning(update)
    assert isinstance(meaning, ChannelMessage) and meaning.text == "edited words"


@pytest.mark.parametrize(
    ("data", "option"), [("talk", "talk"), ("x" * 64, "stale"), ("<b>", "stale"), ("", "stale")]
)
def test_callback_data_is_validated(data: str, option: str) -> None:
    meaning = _meaning(callback_update(7, 5, data))
    assert isinstance(meaning, ChannelMessage)
    assert (meaning.kind, meaning.option) == (Kind.OPTION, option)


def test_groups_get_a_notice_only_when_addressed() -> None:
    assert _meaning(message_update(8, -9, "/start", chat_type="group")) == GroupNotice(-9)
    assert _meaning(message_update(9, -9, "hi all", chat_type="supergroup")) is None


def test_replies_are_escaped_html_with_a_keyboard_on_the_last_part() -> None:
    body = {"text": "<b>Ann</b> & co\n" + "word " * 2000, "options": [["menu", "Menu"]]}
    parts = render(body)
    assert len(parts) == 3
    assert parts[0][0].startswith("&lt;b&gt;Ann&lt;/b&gt; &amp; co")
    assert all(len(text) <= 4096 for text, _ in parts)
    assert [markup is None for _, markup in parts] == [True, True, False]
    markup = parts[-1][1]
    assert markup is not None
    assert markup.inline_keyboard[0][0].callback_data == "menu"


def test_split_prefers_paragraphs_then_words() -> None:
    text = "a" * 3000 + "\n\n" + "b" * 3000
    assert split_text(text) == ["a" * 3000, "b" * 3000]
    assert all(len(p) <= 4096 for p in split_text("x" * 10_000))
    assert "".join(split_text("x" * 10_000)) == "x" * 10_000


async def test_replies_to_one_chat_are_paced_about_a_second_apart() -> None:
    import asyncio

    from bot.channels.telegram import TelegramSender

    sent: list[tuple[str, float]] = []

    class Bot:
        async def send_message(self, chat_id: int, **kwargs: Any) -> None:
            sent.append((str(chat_id), asyncio.get_running_loop().time()))

    sender = TelegramSender(Bot())  # type: ignore[arg-type]
    body = {"text": "hello", "options": []}
    await sender.send("1", body)
    await sender.send("2", body)  # another chat: no wait
    await sender.send("1", body)
    assert sent[1][1] - sent[0][1] < 0.5
    assert sent[2][1] - sent[0][1] >= 0.95


async def test_a_reply_whose_links_the_bot_api_refuses_is_sent_again_unlinked() -> None:
    from telegram.error import BadRequest

    from bot.channels.telegram import TelegramSender

    sent: list[str] = []

    class Bot:
        async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
            if "<a href" in text:
                raise BadRequest("Can't parse entities: unsupported URL protocol")
            sent.append(text)

    sender = TelegramSender(Bot())  # type: ignore[arg-type]
    await sender.send("1", {"text": "Samaritans: call 116 123 <now>", "options": []})
    assert sent == ["Samaritans: call 116 123 &lt;now&gt;"]
