-- Episode plays, kept apart from the music event log so they never reach
-- the royalty pool or the charts, summed per show and UTC day for the
-- show's listening statistics. event_id is the client's idempotency key.
CREATE TABLE episode_plays (
    event_id    TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL DEFAULT '',
    episode_id  TEXT NOT NULL REFERENCES podcast_episodes (id) ON DELETE CASCADE,
    show_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL DEFAULT '',
    played_at   BIGINT NOT NULL,
    day         TEXT NOT NULL,
    listened_ms BIGINT NOT NULL,
    completed   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX episode_plays_show_day ON episode_plays (show_id, day);
