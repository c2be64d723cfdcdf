-- Turns run the engine outside the write lock: a turn reads a conversation's state and
-- its version, decides, then writes the new state only if the version is still the one
-- it read (compare-and-swap), else it reads again and decides again. Every write of a
-- conversation's state adds one.
ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
