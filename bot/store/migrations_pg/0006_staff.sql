-- PostgreSQL twin of migrations/0006_staff.sql: same tables, PostgreSQL types (keep the two in step).
-- Peer supporters: accounts, dashboard sessions, Telegram link codes, failed logins.
-- Nothing here is about a person who writes in; supporters are staff and volunteers.
-- SQLite's COLLATE NOCASE: equality and uniqueness ignore case (ICU, built into
-- Debian's and the official images' PostgreSQL).
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE supporters (
    id TEXT PRIMARY KEY,                              -- 's-' + hex
    name TEXT COLLATE nocase NOT NULL UNIQUE,         -- login name
    display_name TEXT NOT NULL,                       -- the first name people see
    role TEXT NOT NULL DEFAULT 'supporter' CHECK (role IN ('supporter', 'lead')),
    password_hash TEXT NOT NULL,                      -- argon2id, PHC string
    caseload_cap INTEGER NOT NULL DEFAULT 2 CHECK (caseload_cap BETWEEN 1 AND 10),
    tags TEXT NOT NULL DEFAULT '[]',                  -- JSON list, e.g. ["carer", "language:pl"]
    on_shift INTEGER NOT NULL DEFAULT 0,
    break_until TEXT,                                 -- UTC; off the queue until then
    telegram_chat_id TEXT UNIQUE,
    disabled_at TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 1
);

-- Only a SHA-256 of the cookie token is kept: a copy of the file lets nobody in.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    supporter_id TEXT NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL                          -- the absolute limit
);
CREATE INDEX staff_sessions_supporter ON staff_sessions (supporter_id);

CREATE TABLE telegram_link_codes (
    code_hash TEXT PRIMARY KEY,
    supporter_id TEXT NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
CREATE INDEX telegram_link_codes_supporter ON telegram_link_codes (supporter_id);

-- Keyed by the name typed, known or not, so a lockout says nothing about who exists.
CREATE TABLE staff_login_failures (
    name TEXT COLLATE nocase PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TEXT
);
