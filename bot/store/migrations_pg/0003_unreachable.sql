-- PostgreSQL twin of migrations/0003_unreachable.sql: same tables, PostgreSQL types (keep the two in step).
-- A person who blocked the bot (or opted out) is unreachable on that channel until they
-- write again: nothing is retried forever.
ALTER TABLE addresses ADD COLUMN unreachable_at TEXT;
