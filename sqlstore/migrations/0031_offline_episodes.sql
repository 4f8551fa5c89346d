-- Offline downloads of podcast episodes (#15, #16). A grant names what it
-- holds: a track (every grant made before this step) or an episode, whose
-- ID then sits in track_id. Track IDs (trk-…) and episode IDs (ep_…)
-- never collide, so the key (device_id, track_id) stays as it was, and the
-- binary before this step still runs on this schema (migrations only add).
ALTER TABLE offline_downloads ADD COLUMN kind TEXT NOT NULL DEFAULT 'track' CHECK (kind IN ('track', 'episode'));
