-- Privacy (#17): a listener's settings (a row only once changed; no row
-- means the defaults: sharing on, no private session) and one-way blocks.

CREATE TABLE user_settings (
    user_id         TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    private_session INTEGER NOT NULL DEFAULT 0,
    share_activity  INTEGER NOT NULL DEFAULT 1,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE blocks (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id, user_id);
