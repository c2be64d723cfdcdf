"""Group commits: the writes that arrive together go in one transaction, and each
caller is answered once that transaction has committed.

Storing what people send used to be one transaction per message, each waiting for the
single writer behind the one before it (and behind any turn in between). With this, a
caller puts its item on a queue and awaits it; one drain task takes everything queued,
writes it all in one transaction (the writer's fast lane), commits, and only then
answers every caller. While that transaction runs the next items queue up, so under load
the groups grow by themselves, and a quiet service still writes each item at once (a
group of one). It knows no tables: the store passes the function that writes one item,
and, on a database where writes of different keys run at once (PostgreSQL), the key
each item touches: a group's transaction takes all of its items' keys.

Nothing is answered before it is committed. If a group fails (a row that cannot be
stored, the commit itself), all of it is rolled back and each item is tried again in a
transaction of its own, so one bad item never fails the others; whichever fails alone
raises to its caller, and the channel answers as for any failure to store (Telegram and
Twilio retry, the web chat shows the safety net). Cancelled (stopping), every item not
yet committed fails. The write function must await nothing but the connection
(``Database.run``: SQLite runs a whole group in its thread in one go), and must be safe
to run again after a rollback (the store's looks for the message first, so a message
sent twice, even twice in one group, is stored once: the transaction sees its own rows).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from .database import Database, Key

Item = TypeVar("Item")
Result = TypeVar("Result")
# Enough that one transaction stays short (a few milliseconds); the rest go next.
MAX_GROUP = 200


class NotWritten(Exception):
    """Stopping cancelled the group this item was in: it was not written."""


def _fail(done: asyncio.Future[Any], error: BaseException) -> None:
    if not done.done():
        done.set_exception(error)
        # Retrieved here, so a caller that gave up (a client hanging up) leaves no
        # "exception never retrieved" behind; a caller still waiting gets it raised.
        done.add_done_callback(lambda f: f.exception())


class GroupWriter(Generic[Item, Result]):
    """The queue callers await, and the one task that writes it in groups."""

    def __init__(
        self,
        db: Database,
        write_one: Callable[[Any, Item], Awaitable[Result]],
        *,
        first: bool = True,
        max_group: int = MAX_GROUP,
        key: Callable[[Item], str] | None = None,
    ) -> None:
        self.db = db
        self._write_one = write_one
        self._key = key
        self._first = first
        self.max_group = max_group
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._task: asyncio.Task[None] | None = None
        # Groups and items committed so far (for tests and benchmarks).
        self.groups = 0
        self.written = 0

    async def write(self, item: Item) -> Result:
        """Committed when this returns; raises if it was not."""
        done: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="group-writer")
        # A caller that gives up (a client hanging up) still has its item written.
        return await asyncio.shield(done)

    async def flush(self) -> None:
        """Wait until everything queued so far is written (or has failed)."""
        while self._task is not None and not self._task.done():
            await asyncio.wait([self._task])

    async def _drain(self) -> None:
        while self._queue:
            group = self._queue[: self.max_group]
            del self._queue[: self.max_group]
            try:
                await self._write_group(group)
            except BaseException:
                for _, done in group + self._queue:
                    _fail(done, NotWritten("cancelled"))
                self._queue = []
                raise

    async def _write_group(self, group: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            keys: Key = None if self._key is None else [self._key(item) for item, _ in group]

            async def write_all(conn: Any) -> list[Result]:
                return [await self._write_one(conn, item) for item, _ in group]

            results = await self.db.run(write_all, first=self._first, key=keys)
        except Exception as error:
            if len(group) == 1:
                _fail(group[0][1], error)
                return
            # Rolled back, so none of it is written: each alone, so one bad item fails alone.
            for one in group:
                await self._write_group([one])
            return
        # Committed: only now is anyone told.
        self.groups += 1
        self.written += len(group)
        for (_, done), result in zip(group, results, strict=True):
            if not done.done():
                done.set_result(result)
