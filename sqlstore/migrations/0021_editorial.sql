-- Editorial playlists (#17): public playlists owned by the platform's
-- editorial account and curated by an ops or label account, with a cover
-- image URL. The editorial account (usr_editorial) is made with the
-- first editorial playlist.

ALTER TABLE playlists ADD COLUMN editorial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE playlists ADD COLUMN curator_id TEXT NOT NULL DEFAULT '';
ALTER TABLE playlists ADD COLUMN cover_url TEXT NOT NULL DEFAULT '';
CREATE INDEX playlists_editorial ON playlists (editorial, created_at);
