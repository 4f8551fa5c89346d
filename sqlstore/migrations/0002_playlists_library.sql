-- Playlists, their entries and change log, and users' libraries.
-- Same conventions as 0001: TEXT/INTEGER/BIGINT only, Unix ms times,
-- booleans as INTEGER 0/1.

CREATE TABLE playlists (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    public      INTEGER NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL,
    track_count INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX playlists_owner ON playlists (owner_id, created_at);

CREATE TABLE playlist_collaborators (
    playlist_id TEXT NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (playlist_id, user_id)
);
CREATE INDEX playlist_collaborators_user ON playlist_collaborators (user_id);

-- slot orders live entries and tombstones (removed = 1) together; a
-- tombstone keeps its slot so edits anchored on it land where it was.
CREATE TABLE playlist_entries (
    playlist_id TEXT NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    slot        INTEGER NOT NULL,
    track_id    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    BIGINT NOT NULL,
    removed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (playlist_id, id)
);
CREATE INDEX playlist_entries_order ON playlist_entries (playlist_id, removed, slot);

-- One row per accepted write: the diff live viewers receive, as JSON.
CREATE TABLE playlist_changes (
    playlist_id TEXT NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    change      TEXT NOT NULL,
    PRIMARY KEY (playlist_id, version)
);

CREATE TABLE library_items (
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    item_id  TEXT NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, item_id)
);
CREATE INDEX library_items_newest ON library_items (user_id, kind, saved_at, item_id);
