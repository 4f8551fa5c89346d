package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/openmusic/music/recodata"
)

// SavePopularity replaces every track's popularity with pops (tracks not
// listed fall to 0) and the per-territory figures, in one transaction,
// and returns the releases whose tracks changed, sorted, so search can
// re-index them. Figures of tracks the catalog does not hold are dropped.
func (s *Store) SavePopularity(ctx context.Context, pops []recodata.TrackPopularity) ([]string, error) {
	var changed []string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		type row struct {
			release string
			pop     int
		}
		cur := map[string]row{}
		rows, err := s.query(ctx, tx, "SELECT id, release_id, popularity FROM tracks")
		if err != nil {
			return fmt.Errorf("popularity: %w", err)
		}
		for rows.Next() {
			var id string
			var r row
			if err := rows.Scan(&id, &r.release, &r.pop); err != nil {
				rows.Close()
				return err
			}
			cur[id] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		next := make(map[string]int, len(pops))
		for _, p := range pops {
			if _, ok := cur[p.TrackID]; ok {
				next[p.TrackID] = p.Popularity
			}
		}
		releases := map[string]bool{}
		ids := make([]string, 0, len(cur))
		for id := range cur {
			ids = append(ids, id)
		}
		sort.Strings(ids) // a stable write order keeps lock order stable
		for _, id := range ids {
			if r := cur[id]; r.pop != next[id] {
				if _, err := s.exec(ctx, tx, "UPDATE tracks SET popularity = ? WHERE id = ?", next[id], id); err != nil {
					return fmt.Errorf("popularity of %s: %w", id, err)
				}
				releases[r.release] = true
			}
		}
		if _, err := s.exec(ctx, tx, "DELETE FROM track_popularity"); err != nil {
			return fmt.Errorf("popularity: %w", err)
		}
		for _, p := range pops {
			if _, ok := cur[p.TrackID]; !ok {
				continue
			}
			for terr, v := range p.Territories {
				if _, err := s.exec(ctx, tx, "INSERT INTO track_popularity (track_id, territory, popularity) VALUES (?, ?, ?)",
					p.TrackID, terr, v); err != nil {
					return fmt.Errorf("popularity of %s in %s: %w", p.TrackID, terr, err)
				}
			}
		}
		changed = changed[:0]
		for r := range releases {
			changed = append(changed, r)
		}
		sort.Strings(changed)
		return nil
	})
	return changed, err
}

// PopularTracks returns up to limit track IDs, most popular first: the
// territory's own figures first, then the catalog-wide order (popularity,
// then ID, so a catalog with no streams yet still answers). It does not
// check visibility; callers filter. Both queries walk an index.
func (s *Store) PopularTracks(ctx context.Context, territory string, limit int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"SELECT track_id FROM track_popularity WHERE territory = ? ORDER BY popularity DESC, track_id LIMIT ?", []any{territory, limit}},
		{"SELECT id FROM tracks ORDER BY popularity DESC, id LIMIT ?", []any{limit}},
	} {
		rows, err := s.query(ctx, s.db, q.sql, q.args...)
		if err != nil {
			return nil, fmt.Errorf("popular tracks: %w", err)
		}
		for rows.Next() && len(out) < limit {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
