-- PostgreSQL twin of migrations/0008_wait.sql: same tables, PostgreSQL types (keep the two in step).
-- While you wait: each person's plan, their check-ins, and feedback.
-- All three hold something about a person (their own words, when they asked to be
-- messaged), so all go with the person: forgetting and retention purges remove them.
-- Reports never read these tables; they read the anonymous counts (0005).
CREATE TABLE plans (
    person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    sections TEXT NOT NULL,              -- JSON: section id -> the person's own words
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE checkins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,               -- where they asked for it, so where it goes
    kind TEXT NOT NULL,                  -- hour, hour_night, evening, morning, day
    due_at TEXT NOT NULL,                -- UTC
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'cancelled', 'failed')),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    outbox_id BIGINT REFERENCES outbox (id) ON DELETE SET NULL
);
CREATE INDEX checkins_due ON checkins (due_at) WHERE status = 'pending';
CREATE INDEX checkins_person ON checkins (person_id);

-- The sentence is free text, so feedback goes with the person (CASCADE, not SET NULL):
-- the answers live on anonymously in counts, which is all reports need.
CREATE TABLE feedback (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    about TEXT NOT NULL,                 -- peer or signpost
    answers TEXT NOT NULL,               -- JSON: statement id -> 1, 0.5 or 0
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX feedback_person ON feedback (person_id);
