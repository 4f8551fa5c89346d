package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	music "github.com/openmusic/music"
)

// encodeFeatures is the tracks.audio_features text: JSON, ” for none.
func encodeFeatures(f *music.AudioFeatures) string {
	if f == nil {
		return ""
	}
	b, _ := json.Marshal(f) // plain numbers: cannot fail
	return string(b)
}

func decodeFeatures(trackID, s string) (*music.AudioFeatures, error) {
	if s == "" {
		return nil, nil
	}
	var f music.AudioFeatures
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return nil, fmt.Errorf("track %s: audio_features: %w", trackID, err)
	}
	return &f, nil
}

// SetAudioFeatures stores a track's measured features (the backfill).
func (s *Store) SetAudioFeatures(ctx context.Context, trackID string, f music.AudioFeatures) error {
	res, err := s.exec(ctx, s.db, "UPDATE tracks SET audio_features = ? WHERE id = ?", encodeFeatures(&f), trackID)
	if err != nil {
		return fmt.Errorf("audio features of %s: %w", trackID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return music.Errorf(music.ENOTFOUND, "track %s not found", trackID)
	}
	return nil
}

// FeatureBacklog scans up to limit tracks after afterID, in ID order, and
// returns those with a master of their own and no features of version or
// later, plus the last ID scanned ("" at the end): the backfill's pages.
func (s *Store) FeatureBacklog(ctx context.Context, afterID string, version, limit int) (todo []music.Track, last string, err error) {
	rows, err := s.query(ctx, s.db, `SELECT id, master_key, audio_features FROM tracks
		WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, "", fmt.Errorf("feature backlog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t music.Track
		var raw string
		if err := rows.Scan(&t.ID, &t.MasterKey, &raw); err != nil {
			return nil, "", err
		}
		last = t.ID
		if t.MasterKey == "" {
			continue
		}
		// Unreadable features are measured again.
		if f, err := decodeFeatures(t.ID, raw); err != nil || f == nil || f.Version < version {
			todo = append(todo, t)
		}
	}
	return todo, last, rows.Err()
}
