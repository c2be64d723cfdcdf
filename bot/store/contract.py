"""The store's contract: what the service, the channels and the web ask of a store,
grouped by concern, as ``typing.Protocol``s. ``bot.store.Store`` (SQLite or PostgreSQL
behind one ``Database``) is the implementation; mypy checks that it satisfies
``StoreContract`` (the assignment at the end of ``bot/store/store.py``), and
``tests/store/test_contract.py`` runs one body of tests against every database.

Callers type against these, not against ``Store``: a second implementation (or a test
double) is anything that satisfies them. The records they take and give are in
``bot.store.records``. Every method is one transaction; times (``at``) default to the
store's clock.

The database seam (``db``) is still in the contract for what is not yet a method: the
coordination of several processes (``lead``, ``listen``, ``publish``, ``shared``) and
the report queries of ``bot.store.figures`` and ``bot.reports``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.peer import rules
from bot.staff import link_codes, lockout
from bot.staff.models import DEFAULT_CAP, Role, Supporter
from bot.staff.sessions import Session

from .database import LATEST_VERSION, Database
from .directory import Change, HistoryItem, StoredEntry
from .privacy import Block, PurgeResult
from .records import (
    Count,
    DeliveryOutcome,
    DeliveryReport,
    FailedDelivery,
    Handoff,
    OutboxItem,
    Received,
    RiskMessage,
    ShiftFigures,
    StaffMessage,
    StoredInbound,
    Turn,
)
from .wait import Compose

Render = Callable[..., tuple[str, dict[str, Any]]]


class Inbox(Protocol):
    """Inbound messages, people and their addresses, web chat tokens, and turns."""

    async def receive(
        self,
        channel: str,
        address: str,
        message_id: str,
        kind: str,
        body: dict[str, Any],
        at: datetime | None = None,
        *,
        opt_out: bool | None = None,
    ) -> Received:
        """Store one inbound message, once; the person is created on first contact.

        ``opt_out`` records, in the same transaction, that the message opted the address
        out of messages (True) or back in (False); a duplicate changes nothing."""
        ...

    async def person_for(self, channel: str, address: str) -> str | None: ...

    async def issue_web_token(self, token_hash: str, at: datetime | None = None) -> None:
        """Remember that this service issued a web chat token (by its hash)."""
        ...

    async def web_token_issued(self, token_hash: str) -> bool:
        """Whether a web chat token was issued here (or is a conversation's address)."""
        ...

    async def mark_unreachable(self, channel: str, address: str, reason: str) -> None:
        """Stop trying this address: its pending replies fail now, with the reason."""
        ...

    async def opted_out(self, channel: str, address: str) -> bool: ...

    async def set_opted_out(self, channel: str, address: str, at: datetime | None = None) -> None:
        """Record an opt-out the provider reported (the first one stands)."""
        ...

    async def unprocessed(self, limit: int = 100) -> list[int]: ...

    async def claim_unprocessed(
        self, lease: timedelta, limit: int = 20, at: datetime | None = None
    ) -> list[int]:
        """As ``unprocessed``, but leased to this caller (another instance on the database
        is not given them meanwhile); a person claimed elsewhere is skipped whole."""
        ...

    async def take_turn(
        self,
        inbox_id: int,
        decide: Callable[[StoredInbound, str | None, str], Turn],
        at: datetime | None = None,
    ) -> str | None:
        """Process one inbound message in one transaction.

        Returns the person whose turn it was (to tell who waits for news), or None if the
        message was already processed.

        ``decide`` gets the message, the stored state (JSON) and the person's locale and
        must not do I/O: it runs while the write lock is held.
        """
        ...


class Outbox(Protocol):
    """Replies waiting to go, and what became of them."""

    async def replies_after(
        self, person_id: str, after_id: int, limit: int = 50
    ) -> list[OutboxItem]:
        """Replies for a channel the person pulls from (web chat, terminal), oldest first."""
        ...

    async def mark_delivered(self, ids: Sequence[int], at: datetime | None = None) -> None: ...

    async def due(
        self,
        channels: Sequence[str],
        limit: int = 50,
        at: datetime | None = None,
        skip: Collection[str] = (),
    ) -> list[OutboxItem]:
        """Replies ready to push, urgent first, then the first reply to each message
        before anyone's later ones, never overtaking an earlier reply to the same person
        (so each person's replies arrive in order); none for the people in ``skip``."""
        ...

    async def claim_due(
        self,
        channels: Sequence[str],
        lease: timedelta,
        limit: int = 20,
        at: datetime | None = None,
        skip: Collection[str] = (),
    ) -> list[OutboxItem]:
        """As ``due``, each reply leased to this caller: every instance can drain the
        outbox without sending a reply twice."""
        ...

    async def release(self, ids: Sequence[int], at: datetime | None = None) -> None:
        """Give back claimed replies not sent: due again at once, for anyone."""
        ...

    async def mark_sent(
        self, outbox_id: int, at: datetime | None = None, channel_message_id: str | None = None
    ) -> None:
        """Handed to the channel; ``channel_message_id`` is the provider's id for it, which
        its delivery reports name."""
        ...

    async def record_delivery(
        self,
        channel: str,
        channel_message_id: str,
        channel_status: str,
        outcome: DeliveryOutcome,
        error: str | None = None,
        retry_in: timedelta | None = None,
        at: datetime | None = None,
    ) -> DeliveryReport | None:
        """Apply a provider's delivery report to the reply that carries its message id.

        Idempotent and order-proof: only a reply still 'sent' moves on (to 'delivered',
        'failed', or back to 'pending' for a retry), so a repeated or late report
        changes nothing. None when no reply has that id."""
        ...

    async def mark_retry(
        self, outbox_id: int, error: str, delay: timedelta, at: datetime | None = None
    ) -> str:
        """Count a failed attempt; after MAX_ATTEMPTS the reply is failed for good.

        Returns the new status."""
        ...

    async def mark_failed(self, outbox_id: int, error: str, at: datetime | None = None) -> None: ...

    async def failed_deliveries(
        self, since: datetime | None = None, limit: int = 1000
    ) -> list[FailedDelivery]:
        """Replies given up on since ``since``, newest first, for leads (the CLI, and the
        dashboard's page when it comes). Never the address: the person id is enough to
        find the conversation, and a phone number is nobody's business.

        A failed reply is never attempted again, so its ``next_attempt_at`` holds the
        moment it was given up (every path to 'failed' sets it)."""
        ...


class Reports(Protocol):
    """Anonymous counts and what was said, for reports, the desk and the safety review."""

    async def record_counts(self, counts: Sequence[Count], at: datetime | None = None) -> None: ...

    async def counts(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Counts in [since, until), oldest first, as rows (at, kind, channel, audience,
        detail, value)."""
        ...

    async def transcript(self, person_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Everything said and answered, in order: (who, when, body)."""
        ...

    async def risk_messages(
        self, person_id: str | None = None, *, handoff_id: int | None = None
    ) -> list[RiskMessage]:
        """The messages that raised a person's risk flag, oldest first, each with the
        rule ids and categories that flagged it (the flag is sticky, so every one counts).

        For a handoff: its person's, up to the end of that conversation if it ended."""
        ...

    async def risk_events(self, person_id: str | None = None) -> list[dict[str, Any]]: ...


class Privacy(Protocol):
    """Retention, forgetting and blocks."""

    async def purge(self, now: datetime, keep: timedelta, *, dry_run: bool = False) -> PurgeResult:
        """Delete what is older than ``now - keep``: messages and replies, people not in
        touch since, expired blocks; and forgotten people's stand-ins that are done."""
        ...

    async def clear_forgotten(self, now: datetime) -> int:
        """Remove forgotten people's stand-ins once their last reply is no longer waiting
        (sent, delivered or failed), or after FAREWELL_GRACE; returns how many."""
        ...

    async def forgotten_waiting(self) -> int:
        """How many stand-ins still hold an address (for tests and the runbook)."""
        ...

    async def block(
        self,
        person_id: str,
        until: datetime,
        reason: str,
        by: str,
        at: datetime | None = None,
    ) -> int:
        """Block a person until a time, with a reason; returns the block's id."""
        ...

    async def unblock(self, person_id: str, at: datetime | None = None) -> int:
        """End every active block on a person now; returns how many were active."""
        ...

    async def active_block(self, person_id: str, at: datetime | None = None) -> Block | None: ...

    async def blocks(self, at: datetime | None = None, *, active_only: bool = False) -> list[Block]:
        """Blocks, newest first; with ``active_only``, only those still in force."""
        ...


class QueueDesk(Protocol):
    """The peer queue and the supporters' desk (``store.peer``)."""

    async def figures(self) -> ShiftFigures: ...

    async def metrics(self, store: object = None) -> Any:
        """The queue right now, for ``/metrics`` (the hook ``app.state.queue_figures``)."""
        ...

    async def waiting(self) -> list[Handoff]: ...

    async def handoff(self, handoff_id: int) -> Handoff | None: ...

    async def mine(self, supporter_id: str) -> list[Handoff]: ...

    async def active(self) -> list[Handoff]: ...

    async def history(self, person_id: str) -> list[Handoff]:
        """Earlier conversations with handover notes, newest first, for the next supporter."""
        ...

    async def lines(self, person_id: str) -> list[dict[str, Any]]:
        """The whole conversation for the supporter's view, in order: the person's words,
        the bot's replies and supporters' messages (outbox key ``peer_message``)."""
        ...

    async def desks(self) -> list[dict[str, Any]]: ...

    async def take(
        self,
        supporter_id: str,
        render: Render,
        handoff_id: int | None = None,
        at: datetime | None = None,
    ) -> Handoff | None:
        """The supporter takes the next person (the queue picks) or a chosen one.

        ``render(name=...)`` gives the "a supporter has joined" reply. None when there
        is nobody to take, the person was taken already, or the supporter has no room."""
        ...

    async def say(
        self,
        supporter_id: str,
        handoff_id: int,
        key: str,
        body: dict[str, Any],
        at: datetime | None = None,
    ) -> bool:
        """A supporter's message to the person in their own live conversation."""
        ...

    async def release(
        self, supporter_id: str, handoff_id: int, render: Render, at: datetime | None = None
    ) -> bool:
        """Back to the queue, keeping their place (their original joining time)."""
        ...

    async def transfer(
        self,
        supporter_id: str,
        handoff_id: int,
        to_id: str,
        render: Render,
        at: datetime | None = None,
        note: str | None = None,
    ) -> bool:
        """Hand a live conversation to a named on-shift supporter with room, with a note
        for them."""
        ...

    async def end(
        self,
        supporter_id: str,
        handoff_id: int,
        outcome: Sequence[str],
        note: str | None,
        render: Render,
        at: datetime | None = None,
        by: str = "supporter",
    ) -> Handoff | None:
        """End a live conversation with outcome tags and a handover note."""
        ...

    async def escalate(
        self,
        supporter_id: str,
        handoff_id: int,
        rung: str,
        alert: StaffMessage,
        at: datetime | None = None,
    ) -> bool:
        """Record that a rung of the escalation ladder was used, and tell the leads."""
        ...

    async def escalations(self, handoff_id: int) -> list[dict[str, Any]]: ...

    async def missed_risk(
        self, supporter_id: str, handoff_id: int, inbox_id: int, at: datetime | None = None
    ) -> bool:
        """Keep a message the risk check should have caught, for the safety review."""
        ...

    async def conversation(
        self, person_id: str, start: datetime | None, end: datetime | None
    ) -> list[dict[str, Any]]:
        """A stretch of a person's conversation, in order, with what the risk check
        found on each of their lines (level, rules and categories of risk_events, by
        inbox id). The caller decides the stretch (``bot.peer.rules.window``)."""
        ...

    async def channel(self, person_id: str) -> str | None:
        """The channel the person wrote on last."""
        ...

    async def previous_end(self, person_id: str, handoff_id: int) -> datetime | None:
        """When the person's handoff before this one ended (or they left the queue)."""
        ...

    async def person_lines_since(self, person_id: str, since: datetime) -> list[int]: ...

    async def mark_seen(self, supporter_id: str, handoff_id: int, upto: int) -> None: ...

    async def add_note(
        self, supporter_id: str, handoff_id: int, text: str, at: datetime | None = None
    ) -> None: ...

    async def notes(self, handoff_id: int) -> list[dict[str, Any]]: ...

    async def record_outcome(
        self, supporter_id: str, handoff_id: int, outcome: Sequence[str], note: str | None
    ) -> Handoff | None:
        """The outcome and note for a conversation the person (or the silence) ended:
        written after the end, kept. Whether it is still in time is the caller's rule.
        (The end itself was counted when it happened.)"""
        ...

    async def muted(self, supporter_id: str) -> list[str]: ...

    async def set_muted(self, supporter_id: str, kinds: Sequence[str]) -> None: ...

    async def leads(self) -> list[tuple[str, bool]]:
        """Active leads as (id, Telegram linked)."""
        ...

    async def to_inbox(
        self,
        kind: str,
        supporter_id: str,
        handoff_id: int | None,
        text: str,
        at: datetime | None = None,
    ) -> None: ...

    async def inbox(self, limit: int = 30) -> list[dict[str, Any]]: ...

    async def inbox_seen(self, item_id: int, lead_id: str, at: datetime | None = None) -> None: ...

    async def record_read(
        self, lead_id: str, handoff_id: int, at: datetime | None = None
    ) -> None: ...

    async def reads(self) -> list[dict[str, Any]]: ...

    async def latest_for(self, person_id: str) -> Handoff | None:
        """The person's newest handoff, open or not (whom a turn's news is for)."""
        ...

    async def person_by_pseudonym(self, name: str) -> str | None:
        """The person a supporter means by "Guest-3FA2C1"; None if nobody or ambiguous."""
        ...

    async def missed(self) -> list[dict[str, Any]]: ...

    async def take_break(
        self,
        supporter_id: str,
        kind: str,
        minutes: int,
        handoff_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """A debrief or a break: off the queue for a while (no new people)."""
        ...

    async def tick(self, render: Render, at: datetime | None = None) -> list[tuple[str, Handoff]]:
        """The queue's clock: position updates for those waiting, "still there?" and a
        kind close for the silent. Returns (what happened, handoff) for supporters."""
        ...

    async def supporter_for_chat(self, chat_id: str) -> dict[str, Any] | None: ...

    async def first_time(self, update_id: str, at: datetime | None = None) -> bool:
        """Record a supporter's Telegram update; False if it was acted on already."""
        ...

    async def focus(self, supporter_id: str, handoff_id: int | None = None) -> int | None:
        """Set (when given) and return the conversation a supporter's messages go to:
        the one set, if still theirs and live, else their only live one."""
        ...

    async def alert(self, messages: Sequence[StaffMessage], at: datetime | None = None) -> None: ...

    async def staff_due(
        self, limit: int = 50, at: datetime | None = None
    ) -> list[dict[str, Any]]: ...

    async def staff_done(
        self,
        item_id: int,
        error: str | None = None,
        retry_in: timedelta | None = None,
        max_attempts: int = rules.STAFF_MAX_ATTEMPTS,
    ) -> None:
        """Sent, or failed: again after ``retry_in``, or for good (no ``retry_in``, or
        ``max_attempts`` reached)."""
        ...


class Staff(Protocol):
    """Supporter accounts, sessions, failed logins, Telegram links (``store.staff``)."""

    async def add_supporter(
        self,
        name: str,
        display_name: str,
        role: Role,
        password_hash: str,
        *,
        caseload_cap: int = DEFAULT_CAP,
        tags: Sequence[str] = (),
        must_change_password: bool = True,
        at: datetime | None = None,
    ) -> Supporter:
        """A new supporter; names are checked by ``bot.staff.models`` before they get here."""
        ...

    async def get(self, supporter_id: str) -> Supporter | None: ...

    async def by_name(self, name: str) -> Supporter | None: ...

    async def by_telegram(self, chat_id: str) -> Supporter | None:
        """The active supporter linked to this Telegram chat, if any."""
        ...

    async def list(self, *, include_disabled: bool = True) -> list[Supporter]: ...

    async def password_hash(self, supporter_id: str) -> str | None: ...

    async def update(
        self,
        supporter_id: str,
        *,
        display_name: str | None = None,
        role: Role | None = None,
        caseload_cap: int | None = None,
        tags: Sequence[str] | None = None,
    ) -> Supporter | None:
        """Change what is given; leave the rest."""
        ...

    async def set_password(
        self,
        supporter_id: str,
        password_hash: str,
        *,
        must_change: bool = False,
        at: datetime | None = None,
    ) -> None:
        """A new password ends every session of theirs; the caller opens a fresh one."""
        ...

    async def rehash_password(self, supporter_id: str, password_hash: str) -> None:
        """The same password under new KDF parameters; sessions stay."""
        ...

    async def disable(self, supporter_id: str, at: datetime | None = None) -> None:
        """No more logins, sessions, shifts or Telegram link; the record stays for history."""
        ...

    async def set_shift(self, supporter_id: str, on: bool) -> None: ...

    async def set_break(self, supporter_id: str, until: datetime | None) -> None: ...

    async def add_session(self, session: Session) -> None:
        """Keep a new session (``bot.staff.sessions.new_session``): only its token's hash."""
        ...

    async def lookup_session(
        self, token: str, at: datetime | None = None
    ) -> tuple[Supporter, Session] | None:
        """The live session for a cookie token and its active supporter; else None.

        An expired session is deleted when it is found."""
        ...

    async def touch_session(self, token_hash: str, at: datetime | None = None) -> None: ...

    async def delete_session(self, token: str) -> None: ...

    async def purge_expired(self, at: datetime | None = None) -> int:
        """Delete sessions past their absolute limit, expired link codes, and failed-login
        counts that are not a live lock (so guessed names do not pile up).

        Idle sessions also go when next looked up. For the daily retention job."""
        ...

    async def login_failures(self, name: str) -> lockout.Failures: ...

    async def change_login_failures(
        self, name: str, change: Callable[[lockout.Failures], lockout.Failures | None]
    ) -> lockout.Failures | None:
        """Read a name's failed logins, apply ``change`` (a rule from ``bot.staff.lockout``)
        and write the result, all in one write transaction, so tries sent at once are
        counted one after another. None from ``change`` leaves the row as it was."""
        ...

    async def clear_login_failures(self, name: str) -> None: ...

    async def add_link_code(self, code: link_codes.LinkCode) -> None:
        """Keep a link code (``bot.staff.link_codes.issue``), by its hash; any earlier code
        of the supporter's stops working."""
        ...

    async def link_telegram(
        self, code: str, chat_id: str, at: datetime | None = None
    ) -> Supporter | None:
        """Link ``chat_id`` to the supporter whose live code this is; the code is used up.

        None for an unknown, expired or used code, or a disabled supporter. A chat linked
        to someone else before is moved to this supporter."""
        ...

    async def unlink_telegram(self, supporter_id: str) -> None: ...


class WhileYouWait(Protocol):
    """Plans, check-ins and feedback (``store.wait``)."""

    async def plan(self, person_id: str) -> dict[str, str] | None: ...

    async def checkins(self, person_id: str) -> list[dict[str, Any]]: ...

    async def feedback(self, person_id: str) -> list[dict[str, Any]]: ...

    async def next_checkin_due(self) -> datetime | None: ...

    async def send_due_checkins(self, now: datetime, compose: Compose) -> list[str]:
        """Send every check-in due by ``now``, one transaction each; returns whose."""
        ...


class Directory(Protocol):
    """The services directory as stored (``store.directory``)."""

    async def entries(self) -> list[StoredEntry]: ...

    async def get(self, entry_id: str) -> StoredEntry | None: ...

    async def version(self) -> tuple[int, str]:
        """Changes whenever any entry does (how many, the latest change): cheap to poll."""
        ...

    async def count(self) -> int: ...

    async def history(self, entry_id: str, limit: int = 200) -> list[HistoryItem]: ...

    async def seed(self, changes: Sequence[Change], at: datetime) -> int:
        """Add the entries whose id is not stored yet (never one a lead has): how many."""
        ...

    async def save(
        self,
        changes: Sequence[Change],
        by: str,
        at: datetime,
        expected: Mapping[str, datetime | None] | None = None,
    ) -> bool:
        """Write every change in one transaction, each with its history line.

        ``expected``: for each id, the ``updated_at`` the lead's page was built from
        (None: the entry must not exist yet). If another change came in between, nothing
        is written and the answer is False, so nobody's edit silently undoes another's.
        """
        ...


class StoreContract(Inbox, Outbox, Reports, Privacy, Protocol):
    """The whole store: its own concerns, and one object per further concern."""

    @property
    def db(self) -> Database: ...
    @property
    def clock(self) -> Clock:
        """The one clock (``bot.clock``): the time of every method not given ``at``."""
        ...

    @property
    def peer(self) -> QueueDesk: ...
    @property
    def staff(self) -> Staff: ...
    @property
    def wait(self) -> WhileYouWait: ...
    @property
    def directory(self) -> Directory: ...

    async def open(self, target: int = LATEST_VERSION) -> StoreContract: ...

    async def close(self) -> None: ...

    async def healthy(self) -> bool: ...
