-- Show takedown (#16): ops hide an abusive show. taken_down_at is when
-- (Unix milliseconds), 0 for a show that is up. Nothing is deleted: the
-- show, its episodes and their audio stay, so a takedown can be undone.
ALTER TABLE podcast_shows ADD COLUMN taken_down_at BIGINT NOT NULL DEFAULT 0;
