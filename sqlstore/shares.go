package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	music "github.com/openmusic/music"
)

var _ music.ShareStore = (*Store)(nil)

// shareTokenBytes is the randomness of a share token: 256 bits, so a
// token cannot be guessed however many are tried.
const shareTokenBytes = 32

// CreateShare makes a share link; see music.ShareStore.
func (s *Store) CreateShare(ctx context.Context, creatorID, kind, targetID string) (*music.Share, string, error) {
	if !slices.Contains(music.ShareKinds, kind) {
		return nil, "", music.Errorf(music.EINVALID, "type %q: want one of %s", kind, strings.Join(music.ShareKinds, ", "))
	}
	if targetID == "" || len(targetID) > 200 {
		return nil, "", music.Errorf(music.EINVALID, "id: want 1 to 200 bytes")
	}
	id, err := s.newID("shr_", 8)
	if err != nil {
		return nil, "", err
	}
	token, err := s.newID(music.ShareTokenPrefix, shareTokenBytes)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if kind == music.SharePlaylist {
			var one int
			err := s.queryRow(ctx, tx, "SELECT 1 FROM playlists WHERE id = ?", targetID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return music.Errorf(music.ENOTFOUND, "no playlist %q", targetID)
			}
			if err != nil {
				return err
			}
		}
		_, err := s.exec(ctx, tx, `INSERT INTO shares (id, token_sha256, kind, target_id, creator_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, music.TokenHash(token), kind, targetID, creatorID, now)
		return err
	})
	if isForeignKey(err) {
		return nil, "", music.Errorf(music.EINVALID, "share: no user %q", creatorID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("create share: %w", err)
	}
	return &music.Share{ID: id, Kind: kind, TargetID: targetID, CreatorID: creatorID, CreatedAt: fromMS(now)}, token, nil
}

// ShareByToken returns a live share; see music.ShareStore.
func (s *Store) ShareByToken(ctx context.Context, token string) (*music.Share, error) {
	shares, err := s.shares(ctx, "WHERE token_sha256 = ? AND revoked_at IS NULL", music.TokenHash(token))
	if err != nil {
		return nil, err
	}
	if len(shares) == 0 {
		// Never echo the token: it may be a real one mistyped.
		return nil, music.Errorf(music.ENOTFOUND, "no such share link, or it was revoked")
	}
	return &shares[0], nil
}

// RevokeShare ends a share; see music.ShareStore.
func (s *Store) RevokeShare(ctx context.Context, actorID, shareID string) error {
	res, err := s.exec(ctx, s.db, `UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
		AND (creator_id = ? OR (kind = ? AND target_id IN (SELECT id FROM playlists WHERE owner_id = ?)))`,
		s.now(), shareID, actorID, music.SharePlaylist, actorID)
	if err != nil {
		return fmt.Errorf("revoke share %s: %w", shareID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = music.Errorf(music.ENOTFOUND, "no share %q", shareID)
		}
		return err
	}
	return nil
}

// SharesOf lists a creator's live shares; see music.ShareStore.
func (s *Store) SharesOf(ctx context.Context, creatorID string, offset, limit int) ([]music.Share, int, error) {
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM shares WHERE creator_id = ? AND revoked_at IS NULL", creatorID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("shares: %w", err)
	}
	out, err := s.shares(ctx, "WHERE creator_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
		creatorID, limit, offset)
	return out, total, err
}

// shares reads the shares a WHERE clause selects.
func (s *Store) shares(ctx context.Context, where string, args ...any) ([]music.Share, error) {
	rows, err := s.query(ctx, s.db, "SELECT id, kind, target_id, creator_id, created_at FROM shares "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("shares: %w", err)
	}
	defer rows.Close()
	out := []music.Share{}
	for rows.Next() {
		var sh music.Share
		var at int64
		if err := rows.Scan(&sh.ID, &sh.Kind, &sh.TargetID, &sh.CreatorID, &at); err != nil {
			return nil, err
		}
		sh.CreatedAt = fromMS(at)
		out = append(out, sh)
	}
	return out, rows.Err()
}
