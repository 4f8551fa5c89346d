-- What listeners do with podcasts: the shows they follow and how far
-- they got in each episode. A position is kept per user and episode, the
-- latest report winning (reports from two devices may cross); completed
-- is set once the listener reached the end, and stays.
CREATE TABLE podcast_follows (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    show_id     TEXT NOT NULL REFERENCES podcast_shows (id) ON DELETE CASCADE,
    followed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, show_id)
);
CREATE INDEX podcast_follows_newest ON podcast_follows (user_id, followed_at);

CREATE TABLE episode_progress (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    episode_id  TEXT NOT NULL REFERENCES podcast_episodes (id) ON DELETE CASCADE,
    position_ms BIGINT NOT NULL,
    completed   INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, episode_id)
);
