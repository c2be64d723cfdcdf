"""The store: one SQLite file behind a small interface the engine never sees."""

from .database import LATEST_VERSION, Database, migrate, schema_version
from .privacy import Block, PurgeResult
from .store import (
    COUNT_KINDS,
    Count,
    DeliveryReport,
    OutboxItem,
    Outgoing,
    Received,
    RiskRecord,
    Store,
    StoredInbound,
    Turn,
)

__all__ = [
    "COUNT_KINDS",
    "LATEST_VERSION",
    "Block",
    "Count",
    "Database",
    "DeliveryReport",
    "OutboxItem",
    "Outgoing",
    "PurgeResult",
    "Received",
    "RiskRecord",
    "Store",
    "StoredInbound",
    "Turn",
    "migrate",
    "schema_version",
]
