-- When an entry was removed, so that old tombstones can be compacted
-- (0: removed before this migration, the first to go).
ALTER TABLE playlist_entries ADD COLUMN removed_at BIGINT NOT NULL DEFAULT 0;
