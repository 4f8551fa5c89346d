package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	music "github.com/openmusic/music"
)

// HoldForReview records the reviews of a release's held tracks and
// reports whether it must stay unpublished. See music.Reviews.
func (s *Store) HoldForReview(ctx context.Context, releaseID string, rs []music.Review) (bool, error) {
	held := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, r := range rs {
			if r.ReleaseID != releaseID || r.TrackID == "" || r.MatchedTrackID == "" {
				return music.Errorf(music.EINVALID, "review of release %s: track %q matched %q is incomplete", releaseID, r.TrackID, r.MatchedTrackID)
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO reviews (id, release_id, track_id, isrc, owner_id,
					matched_track_id, matched_owner_id, score, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				music.ReviewID(r.TrackID, r.MatchedTrackID), releaseID, r.TrackID, r.ISRC, r.OwnerID,
				r.MatchedTrackID, r.MatchedOwnerID, r.Score, music.ReviewPending, now); err != nil {
				return fmt.Errorf("review of %s: %w", r.TrackID, err)
			}
		}
		var err error
		held, err = s.releaseHeld(ctx, tx, releaseID)
		return err
	})
	return held, err
}

// releaseHeld reports whether a review of the release is pending or
// rejected.
func (s *Store) releaseHeld(ctx context.Context, q querier, releaseID string) (bool, error) {
	var n int
	err := s.queryRow(ctx, q, "SELECT COUNT(*) FROM reviews WHERE release_id = ? AND status <> ?",
		releaseID, music.ReviewAccepted).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("reviews of %s: %w", releaseID, err)
	}
	return n > 0, nil
}

// ListReviews returns reviews in one state, oldest first. See music.Reviews.
func (s *Store) ListReviews(ctx context.Context, status string, limit int) ([]music.Review, error) {
	if status != "" && !slices.Contains([]string{music.ReviewPending, music.ReviewAccepted, music.ReviewRejected}, status) {
		return nil, music.Errorf(music.EINVALID, "review status %q: want pending, accepted or rejected", status)
	}
	if limit <= 0 {
		return nil, music.Errorf(music.EINVALID, "review list: limit %d: want > 0", limit)
	}
	q := reviewColumns + " FROM reviews WHERE (? = '' OR status = ?) ORDER BY created_at, id LIMIT ?"
	return s.reviews(ctx, s.db, q, status, status, limit)
}

// DecideReview accepts or rejects a pending review. See music.Reviews.
func (s *Store) DecideReview(ctx context.Context, id string, accept bool, by, note string) (music.Review, bool, error) {
	var out music.Review
	publishable := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rs, err := s.reviews(ctx, tx, reviewColumns+" FROM reviews WHERE id = ?", id)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return music.Errorf(music.ENOTFOUND, "no review %q", id)
		}
		out = rs[0]
		if out.Status != music.ReviewPending {
			return music.Errorf(music.ECONFLICT, "review %s was already %s", id, out.Status)
		}
		out.Status = music.ReviewRejected
		if accept {
			out.Status = music.ReviewAccepted
		}
		out.DecidedBy, out.Note, out.DecidedAt = by, note, fromMS(s.now())
		if _, err := s.exec(ctx, tx, "UPDATE reviews SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ?",
			out.Status, ms(out.DecidedAt), by, note, id); err != nil {
			return err
		}
		held, err := s.releaseHeld(ctx, tx, out.ReleaseID)
		publishable = !held
		return err
	})
	if err != nil {
		return music.Review{}, false, fmt.Errorf("decide review %s: %w", id, err)
	}
	return out, publishable, nil
}

const reviewColumns = `SELECT id, release_id, track_id, isrc, owner_id, matched_track_id, matched_owner_id,
	score, status, created_at, decided_at, decided_by, note`

func (s *Store) reviews(ctx context.Context, q querier, query string, args ...any) ([]music.Review, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	defer rows.Close()
	var out []music.Review
	for rows.Next() {
		var r music.Review
		var created, decided int64
		if err := rows.Scan(&r.ID, &r.ReleaseID, &r.TrackID, &r.ISRC, &r.OwnerID, &r.MatchedTrackID, &r.MatchedOwnerID,
			&r.Score, &r.Status, &created, &decided, &r.DecidedBy, &r.Note); err != nil {
			return nil, err
		}
		r.CreatedAt, r.DecidedAt = fromMS(created), fromMS(decided)
		out = append(out, r)
	}
	return out, rows.Err()
}
