-- Podcast episode audio: an episode is published (listed) once its
-- enclosure has been fetched, normalised and encoded. The renditions are
-- JSON because they are always read and written together. audio_error
-- says why the last fetch failed ("" when it did not).
ALTER TABLE podcast_episodes ADD COLUMN audio_source_url TEXT NOT NULL DEFAULT '';
ALTER TABLE podcast_episodes ADD COLUMN original_key TEXT NOT NULL DEFAULT '';
ALTER TABLE podcast_episodes ADD COLUMN original_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE podcast_episodes ADD COLUMN original_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE podcast_episodes ADD COLUMN measured_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE podcast_episodes ADD COLUMN loudness_lufs DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE podcast_episodes ADD COLUMN original_lufs DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE podcast_episodes ADD COLUMN gain_db DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE podcast_episodes ADD COLUMN renditions TEXT NOT NULL DEFAULT '';
ALTER TABLE podcast_episodes ADD COLUMN audio_error TEXT NOT NULL DEFAULT '';
