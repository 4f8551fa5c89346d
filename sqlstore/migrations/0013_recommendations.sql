-- Recommendations (issue 13): audio features measured at ingest, popularity
-- per territory from counted streams, and the embedded recommendation cache.

-- JSON of music.AudioFeatures; '' until measured (see the backfill workflow).
ALTER TABLE tracks ADD COLUMN audio_features TEXT NOT NULL DEFAULT '';

-- Popularity (0-100) of a track among one territory's listeners; the
-- catalog-wide figure is tracks.popularity. Rewritten by the daily job.
CREATE TABLE track_popularity (
    track_id   TEXT NOT NULL,
    territory  TEXT NOT NULL,
    popularity INTEGER NOT NULL,
    PRIMARY KEY (track_id, territory)
);
CREATE INDEX track_popularity_rank ON track_popularity (territory, popularity, track_id);
CREATE INDEX tracks_popularity ON tracks (popularity, id);

-- The recommendation cache when no Redis is configured: one row per
-- (user, list), written whole, so a reader sees the old list or the new one.
CREATE TABLE reco_lists (
    user_id      TEXT NOT NULL,
    list         TEXT NOT NULL,
    generated_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (user_id, list)
);
CREATE INDEX reco_lists_expiry ON reco_lists (expires_at);
