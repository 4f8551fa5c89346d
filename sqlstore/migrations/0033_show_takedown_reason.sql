-- Why a show was taken down (#15, #16): "removed by ops", or "locked by
-- its owner" when a poll found podcast:locked yes. '' for a show that is
-- up, and for shows taken down before this migration (read as ops').
ALTER TABLE podcast_shows ADD COLUMN taken_down_reason TEXT NOT NULL DEFAULT '';
