package sqlstore

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
)

// NewReleases returns one page of the releases v can see, newest first
// by release date, then by ID, with their credits. See music.Catalog.
func (s *Store) NewReleases(ctx context.Context, v music.Visibility, offset, limit int) ([]music.Release, int, error) {
	if offset < 0 {
		return nil, 0, music.Errorf(music.EINVALID, "offset %d: want >= 0", offset)
	}
	if limit < 0 {
		return nil, 0, music.Errorf(music.EINVALID, "limit %d: want >= 0", limit)
	}
	vis, vargs, err := s.visibleClause(v)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM releases r WHERE "+vis, vargs...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("new releases: %w", err)
	}
	if limit == 0 {
		return nil, total, nil
	}
	rows, err := s.query(ctx, s.db, "SELECT "+releaseCols+" FROM releases r WHERE "+vis+
		" ORDER BY r.release_date DESC, r.id LIMIT ? OFFSET ?", append(vargs, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("new releases: %w", err)
	}
	rels, err := s.scanReleasesWithCredits(ctx, rows)
	if err != nil {
		return nil, 0, fmt.Errorf("new releases: %w", err)
	}
	return rels, total, nil
}
