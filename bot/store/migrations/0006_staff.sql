-- STUB until the staff branch lands (it replaces this file): the columns the queue reads.
CREATE TABLE supporters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'supporter',
    password_hash TEXT NOT NULL DEFAULT '',
    caseload_cap INTEGER NOT NULL DEFAULT 2,
    tags TEXT NOT NULL DEFAULT '[]',
    on_shift INTEGER NOT NULL DEFAULT 0,
    break_until TEXT,
    telegram_chat_id TEXT UNIQUE,
    disabled_at TEXT,
    created_at TEXT NOT NULL DEFAULT ''
);
