-- PostgreSQL twin of migrations/0010_web_sessions.sql: same tables, PostgreSQL types (keep the two in step).
-- Web chat tokens the service issued, by SHA-256 only (the token lives in the browser):
-- a token that was never issued is refused rather than becoming a new person. Tokens in
-- use before this migration are known by their address, so they keep working.
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);
CREATE INDEX web_sessions_created ON web_sessions (created_at);
