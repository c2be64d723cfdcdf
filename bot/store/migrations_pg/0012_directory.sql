-- PostgreSQL twin of migrations/0012_directory.sql: same tables, PostgreSQL types (keep the two in step).
-- The directory's working copy: leads edit, verify, close and import entries here; the
-- YAML files under directory/ are only the seed (loaded into an empty table at start,
-- never over a lead's edit) and an import/export format.
--
-- body holds every field of the entry as a lead writes it in YAML (directory/README.md),
-- as JSON; the columns beside it repeat what the dashboard filters and sorts on.
-- verified_by is the supporter's id as plain text (it must outlive their account), or
-- "seed" for what the shipped files said.
CREATE TABLE directory_entries (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,                -- active | unverified | closed
    closed INTEGER NOT NULL DEFAULT 0,   -- 1 when status is closed
    languages TEXT NOT NULL DEFAULT '[]',    -- JSON list: languages spoken
    communities TEXT NOT NULL DEFAULT '[]',  -- JSON list: communities served
    origin TEXT NOT NULL,                -- "seed:bradford.yaml", "dashboard", "import:<source>"
    verified_on TEXT NOT NULL,           -- YYYY-MM-DD
    verified_by TEXT,
    verified_at TEXT,                    -- UTC, when a lead pressed "verify"
    verified_source TEXT,                -- what they checked
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX directory_entries_status ON directory_entries (status, verified_on);

-- Every change, kept: who, when, what it was before and after (JSON bodies).
-- "by" is a reserved word here, so it is quoted (in the store's SQL too).
CREATE TABLE directory_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id TEXT NOT NULL,
    at TEXT NOT NULL,
    "by" TEXT NOT NULL,
    action TEXT NOT NULL,                -- seed, add, edit, verify, close, reopen, import
    before TEXT,
    after TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX directory_history_entry ON directory_history (entry_id, id);
