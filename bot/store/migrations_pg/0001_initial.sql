-- PostgreSQL twin of migrations/0001_initial.sql: same tables, PostgreSQL types (keep the two in step).
-- People, their channel addresses (kept apart), conversation state, inbox and outbox.
CREATE TABLE people (
    id TEXT PRIMARY KEY,                 -- pseudonymous id; the only id other tables use
    created_at TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en-GB'
);

CREATE TABLE addresses (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,               -- phone number, Telegram chat id, hashed web token
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (channel, address)
);
CREATE INDEX addresses_person ON addresses (person_id);

CREATE TABLE conversations (
    person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE inbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel TEXT NOT NULL,
    channel_message_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,                  -- JSON: text, option, command, coordinates
    received_at TEXT NOT NULL,
    processed_at TEXT,
    UNIQUE (channel, channel_message_id)
);
CREATE INDEX inbox_unprocessed ON inbox (id) WHERE processed_at IS NULL;
CREATE INDEX inbox_person ON inbox (person_id, id);

CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    inbox_id BIGINT REFERENCES inbox (id) ON DELETE SET NULL,
    message_key TEXT NOT NULL,
    body TEXT NOT NULL,                  -- JSON: rendered text and options
    urgent INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_pending ON outbox (channel, urgent DESC, id) WHERE status = 'pending';
CREATE INDEX outbox_person ON outbox (person_id, id);
