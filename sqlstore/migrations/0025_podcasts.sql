-- Podcasts: shows registered by feed URL, their episodes, and what the
-- poller keeps between polls. Episodes are matched by (show, guid) and
-- never deleted: one the feed drops is hidden. Times are Unix
-- milliseconds, booleans INTEGER 0/1, durations milliseconds.

CREATE TABLE podcast_shows (
    id          TEXT PRIMARY KEY,
    feed_url    TEXT NOT NULL UNIQUE,
    guid        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    image_url   TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT '',
    explicit    INTEGER NOT NULL DEFAULT 0,
    locked      INTEGER NOT NULL DEFAULT 0,
    added_at    BIGINT NOT NULL,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    polled_at     BIGINT NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE podcast_episodes (
    id               TEXT PRIMARY KEY,
    show_id          TEXT NOT NULL REFERENCES podcast_shows (id) ON DELETE CASCADE,
    guid             TEXT NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    season           INTEGER NOT NULL DEFAULT 0,
    number           INTEGER NOT NULL DEFAULT 0,
    published_at     BIGINT NOT NULL DEFAULT 0,
    duration_ms      BIGINT NOT NULL DEFAULT 0,
    explicit         INTEGER NOT NULL DEFAULT 0,
    enclosure_url    TEXT NOT NULL,
    enclosure_type   TEXT NOT NULL DEFAULT '',
    enclosure_length BIGINT NOT NULL DEFAULT 0,
    chapters_url     TEXT NOT NULL DEFAULT '',
    chapters_type    TEXT NOT NULL DEFAULT '',
    transcript_url   TEXT NOT NULL DEFAULT '',
    transcript_type  TEXT NOT NULL DEFAULT '',
    hidden           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (show_id, guid)
);
CREATE INDEX podcast_episodes_newest ON podcast_episodes (show_id, hidden, published_at);
