-- Who owns what, tracks held for review, and token lifetimes.

-- The label account that owns a release (by release ID) or a sound
-- recording (by ISRC): the first to deliver it, or whom ops gave it to.
CREATE TABLE owners (
    kind       TEXT NOT NULL,  -- 'release' or 'isrc'
    id         TEXT NOT NULL,
    owner_id   TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX owners_owner ON owners (owner_id);

-- A track whose audio is the same recording as another label's track,
-- held (its release unpublished) until ops decide.
CREATE TABLE reviews (
    id               TEXT PRIMARY KEY,
    release_id       TEXT NOT NULL,
    track_id         TEXT NOT NULL,
    isrc             TEXT NOT NULL,
    owner_id         TEXT NOT NULL,
    matched_track_id TEXT NOT NULL,
    matched_owner_id TEXT NOT NULL,
    score            DOUBLE PRECISION NOT NULL,
    status           TEXT NOT NULL,  -- pending, accepted, rejected
    created_at       BIGINT NOT NULL,
    decided_at       BIGINT NOT NULL DEFAULT 0,
    decided_by       TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reviews_release ON reviews (release_id, status);
CREATE INDEX reviews_status ON reviews (status, created_at);

-- 0: the token never expires.
ALTER TABLE user_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
