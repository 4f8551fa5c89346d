-- Share links (#17): a token opens a track, album or playlist for whoever
-- holds it. Only the token's SHA-256 is kept. A revoked share keeps its
-- row (revoked_at set) so its ID is never reused.

CREATE TABLE shares (
    id           TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    creator_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX shares_creator ON shares (creator_id, created_at);
CREATE INDEX shares_target ON shares (kind, target_id);
