-- PostgreSQL twin of migrations/0009_privacy.sql: same tables, PostgreSQL types (keep the two in step).
-- Privacy and operations: lead blocks, and people who asked to be forgotten.
--
-- A block holds back ordinary replies to one person for a set time (urgent replies
-- always go). created_by is the supporter's id as plain text: supporters live in another
-- table, and a block must outlive the supporter's account.
CREATE TABLE blocks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    until TEXT NOT NULL,                 -- UTC; the block ends then (or when lifted)
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX blocks_person ON blocks (person_id, until);

-- "Forget me": the person is deleted at once; what is left is a stand-in person holding
-- only their address and the one reply that says so, until it is delivered (or a day
-- has passed). A new message from that address clears the mark: a brand-new person.
ALTER TABLE people ADD COLUMN forgotten_at TEXT;
CREATE INDEX people_forgotten ON people (forgotten_at) WHERE forgotten_at IS NOT NULL;
