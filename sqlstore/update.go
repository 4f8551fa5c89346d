package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	music "github.com/openmusic/music"
)

// PublishRelease makes a stored release visible. See music.Catalog.
func (s *Store) PublishRelease(ctx context.Context, releaseID string) error {
	now := s.now()
	return s.setStatus(ctx, releaseID, `UPDATE releases SET status = 'published', updated_at = ?,
		published_at = CASE WHEN published_at = 0 THEN ? ELSE published_at END WHERE id = ?`, now, now, releaseID)
}

// TakedownRelease hides a release from listeners. See music.Catalog.
func (s *Store) TakedownRelease(ctx context.Context, releaseID string) error {
	return s.setStatus(ctx, releaseID, `UPDATE releases SET status = 'taken_down', updated_at = ? WHERE id = ?`,
		s.now(), releaseID)
}

func (s *Store) setStatus(ctx context.Context, releaseID, query string, args ...any) error {
	res, err := s.exec(ctx, s.db, query, args...)
	if err != nil {
		return fmt.Errorf("release %s: %w", releaseID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("release %s: %w", releaseID, err)
	} else if n == 0 {
		return music.Errorf(music.ENOTFOUND, "release %q not found", releaseID)
	}
	return nil
}

// UpdateTrackMetadata replaces a track's label-owned metadata. See
// music.Catalog.
func (s *Store) UpdateTrackMetadata(ctx context.Context, isrc string, m music.TrackMetadata) (*music.Track, error) {
	if m.Title == "" {
		return nil, music.Errorf(music.EINVALID, "track %s: empty title", isrc)
	}
	if m.PreviewStart < 0 {
		return nil, music.Errorf(music.EINVALID, "track %s: negative preview start", isrc)
	}
	if err := validateCredits(isrc, "artists", m.Artists); err != nil {
		return nil, err
	}
	now := s.now()
	var id string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.queryRow(ctx, tx, "SELECT id FROM tracks WHERE isrc = ?", isrc).Scan(&id)
		if err == sql.ErrNoRows {
			return music.Errorf(music.ENOTFOUND, "no track with ISRC %s", isrc)
		}
		if err != nil {
			return err
		}
		if m.Artists != nil {
			if err := s.upsertArtists(ctx, tx, m.Artists, now); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `UPDATE tracks SET title = ?, version = ?, genre = ?, explicit = ?, pline = ?,
			preview_start_ms = ?, updated_at = ? WHERE id = ?`,
			m.Title, m.Version, m.Genre, boolInt(m.Explicit), m.PLine, m.PreviewStart.Milliseconds(), now, id); err != nil {
			return err
		}
		if m.Artists != nil {
			return s.replaceCredits(ctx, tx, "track_artists", "track_id", id, m.Artists)
		}
		return nil
	})
	if err != nil {
		if isForeignKey(err) {
			return nil, music.Errorf(music.EINVALID, "track %s: refers to an unknown artist", isrc)
		}
		return nil, fmt.Errorf("update track %s: %w", isrc, err)
	}
	return s.Track(ctx, id, music.Visibility{})
}
