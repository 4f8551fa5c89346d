-- Offline downloads (#15). A device enrolled for offline play, with its
-- X25519 public key (base64); what each device holds under which licence; and the
-- encrypted copy of each rendition (one per rendition, shared by every
-- user), whose content key is kept sealed under the server's key.

CREATE TABLE offline_devices (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX offline_devices_user ON offline_devices (user_id, created_at);

CREATE TABLE offline_downloads (
    device_id  TEXT NOT NULL REFERENCES offline_devices (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    track_id   TEXT NOT NULL,
    rung       TEXT NOT NULL,
    licence_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, track_id)
);
CREATE INDEX offline_downloads_user ON offline_downloads (user_id);

CREATE TABLE offline_objects (
    rendition_key TEXT PRIMARY KEY,
    blob_key      TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    sealed_key    TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
