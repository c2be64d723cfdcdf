-- PostgreSQL twin of migrations/0007_peer.sql: same tables, PostgreSQL types (keep the two in step).
-- The peer queue: one handoff per request to talk, from joining to the end.
-- supporter ids are plain text (no foreign key) so that the record of who took whom
-- outlives a supporter's account.
CREATE TABLE handoffs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'ended', 'left')),
    priority INTEGER NOT NULL DEFAULT 0,   -- risk level: 0 none, 1 concern, 2 urgent
    was_urgent INTEGER NOT NULL DEFAULT 0,
    audience TEXT NOT NULL DEFAULT '',     -- 'carer' routes to carer peers
    topic TEXT,                            -- the person's own line, optional
    joined_at TEXT NOT NULL,
    off_shift INTEGER NOT NULL DEFAULT 0,  -- joined with nobody on shift (a message left)
    taken_at TEXT,
    supporter_id TEXT,
    ended_at TEXT,
    ended_by TEXT,                         -- 'supporter', 'person', 'silence'
    outcome TEXT,                          -- JSON list of outcome tags
    handover_note TEXT,                    -- for the next supporter; no address, ever
    position_sent INTEGER,
    position_sent_at TEXT,
    last_person_at TEXT,
    still_there_at TEXT
);
CREATE UNIQUE INDEX handoffs_open ON handoffs (person_id) WHERE status IN ('waiting', 'active');
CREATE INDEX handoffs_status ON handoffs (status, priority DESC, joined_at);

CREATE TABLE escalations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handoff_id BIGINT NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    supporter_id TEXT NOT NULL,
    rung TEXT NOT NULL,
    at TEXT NOT NULL
);

-- A message the risk check should have caught, kept for the safety review. Its text is
-- a copy (the inbox is purged sooner) and goes when the person is forgotten.
CREATE TABLE missed_risk (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT REFERENCES people (id) ON DELETE CASCADE,
    inbox_id BIGINT REFERENCES inbox (id) ON DELETE SET NULL,
    supporter_id TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Alerts and relayed messages for supporters on Telegram, stored before they are sent,
-- like the people's outbox. Text is rendered from templates (or is the person's own).
CREATE TABLE staff_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supporter_id TEXT NOT NULL,
    -- Whose words a relay carries, so forgetting them removes it too.
    person_id TEXT REFERENCES people (id) ON DELETE CASCADE,
    chat_id TEXT NOT NULL,
    body TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX staff_outbox_pending ON staff_outbox (urgent DESC, id) WHERE status = 'pending';

-- Debriefs and breaks offered and taken, so leads can see supporters are looked after.
CREATE TABLE supporter_breaks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supporter_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('debrief', 'break')),
    handoff_id BIGINT REFERENCES handoffs (id) ON DELETE SET NULL,
    at TEXT NOT NULL,
    minutes INTEGER
);

-- Supporters on Telegram: which live conversation their plain messages go to, and the
-- updates already acted on, so a retried webhook never acts twice.
ALTER TABLE supporters ADD COLUMN telegram_focus BIGINT;
CREATE TABLE staff_updates (
    update_id TEXT PRIMARY KEY,
    at TEXT NOT NULL
);
