-- An episode's chapters and transcript files as fetched with its audio
-- (a JSON array of music.EpisodeFile).
ALTER TABLE podcast_episodes ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
