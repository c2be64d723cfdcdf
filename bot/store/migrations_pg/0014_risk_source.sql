-- PostgreSQL twin of migrations/0014_risk_source.sql: same tables, PostgreSQL types (keep the two in step).
-- What raised a risk event: the risk check reading a message ('message'), or a safety
-- answer such as "No, I'm not safe" ('answer'). inbox_id already names the message, so
-- the desk can show the words beside the flag; the words themselves stay in the inbox.
ALTER TABLE risk_events ADD COLUMN source TEXT NOT NULL DEFAULT 'message'
    CHECK (source IN ('message', 'answer'));
CREATE INDEX risk_events_person ON risk_events (person_id, id);
