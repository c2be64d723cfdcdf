"""The store: a SQLite file (the default) or PostgreSQL, behind one small interface."""

from . import postgres as _postgres  # registers PostgreSQL as a Database  # noqa: F401
from .contract import StoreContract
from .database import LATEST_VERSION, Database, migrate, schema_version
from .privacy import Block, PurgeResult
from .store import (
    COUNT_KINDS,
    Count,
    DeliveryReport,
    FailedDelivery,
    OutboxItem,
    Outgoing,
    Received,
    RiskMessage,
    RiskRecord,
    Store,
    StoredInbound,
    Turn,
)
from .wait import (
    CheckinBooked,
    CheckinsCancelled,
    CheckinTurn,
    FeedbackNote,
    FeedbackSaved,
    PlanSaved,
    WaitChange,
    WaitRecords,
)

__all__ = [
    "COUNT_KINDS",
    "LATEST_VERSION",
    "Block",
    "CheckinBooked",
    "CheckinTurn",
    "CheckinsCancelled",
    "Count",
    "Database",
    "DeliveryReport",
    "FailedDelivery",
    "FeedbackNote",
    "FeedbackSaved",
    "OutboxItem",
    "Outgoing",
    "PlanSaved",
    "PurgeResult",
    "Received",
    "RiskMessage",
    "RiskRecord",
    "Store",
    "StoreContract",
    "StoredInbound",
    "Turn",
    "WaitChange",
    "WaitRecords",
    "migrate",
    "schema_version",
]
