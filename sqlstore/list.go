package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	music "github.com/openmusic/music"
)

// maxPage bounds one page so a caller's mistake cannot load the catalog.
const maxPage = 10000

func checkLimit(limit int) error {
	if limit < 1 || limit > maxPage {
		return music.Errorf(music.EINVALID, "page limit %d is outside 1..%d", limit, maxPage)
	}
	return nil
}

// TracksByPCMHash returns the tracks whose decoded audio has this hash.
// See music.Catalog.
func (s *Store) TracksByPCMHash(ctx context.Context, pcmSHA256 string) ([]music.Track, error) {
	ts, err := s.queryTracks(ctx, "SELECT "+trackCols+` FROM tracks t JOIN releases r ON r.id = t.release_id
		WHERE t.id IN (SELECT track_id FROM fingerprints WHERE pcm_sha256 = ?) ORDER BY t.id`, pcmSHA256)
	if err != nil {
		return nil, fmt.Errorf("tracks by PCM hash: %w", err)
	}
	return ts, nil
}

// Tracks returns one page of tracks in ID order. See music.Catalog.
func (s *Store) Tracks(ctx context.Context, afterID string, limit int) ([]music.Track, error) {
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	ts, err := s.queryTracks(ctx, "SELECT "+trackCols+` FROM tracks t JOIN releases r ON r.id = t.release_id
		WHERE t.id > ? ORDER BY t.id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("tracks after %q: %w", afterID, err)
	}
	if len(ts) == 0 {
		return nil, nil
	}
	credits, err := s.trackCredits(ctx, "ta.track_id > ? AND ta.track_id <= ?", afterID, ts[len(ts)-1].ID)
	if err != nil {
		return nil, err
	}
	for i := range ts {
		ts[i].Artists = credits[ts[i].ID]
	}
	return ts, nil
}

// Fingerprints returns one page of one algorithm's fingerprints. See
// music.Catalog.
func (s *Store) Fingerprints(ctx context.Context, algorithm, afterTrackID string, limit int) ([]music.Fingerprint, error) {
	if err := checkLimit(limit); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, s.db, `SELECT track_id, algorithm, fingerprint, pcm_sha256, duration_ms
		FROM fingerprints WHERE algorithm = ? AND track_id > ? ORDER BY track_id LIMIT ?`, algorithm, afterTrackID, limit)
	if err != nil {
		return nil, fmt.Errorf("fingerprints: %w", err)
	}
	defer rows.Close()
	var out []music.Fingerprint
	for rows.Next() {
		var f music.Fingerprint
		var dur int64
		if err := rows.Scan(&f.TrackID, &f.Algorithm, &f.Fingerprint, &f.PCMSHA256, &dur); err != nil {
			return nil, err
		}
		f.Duration = time.Duration(dur) * time.Millisecond
		out = append(out, f)
	}
	return out, rows.Err()
}

// CatalogTables are the catalog tables whose rows Count can count.
var CatalogTables = []string{
	"artists", "releases", "release_artists", "tracks", "track_artists",
	"renditions", "fingerprints", "deals", "deal_territories", "users", "user_tokens",
}

// Count returns the number of rows in one of CatalogTables. See
// music.Catalog.
func (s *Store) Count(ctx context.Context, table string) (int64, error) {
	if !slices.Contains(CatalogTables, table) {
		return 0, music.Errorf(music.EINVALID, "count: unknown table %q (want one of %v)", table, CatalogTables)
	}
	var n int64
	// table is one of a fixed list, so building the query is safe.
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}
