-- The catalog: what labels deliver and what listeners may see.
-- One schema for SQLite and PostgreSQL: only TEXT, INTEGER, BIGINT and
-- DOUBLE PRECISION columns; times are Unix milliseconds (0 = unset);
-- booleans are INTEGER 0/1. IDs are TEXT chosen by the caller.

CREATE TABLE artists (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE releases (
    id           TEXT PRIMARY KEY,
    upc          TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    release_date TEXT NOT NULL DEFAULT '',
    genre        TEXT NOT NULL DEFAULT '',
    pline        TEXT NOT NULL DEFAULT '',
    cline        TEXT NOT NULL DEFAULT '',
    cover_key    TEXT NOT NULL DEFAULT '',
    sender       TEXT NOT NULL DEFAULT '',
    message_id   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    published_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE release_artists (
    release_id TEXT NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    artist_id  TEXT NOT NULL REFERENCES artists (id),
    role       TEXT NOT NULL,
    PRIMARY KEY (release_id, position)
);
CREATE INDEX release_artists_artist ON release_artists (artist_id);

CREATE TABLE tracks (
    id                     TEXT PRIMARY KEY,
    release_id             TEXT NOT NULL REFERENCES releases (id),
    isrc                   TEXT NOT NULL UNIQUE,
    title                  TEXT NOT NULL,
    version                TEXT NOT NULL DEFAULT '',
    disc_number            INTEGER NOT NULL,
    track_number           INTEGER NOT NULL,
    duration_ms            BIGINT NOT NULL,
    genre                  TEXT NOT NULL DEFAULT '',
    explicit               INTEGER NOT NULL DEFAULT 0,
    pline                  TEXT NOT NULL DEFAULT '',
    preview_start_ms       BIGINT NOT NULL DEFAULT 0,
    popularity             INTEGER NOT NULL DEFAULT 0,
    rg_track_gain          DOUBLE PRECISION NOT NULL DEFAULT 0,
    rg_track_peak          DOUBLE PRECISION NOT NULL DEFAULT 0,
    rg_album_gain          DOUBLE PRECISION NOT NULL DEFAULT 0,
    rg_album_peak          DOUBLE PRECISION NOT NULL DEFAULT 0,
    loudness_lufs          DOUBLE PRECISION NOT NULL DEFAULT 0,
    loudness_range         DOUBLE PRECISION NOT NULL DEFAULT 0,
    master_key             TEXT NOT NULL DEFAULT '',
    master_sha256          TEXT NOT NULL DEFAULT '',
    dedup_decision         TEXT NOT NULL DEFAULT '',
    dedup_matched_track_id TEXT NOT NULL DEFAULT '',
    dedup_score            DOUBLE PRECISION NOT NULL DEFAULT 0,
    updated_at             BIGINT NOT NULL
);
CREATE INDEX tracks_release ON tracks (release_id, disc_number, track_number);

CREATE TABLE track_artists (
    track_id  TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    artist_id TEXT NOT NULL REFERENCES artists (id),
    role      TEXT NOT NULL,
    PRIMARY KEY (track_id, position)
);
CREATE INDEX track_artists_artist ON track_artists (artist_id);

CREATE TABLE renditions (
    track_id    TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    rung        TEXT NOT NULL,
    blob_key    TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    codec       TEXT NOT NULL,
    bitrate     INTEGER NOT NULL,
    sample_rate INTEGER NOT NULL,
    channels    INTEGER NOT NULL,
    samples     BIGINT NOT NULL,
    PRIMARY KEY (track_id, rung)
);

CREATE TABLE fingerprints (
    track_id    TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    algorithm   TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pcm_sha256  TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (track_id, algorithm)
);
CREATE INDEX fingerprints_pcm ON fingerprints (pcm_sha256);

-- A deal is identified by its release and its position in the delivery;
-- a new delivery replaces all of a release's deals.
CREATE TABLE deals (
    release_id       TEXT NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    start_at         BIGINT NOT NULL,
    end_at           BIGINT,            -- NULL: open-ended; exclusive
    commercial_model TEXT NOT NULL DEFAULT '',
    use_types        TEXT NOT NULL DEFAULT '', -- comma-separated
    PRIMARY KEY (release_id, seq)
);

CREATE TABLE deal_territories (
    release_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    territory  TEXT NOT NULL,            -- ISO 3166-1 alpha-2 or 'Worldwide'
    excluded   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (release_id, seq, territory),
    FOREIGN KEY (release_id, seq) REFERENCES deals (release_id, seq) ON DELETE CASCADE
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    country    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Only the SHA-256 of a bearer token is kept.
CREATE TABLE user_tokens (
    token_sha256 TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);
