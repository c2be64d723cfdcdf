-- PostgreSQL twin of migrations/0002_risk_events.sql: same tables, PostgreSQL types (keep the two in step).
-- Risk decisions for audit and reports: rule ids and rule-set version, never message text.
-- person_id is cleared when a person is forgotten, so the counts survive anonymously.
CREATE TABLE risk_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    person_id TEXT REFERENCES people (id) ON DELETE SET NULL,
    inbox_id BIGINT REFERENCES inbox (id) ON DELETE SET NULL,
    level TEXT NOT NULL CHECK (level IN ('concern', 'urgent')),
    categories TEXT NOT NULL,            -- JSON list
    rules TEXT NOT NULL,                 -- JSON list
    ruleset_version TEXT NOT NULL,
    alerted INTEGER NOT NULL
);
CREATE INDEX risk_events_at ON risk_events (at);
