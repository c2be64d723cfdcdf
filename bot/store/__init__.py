"""The store: one SQLite file behind a small interface the engine never sees."""

from .database import LATEST_VERSION, Database, migrate, schema_version
from .store import (
    COUNT_KINDS,
    Count,
    DeliveryReport,
    FailedDelivery,
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
    "Count",
    "Database",
    "DeliveryReport",
    "FailedDelivery",
    "OutboxItem",
    "Outgoing",
    "Received",
    "RiskRecord",
    "Store",
    "StoredInbound",
    "Turn",
    "migrate",
    "schema_version",
]
