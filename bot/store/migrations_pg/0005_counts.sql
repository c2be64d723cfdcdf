-- PostgreSQL twin of migrations/0005_counts.sql: same tables, PostgreSQL types (keep the two in step).
-- Anonymous counts for reports: no person id, no message text, nothing to link back.
-- They are what survives retention and "forget me": a lead's reports read only these
-- (and risk_events, whose person_id is cleared on forgetting).
CREATE TABLE counts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,                    -- UTC; reports bucket by the service's local day
    kind TEXT NOT NULL,                  -- e.g. contact, signpost, queue_wait (see store.COUNT_KINDS)
    channel TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',   -- '' (the person themself) or 'carer'
    detail TEXT NOT NULL DEFAULT '',     -- e.g. a directory entry id, a feedback statement
    value DOUBLE PRECISION                           -- e.g. seconds waited
);
CREATE INDEX counts_kind_at ON counts (kind, at);
