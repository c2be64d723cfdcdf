-- The desk (issue 16): handoff ids never reused, read cursors, transfers with a note,
-- private notes, alert settings, leads' inbox and the audit of leads' reads.

-- A handoff id is never given out twice, even after the newest handoff is purged or
-- forgotten (SQLite would reuse MAX(id) + 1): the store takes ids from this counter,
-- and the trigger keeps it above any id inserted another way. (Rebuilding the table
-- with AUTOINCREMENT inside the migration's transaction would cascade-delete the
-- escalations that reference it.)
CREATE TABLE handoff_ids (last INTEGER NOT NULL);
INSERT INTO handoff_ids (last) SELECT COALESCE(MAX(id), 0) FROM handoffs;
CREATE TRIGGER handoff_ids_high AFTER INSERT ON handoffs
BEGIN
    UPDATE handoff_ids SET last = MAX(last, NEW.id);
END;

ALTER TABLE handoffs ADD COLUMN seen_upto INTEGER;       -- holder's read cursor (inbox id)
ALTER TABLE handoffs ADD COLUMN transferred_by TEXT;     -- supporter id, plain text
ALTER TABLE handoffs ADD COLUMN transfer_note TEXT;

-- Private notes a supporter keeps during a chat; never sent to the person.
CREATE TABLE handoff_notes (
    id INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    supporter_id TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Alerts a supporter has muted (JSON list of kinds from bot.peer.rules.ALERTS).
ALTER TABLE supporters ADD COLUMN desk_muted TEXT NOT NULL DEFAULT '[]';

-- Escalations and debrief requests for the leads' inbox on the dashboard. The text is
-- rendered from templates (pseudonyms only), like the Telegram alerts.
CREATE TABLE lead_inbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('escalation', 'debrief')),
    supporter_id TEXT NOT NULL,
    handoff_id INTEGER,
    text TEXT NOT NULL,
    at TEXT NOT NULL,
    seen_by TEXT,
    seen_at TEXT
);

-- Every time a lead opened a live conversation they did not hold: for audit. The
-- handoff id is plain (no cascade) so the record outlives the conversation's purge.
CREATE TABLE live_reads (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    handoff_id INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX live_reads_at ON live_reads (at);
