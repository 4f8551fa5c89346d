package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	music "github.com/openmusic/music"
)

// releaseCols selects a release (alias r) in the order scanRelease reads.
const releaseCols = `r.id, r.upc, r.title, r.label, r.release_date, r.genre, r.pline, r.cline, r.cover_key,
	r.sender, r.message_id, r.status, r.updated_at, r.published_at`

func scanRelease(sc interface{ Scan(...any) error }) (music.Release, error) {
	var r music.Release
	var updated, published int64
	err := sc.Scan(&r.ID, &r.UPC, &r.Title, &r.Label, &r.ReleaseDate, &r.Genre, &r.PLine, &r.CLine, &r.CoverKey,
		&r.Sender, &r.MessageID, &r.Status, &updated, &published)
	r.UpdatedAt, r.PublishedAt = fromMS(updated), fromMS(published)
	return r, err
}

// Release returns a release with its tracks in disc/track order. See
// music.Catalog.
func (s *Store) Release(ctx context.Context, id string, v music.Visibility) (*music.Release, error) {
	vis, vargs, err := s.visibleClause(v)
	if err != nil {
		return nil, err
	}
	r, err := scanRelease(s.queryRow(ctx, s.db, "SELECT "+releaseCols+" FROM releases r WHERE r.id = ? AND "+vis,
		append([]any{id}, vargs...)...))
	if err == sql.ErrNoRows {
		return nil, music.Errorf(music.ENOTFOUND, "release %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", id, err)
	}
	if r.Artists, err = s.releaseCredits(ctx, id); err != nil {
		return nil, err
	}
	r.Tracks, err = s.queryTracks(ctx, "SELECT "+trackCols+` FROM tracks t JOIN releases r ON r.id = t.release_id
		WHERE t.release_id = ? ORDER BY t.disc_number, t.track_number, t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("tracks of release %s: %w", id, err)
	}
	inRelease := "IN (SELECT id FROM tracks WHERE release_id = ?)"
	tc, err := s.trackCredits(ctx, "ta.track_id "+inRelease, id)
	if err != nil {
		return nil, err
	}
	rends, err := s.renditions(ctx, "track_id "+inRelease, id)
	if err != nil {
		return nil, err
	}
	for i := range r.Tracks {
		t := &r.Tracks[i]
		t.Artists, t.Renditions = tc[t.ID], rends[t.ID]
		if err := s.borrowRenditions(ctx, t); err != nil {
			return nil, err
		}
	}
	if r.Deals, err = s.deals(ctx, id); err != nil {
		return nil, err
	}
	return &r, nil
}

// Artist returns an artist and the releases v can see that credit it. See
// music.Catalog.
func (s *Store) Artist(ctx context.Context, id string, v music.Visibility) (*music.Artist, []music.Release, error) {
	vis, vargs, err := s.visibleClause(v)
	if err != nil {
		return nil, nil, err
	}
	var a music.Artist
	err = s.queryRow(ctx, s.db, "SELECT id, name FROM artists WHERE id = ?", id).Scan(&a.ID, &a.Name)
	if err == sql.ErrNoRows {
		return nil, nil, music.Errorf(music.ENOTFOUND, "artist %s not found", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("artist %s: %w", id, err)
	}
	rows, err := s.query(ctx, s.db, "SELECT "+releaseCols+` FROM releases r
		WHERE (r.id IN (SELECT release_id FROM release_artists WHERE artist_id = ?)
			OR r.id IN (SELECT t.release_id FROM tracks t JOIN track_artists ta ON ta.track_id = t.id
				WHERE ta.artist_id = ?))
			AND `+vis+` ORDER BY r.release_date DESC, r.id`, append([]any{id, id}, vargs...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("releases of artist %s: %w", id, err)
	}
	rels, err := s.scanReleasesWithCredits(ctx, rows)
	if err != nil {
		return nil, nil, fmt.Errorf("releases of artist %s: %w", id, err)
	}
	if len(rels) == 0 && !isOpsView(v) {
		return nil, nil, music.Errorf(music.ENOTFOUND, "artist %s not found", id)
	}
	return &a, rels, nil
}

// scanReleasesWithCredits reads every release of rows (selected with
// releaseCols), closes rows and loads each release's artist credits.
func (s *Store) scanReleasesWithCredits(ctx context.Context, rows *sql.Rows) ([]music.Release, error) {
	var rels []music.Release
	for rows.Next() {
		r, err := scanRelease(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rels = append(rels, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range rels {
		var err error
		if rels[i].Artists, err = s.releaseCredits(ctx, rels[i].ID); err != nil {
			return nil, err
		}
	}
	return rels, nil
}

// releaseCredits loads the artist credits of one release in order.
func (s *Store) releaseCredits(ctx context.Context, id string) ([]music.ArtistCredit, error) {
	credits, err := s.credits(ctx, `SELECT ra.release_id, ra.artist_id, a.name, ra.role FROM release_artists ra
		JOIN artists a ON a.id = ra.artist_id WHERE ra.release_id = ? ORDER BY ra.position`, id)
	return credits[id], err
}
