"""A fake Telegram Bot API on loopback: answers what the service calls, records it all,
and fails on request (429 with retry_after, 5xx, 403, hanging, or down until told)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .conftest import free_port
from .loopback import LoopbackServer

BOT = {"id": 4242, "is_bot": True, "first_name": "Waiting Room", "username": "wr_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)  # when it arrived (bench latencies)


@dataclass
class FakeBotAPI:
    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[tuple[int, int | None]]] = field(default_factory=dict)
    # method -> the status every call gets while the API is "down"
    down: dict[str, int] = field(default_factory=dict)
    hangs: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loopback: LoopbackServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def fail_next(
        self, method: str, status: int, retry_after: int | None = None, times: int = 1
    ) -> None:
        with self._lock:
            self.failures.setdefault(method, []).extend([(status, retry_after)] * times)

    def set_down(self, method: str, status: int | None) -> None:
        """Fail every call to ``method`` with ``status`` until called again with None."""
        with self._lock:
            if status is None:
                self.down.pop(method, None)
            else:
                self.down[method] = status

    def hang_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Hold the next calls for ``seconds`` (past the client's timeout), then fail them."""
        with self._lock:
            self.hangs.setdefault(method, []).extend([seconds] * times)

    def queue_update(self, update: dict[str, Any]) -> None:
        with self._lock:
            self.updates.append(update)

    def called(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [call.params for call in self.calls if call.method == method]

    def delivered(self, method: str) -> list[dict[str, Any]]:
        """The calls that succeeded (a failed send delivered nothing)."""
        with self._lock:
            return [c.params for c in self.calls if c.method == method and c.status == 200]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.called(method)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{method} called {len(self.called(method))} times, wanted {count}")

    async def _handle(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        else:
            params = dict(await request.form())
        call = Call(method, dict(params))
        with self._lock:
            self.calls.append(call)
            failure = self.failures.get(method, [])
            status, retry_after = failure.pop(0) if failure else (200, None)
            status = self.down.get(method, status)
            hangs = self.hangs.get(method, [])
            hang = hangs.pop(0) if hangs else 0.0
            call.status = 504 if hang else status
        if hang:
            await asyncio.sleep(hang)
            status = 504
        if status != 200:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": f"fake failure {status}",
            }
            if status == 403:
                body["description"] = "Forbidden: bot was blocked by the user"
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
                body["description"] = f"Too Many Requests: retry after {retry_after}"
            return JSONResponse(body, status_code=status)
        return JSONResponse({"ok": True, "result": await self._result(method, params)})

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "sendMessage":
            return {
                "message_id": len(self.calls),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT,
                "text": params.get("text", ""),
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
            while True:
                with self._lock:
                    ready = [u for u in self.updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    return ready
                await asyncio.sleep(0.05)
        return True

    def start(self) -> FakeBotAPI:
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"])]
        )
        self._loopback = LoopbackServer(app, self.port)
        self._loopback.start()
        return self

    def stop(self) -> None:
        if self._loopback is not None:
            self._loopback.stop()


def message_update(
    update_id: int, chat_id: int, text: str | None = None, chat_type: str = "private", **extra: Any
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": chat_type, "first_name": "Ann"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ann", "username": "ann_private"},
        **extra,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/") and text[1:2].strip():
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
    return {"update_id": update_id, "message": message}


def callback_update(update_id: int, chat_id: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "chat_instance": "ci",
            "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ann"},
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "menu",
            },
        },
    }


def keyboard(params: dict[str, Any]) -> list[str]:
    """The callback data of each button in a sendMessage's inline keyboard."""
    markup = params.get("reply_markup")
    if not markup:
        return []
    data = json.loads(markup) if isinstance(markup, str) else markup
    return [row[0]["callback_data"] for row in data["inline_keyboard"]]
