"""The store: one SQLite file behind a small interface the engine never sees."""

from .database import LATEST_VERSION, Database, migrate, schema_version
from .store import (
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
    "LATEST_VERSION",
    "Database",
    "DeliveryReport",
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
