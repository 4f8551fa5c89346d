-- Social (#17): who follows what, and a follower count per followed
-- thing. kind is artist, user or playlist; target_id is not a foreign key
-- because it names rows of three tables (or a catalog artist). The count
-- is changed in the transaction that really adds or removes a follow, so
-- it stays exact under concurrent follows and unfollows.

CREATE TABLE follows (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    followed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, target_id)
);
CREATE INDEX follows_target ON follows (kind, target_id, user_id);

CREATE TABLE follower_counts (
    kind      TEXT NOT NULL,
    target_id TEXT NOT NULL,
    followers BIGINT NOT NULL,
    PRIMARY KEY (kind, target_id)
);
