-- PostgreSQL twin of migrations/0017_inbox_claims.sql: same tables, PostgreSQL types (keep the two in step).
-- More than one instance on one database (issue 18): a processor claims a batch of
-- unprocessed messages before taking their turns, so two instances do not queue for the
-- same messages. A claim is a lease: if its instance dies, the messages are anyone's
-- again once it runs out. Unused (always NULL) with one instance on SQLite.
ALTER TABLE inbox ADD COLUMN claimed_until TEXT;
