"""Every reply the engine can send, as an SMS: GSM-7 only, and within its segment budget.

Two sources, so nothing slips through: real conversations through the service (each
reply with the options it really carries), and every key in ``REPLY_KEYS`` rendered with
the sample values of tests/test_wording.py and each set of options seen for it (every
set seen anywhere, for a key the conversations did not reach)."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.channels.gsm import is_gsm, segments
from bot.channels.sms import render_sms
from bot.config import load_settings
from bot.engine import MENU_OPTIONS, Kind, Reply
from bot.engine.replies import REPLY_KEYS
from bot.service import ChannelMessage, Service, wording_for
from bot.store import Store
from bot.wording import Wording

from ..test_wording import SAMPLES

BUDGET = 3  # segments for any reply
URGENT_BUDGET = 2  # the urgent reply, so the numbers arrive together and fast
URGENT_KEYS = ("urgent",)

# Conversations that between them reach every journey the engine has today.
SCRIPTS: list[list[str | Kind]] = [
    ["hi", "1", "BD18", "more", "more", "more", "menu", "one", "Leeds", "2", "3", "4"],
    ["hello", "5", "yes", "menu", "5", "no", "help", "stop", "forget", "9", "", Kind.UNSUPPORTED],
    ["somewhere to go", "Narnia", "urgent", "menu", "qwertyuiop asdf", "carer", "wait"],
    ["I want to kill myself", "no"],
    ["I want to kill myself", "yes"],
    ["hi", "I feel hopeless, there's no point any more", "no"],
    ["hi", "I can't cope any more", "yes"],
    ["I feel hopeless", "1"],
    ["my husband hits me and I want to die"],
    ["I'm 14 and I want to kill myself"],
    ["my son says he is going to kill himself tonight"],
    ["hi", "2", "urgent", "1"],
    # Carers, while you wait, my plan, check-ins, grounding and feedback.
    ["hi", "3", "2", "2", "1", "BD18", "menu", "carer", "1", "1", "Leeds"],
    ["hi", "4", "3", "3/12", "2", "2", "menu", "wait", "1", "2", "1"],
    ["hi", "wait", "1", "1", "I stop sleeping", "skip", "my mum", "crisis team 0800 952 1181"],
    ["hi", "my plan", "1", "2", "a walk", "2", "yes", "3", "next", "2", "1", "1", "1", "1"],
    ["hi", "wait", "5", "3", "1", "1", "1", "1", "1", "1", "menu", "feedback", "1", "2", "4"],
    ["hi", "feedback", "3", "1", "2", "1", "1", "it helped", "stop"],
    ["hi", "wait", "4", "1", "skip", "skip", "skip", "skip", "2", "3"],
]
_ids = itertools.count()
Seen = dict[str, list[tuple[str, tuple[str, ...]]]]  # key -> (text, option labels)


@pytest.fixture(scope="module")
def wording() -> Wording:
    return wording_for(load_settings({}))


async def _converse(tmp_path: Path) -> Seen:
    seen: Seen = defaultdict(list)
    settings = load_settings({"WAITINGROOM_DB": str(tmp_path / "wr.sqlite3")})
    async with Store(settings.db_path) as store:
        service = Service(settings, store)
        for number, script in enumerate(SCRIPTS):
            address, after = f"+4477009{number:05d}", 0
            for said in script:
                kind = said if isinstance(said, Kind) else Kind.TEXT
                text = said if isinstance(said, str) else ""
                message_id = f"SM{next(_ids)}"
                person, _ = await service.receive(
                    ChannelMessage("sms", address, message_id, kind, text=text)
                )
                await service.process_pending()
                for reply in await service.replies_for(person, after):
                    after = reply["id"]
                    labels = tuple(label for _, label in reply["options"])
                    seen[reply["key"]].append((reply["text"], labels))
    return seen


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Seen:
    return asyncio.run(_converse(tmp_path_factory.mktemp("budget")))


def _sms(text: str, labels: tuple[str, ...], wording: Wording) -> str:
    return render_sms({"text": text, "options": [["x", label] for label in labels]}, wording)


def _check(key: str, sms: str, where: Any) -> None:
    assert is_gsm(sms), (key, where, [c for c in sms if not is_gsm(c)])
    budget = URGENT_BUDGET if key in URGENT_KEYS else BUDGET
    assert segments(sms) <= budget, (key, where, segments(sms), sms)


def _renderings(key: str, seen: Seen, wording: Wording) -> Iterator[tuple[str, Any]]:
    for text, labels in seen.get(key, []):
        yield _sms(text, labels, wording), "in conversation"
    everywhere = {labels for replies in seen.values() for _, labels in replies}
    everywhere.add(tuple(wording.label(option) for option in MENU_OPTIONS))
    option_sets = {labels for _, labels in seen[key]} if key in seen else everywhere
    for values in SAMPLES.get(key, [{}]):
        text = wording.render(Reply(key, dict(values))).text
        for labels in option_sets:
            yield _sms(text, labels, wording), (values, labels)


def test_the_conversations_reach_the_main_replies(seen: Seen) -> None:
    reached = set(seen)
    assert {"greeting", "menu", "urgent", "are_you_safe", "help", "stopped"} <= reached
    journeys = {"carer_urgent", "carer_help", "wait_menu", "plan_show", "checkin_set"}
    assert journeys | {"grounding", "feedback_ask", "feedback_thanks"} <= reached


@pytest.mark.parametrize("key", [*REPLY_KEYS, "safety_net"])
def test_every_reply_fits_its_sms_budget(key: str, seen: Seen, wording: Wording) -> None:
    renderings = list(_renderings(key, seen, wording))
    assert renderings
    for sms, where in renderings:
        _check(key, sms, where)


def test_the_urgent_reply_is_whole_in_two_segments(seen: Seen, wording: Wording) -> None:
    (text, labels), *_ = seen["urgent"]
    sms = _sms(text, labels, wording)
    for number in ("999", "111", "116 123", "85258", "0800 952 1181"):
        assert number in sms
    assert segments(sms) <= URGENT_BUDGET
