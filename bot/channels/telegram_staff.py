"""Telegram supporter mode: a supporter's linked chat becomes a small desk.

A chat linked with a one-time code from the dashboard (``/link CODE``) is a
supporter's, never a person's: its messages never reach the people's inbox. From it a
supporter gets queue alerts and can ``/next``, reply, ``/end``, ``/release``,
``/switch``, ``/queue``, ``/break`` and ``/shift on|off``. Answers go through the
staff outbox like every alert, so they are stored before they are sent.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.constants import ChatType

from bot.channels.commands import parse_command
from bot.peer import queue, rules
from bot.peer.desk import OUTCOMES, Desk
from bot.peer.risk_names import named
from bot.service import Service
from bot.store.peer import Handoff, StaffMessage

log = logging.getLogger("waitingroom.telegram")
DEBRIEF_MINUTES = 15
STAFF_COMMANDS = ("link", "next", "end", "release", "switch", "queue", "break", "shift", "help")
# The desk's commands added with the dashboard's desk (issue 16), handled apart.
DESK_COMMANDS = ("transfer", "escalate", "debrief")


def _command(text: str) -> tuple[str, list[str]] | None:
    found = parse_command(text)
    return None if found is None else (found.name, list(found.args))


class SupporterChats:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.store = service.store
        self.desk = Desk(service)
        self.wording = service.wording

    async def handle(self, update: Update) -> bool:
        """Act on a supporter's update; False if the chat is not a supporter's (a person's
        message, for the people's inbox)."""
        chat = update.effective_chat
        message = update.message
        if chat is None or chat.type != ChatType.PRIVATE:
            return False
        text = (message.text or "") if message is not None else ""
        command = _command(text)
        supporter = await self.store.peer.supporter_for_chat(str(chat.id))
        if supporter is None:
            if command is not None and command[0] == "link" and command[1]:
                await self._link(str(chat.id), command[1][0], str(update.update_id))
                return True
            return False
        if not await self.store.peer.first_time(f"tg:{update.update_id}"):
            return True  # a retried webhook: acted on already
        if message is None or not text:
            return True  # buttons and media from a supporter's chat are ignored
        await self._act(supporter, command, text)
        return True

    async def _link(self, chat_id: str, code: str, update_id: str) -> None:
        staff = getattr(self.store, "staff", None)
        linked = None
        if staff is not None and await self.store.peer.first_time(f"tg:{update_id}"):
            linked = await staff.link_telegram(code, chat_id)
        if linked is None:
            # Said to an unknown chat: the same words whatever was wrong with the code.
            return
        await self._tell(linked.id, "staff_linked", supporter=linked.display_name)

    async def _tell(self, supporter_id: str, template: str, **values: Any) -> None:
        text = self.wording.ui(template, **values)
        await self.store.peer.alert([StaffMessage(f"supporter:{supporter_id}", text)])
        self.service.wake_senders()

    async def _act(
        self, supporter: dict[str, Any], command: tuple[str, list[str]] | None, text: str
    ) -> None:
        me = str(supporter["id"])
        if command is None:
            focus = await self.store.peer.focus(me)
            if focus is None or not await self.desk.say(me, focus, text):
                await self._tell(me, "staff_no_conversation")
            return
        name, args = command
        if name == "next":
            handoff = await self.desk.take(me)
            if handoff is None:
                await self._tell(me, "staff_nobody")
                return
            await self.store.peer.focus(me, handoff.id)
            history = await self.store.peer.history(handoff.person_id)
            await self._tell(
                me,
                "staff_taken",
                person=handoff.person,
                topic=handoff.topic,
                urgent=handoff.was_urgent,
                carer=handoff.audience == "carer",
                notes=[h.handover_note for h in history if h.handover_note][:3],
                raised=await self._raised(handoff),
            )
        elif name in ("end", "release"):
            focus = await self.store.peer.focus(me)
            if focus is None:
                await self._tell(me, "staff_no_conversation")
            elif name == "release":
                await self.desk.release(me, focus)
                await self._tell(me, "staff_released")
            else:
                tags = [a for a in args if a in OUTCOMES]
                ended = await self.desk.end(
                    me, focus, tags, " ".join(a for a in args if a not in OUTCOMES)
                )
                await self._tell(me, "staff_ended", person=ended.person if ended else "")
        elif name == "switch":
            mine = {h.person.lower(): h.id for h in await self.store.peer.mine(me)}
            wanted = args[0].lower() if args else ""
            if wanted in mine:
                await self.store.peer.focus(me, mine[wanted])
                await self._tell(me, "staff_switched", person=args[0])
            else:
                await self._tell(me, "staff_mine", people=sorted(mine))
        elif name == "queue":
            waiting = await self.store.peer.waiting()
            now = self.service.clock()
            mine_now = await self.store.peer.mine(me)
            await self._tell(me, "staff_queue", waiting=waiting, mine=mine_now, now=now)
        elif name == "shift" and args and args[0].lower() in ("on", "off"):
            await self.store.staff.set_shift(me, args[0].lower() == "on")
            await self._tell(me, "staff_shift", on=args[0].lower() == "on")
        elif name == "break":
            minutes = int(args[0]) if args and args[0].isdigit() else 15
            minutes = max(5, min(minutes, 120))
            await self.store.peer.take_break(me, "break", minutes)
            await self._tell(me, "staff_break", minutes=minutes)
        elif name in DESK_COMMANDS:
            await self._desk_command(me, name, args)
        else:
            await self._tell(me, "staff_help", outcomes=OUTCOMES)

    async def _desk_command(self, me: str, name: str, args: list[str]) -> None:
        """/transfer NAME [note], /escalate [N], /debrief: as on the dashboard's desk."""
        if name == "debrief":
            reached = await self.desk.debrief(me, DEBRIEF_MINUTES)
            await self._tell(me, "staff_debrief_asked", reached=reached, minutes=DEBRIEF_MINUTES)
            return
        focus = await self.store.peer.focus(me)
        if focus is None:
            await self._tell(me, "staff_no_conversation")
            return
        if name == "escalate":
            ladder = self.desk.ladder()
            number = int(args[0]) if args and args[0].isdigit() else 0
            if not 1 <= number <= len(ladder):
                await self._tell(me, "staff_ladder", ladder=[r.label for r in ladder])
                return
            told = await self.desk.escalate(me, focus, ladder[number - 1].id)
            await self._tell(
                me,
                "staff_escalated",
                reached=bool(told),
                rung=ladder[number - 1].label,
                ladder=[r.label for r in ladder],
            )
            return
        targets = await self._transfer_targets(me)
        wanted = args[0].lower() if args else ""
        chosen = next((t for t in targets if t[1].lower() == wanted), None)
        if chosen is None or not await self.desk.transfer(me, focus, chosen[0], " ".join(args[1:])):
            await self._tell(me, "staff_transfer_none", names=[t[1] for t in targets])
            return
        await self._tell(me, "staff_transfer_done", supporter=chosen[1])

    async def _raised(self, handoff: Handoff) -> list[str]:
        """The reviewed names of what the risk check raised in this handoff's lines."""
        start, end = rules.window(
            handoff.joined_at,
            handoff.ended_at,
            await self.store.peer.previous_end(handoff.person_id, handoff.id),
        )
        lines = await self.store.peer.conversation(handoff.person_id, start, end)
        risk = [line["risk"] for line in lines if rules.raised_by(line["risk"])]
        return named(
            self.wording.risk_names(),
            sorted({c for r in risk for c in r["categories"]})
            + sorted({i for r in risk for i in r["rules"]}),
        )

    async def _transfer_targets(self, me: str) -> list[tuple[str, str]]:
        """(id, display name) of on-shift supporters with room to take a transfer."""
        desks = await self.store.peer.desks()
        now = self.service.clock()
        room = queue.transfer_targets(
            [
                queue.Desk(
                    str(r["id"]),
                    bool(r["on_shift"]),
                    int(r["caseload_cap"]),
                    int(r["active"]),
                    break_until=datetime.fromisoformat(r["break_until"])
                    if r["break_until"]
                    else None,
                )
                for r in desks
            ],
            me,
            now,
        )
        ids = {d.id for d in room}
        return [(str(r["id"]), str(r["display_name"])) for r in desks if r["id"] in ids]
