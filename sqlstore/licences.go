package sqlstore

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
)

// visibleIDsPerQuery bounds the ids of one query, well under SQLite's
// and PostgreSQL's limits on bound parameters (artists bind them twice).
const visibleIDsPerQuery = 500

// VisibleIDs returns which of ids v may see, a query per
// visibleIDsPerQuery ids. See music.Licences.
func (s *Store) VisibleIDs(ctx context.Context, t music.DocType, ids []string, v music.Visibility) (map[string]bool, error) {
	out := map[string]bool{}
	for len(ids) > 0 {
		n := min(len(ids), visibleIDsPerQuery)
		if err := s.visibleIDs(ctx, t, ids[:n], v, out); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// visibleIDs adds to out those of ids v may see, in one query.
func (s *Store) visibleIDs(ctx context.Context, t music.DocType, ids []string, v music.Visibility, out map[string]bool) error {
	cond, cargs, err := s.visibleClause(v)
	if err != nil {
		return err
	}
	in, idArgs := placeholders(len(ids)), anySlice(ids)
	var q string
	var args []any
	switch t {
	case music.DocTrack:
		q = "SELECT t.id FROM tracks t JOIN releases r ON r.id = t.release_id WHERE t.id IN " + in + " AND " + cond
		args = append(idArgs, cargs...)
	case music.DocAlbum:
		q = "SELECT r.id FROM releases r WHERE r.id IN " + in + " AND " + cond
		args = append(idArgs, cargs...)
	case music.DocArtist:
		q = "SELECT ra.artist_id FROM release_artists ra JOIN releases r ON r.id = ra.release_id WHERE ra.artist_id IN " + in + " AND " + cond +
			" UNION SELECT ta.artist_id FROM track_artists ta JOIN tracks t ON t.id = ta.track_id JOIN releases r ON r.id = t.release_id WHERE ta.artist_id IN " + in + " AND " + cond
		args = append(append(append(append([]any{}, idArgs...), cargs...), idArgs...), cargs...)
	case music.DocPodcast: // podcasts are not licensed by territory: every polled show up
		q, args = "SELECT id FROM podcast_shows WHERE id IN "+in+" AND title <> '' AND taken_down_at = 0", idArgs
	case music.DocEpisode: // and every published episode of one
		q, args = "SELECT e.id FROM podcast_episodes e JOIN podcast_shows p ON p.id = e.show_id WHERE e.id IN "+in+
			" AND e.hidden = 0 AND e.original_key <> '' AND p.taken_down_at = 0", idArgs
	default:
		return music.Errorf(music.EINVALID, "visible ids: kind %q is not a search kind", t)
	}
	rows, err := s.query(ctx, s.db, q, args...)
	if err != nil {
		return fmt.Errorf("visible %ss: %w", t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
	}
	return rows.Err()
}
