"""The store: a SQLite file (the default) or PostgreSQL, behind one small interface."""

from .contract import StoreContract
from .database import LATEST_VERSION, Database, is_postgres, migrate, schema_version
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

# PostgreSQL, for a postgresql:// URL: psycopg is loaded only when one is opened.
Database.later(is_postgres, "bot.store.postgres")

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
