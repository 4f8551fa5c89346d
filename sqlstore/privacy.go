package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	music "github.com/openmusic/music"
)

var _ music.PrivacyStore = (*Store)(nil)

// Settings returns a user's settings; see music.PrivacyStore.
func (s *Store) Settings(ctx context.Context, userID string) (music.Settings, error) {
	return s.settings(ctx, s.db, userID)
}

func (s *Store) settings(ctx context.Context, q querier, userID string) (music.Settings, error) {
	var private, share int
	err := s.queryRow(ctx, q, "SELECT private_session, share_activity FROM user_settings WHERE user_id = ?", userID).Scan(&private, &share)
	if errors.Is(err, sql.ErrNoRows) {
		return music.DefaultSettings, nil
	}
	if err != nil {
		return music.Settings{}, fmt.Errorf("settings of %s: %w", userID, err)
	}
	return music.Settings{PrivateSession: private == 1, ShareActivity: share == 1}, nil
}

// UpdateSettings applies an update; see music.PrivacyStore.
func (s *Store) UpdateSettings(ctx context.Context, userID string, u music.SettingsUpdate) (music.Settings, error) {
	var out music.Settings
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := s.settings(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.PrivateSession != nil {
			cur.PrivateSession = *u.PrivateSession
		}
		if u.ShareActivity != nil {
			cur.ShareActivity = *u.ShareActivity
		}
		_, err = s.exec(ctx, tx, `INSERT INTO user_settings (user_id, private_session, share_activity, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET private_session = excluded.private_session,
			share_activity = excluded.share_activity, updated_at = excluded.updated_at`,
			userID, boolInt(cur.PrivateSession), boolInt(cur.ShareActivity), s.now())
		out = cur
		return err
	})
	if isForeignKey(err) {
		return music.Settings{}, music.Errorf(music.ENOTFOUND, "no user %q", userID)
	}
	if err != nil {
		return music.Settings{}, fmt.Errorf("update settings: %w", err)
	}
	return out, nil
}

// Block blocks users and drops their follows; see music.PrivacyStore.
func (s *Store) Block(ctx context.Context, userID string, ids []string) error {
	if err := checkFollows(music.FollowUser, ids); err != nil {
		return err
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockUser(ctx, tx, userID, "UPDATE"); err != nil {
			return err
		}
		for i, id := range ids {
			if id == userID {
				return music.Errorf(music.EINVALID, "ids[%d]: you cannot block yourself", i)
			}
			var one int
			err := s.queryRow(ctx, tx, "SELECT 1 FROM users WHERE id = ?", id).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return music.Errorf(music.ENOTFOUND, "ids[%d]: no user %q", i, id)
			}
			if err != nil {
				return err
			}
		}
		for _, id := range sortedUnique(ids) {
			if _, err := s.exec(ctx, tx, `INSERT INTO blocks (user_id, blocked_id, blocked_at) VALUES (?, ?, ?)
				ON CONFLICT (user_id, blocked_id) DO NOTHING`, userID, id, now); err != nil {
				return err
			}
			res, err := s.exec(ctx, tx, "DELETE FROM follows WHERE user_id = ? AND kind = ? AND target_id = ?", id, music.FollowUser, userID)
			if err != nil {
				return err
			}
			if err := s.countFollow(ctx, tx, res, music.FollowUser, userID, -1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("block: %w", err)
	}
	return nil
}

// lockUser takes a row lock on a user on PostgreSQL (SQLite serialises
// writers anyway): a block takes it FOR UPDATE and a follow of that user
// FOR SHARE, so a follow cannot slip in beside a block that removes it.
func (s *Store) lockUser(ctx context.Context, tx *sql.Tx, userID, mode string) error {
	if s.dialect != Postgres {
		return nil
	}
	var one int
	err := s.queryRow(ctx, tx, "SELECT 1 FROM users WHERE id = ? FOR "+mode, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return music.Errorf(music.ENOTFOUND, "no user %q", userID)
	}
	return err
}

// Unblock removes blocks; see music.PrivacyStore.
func (s *Store) Unblock(ctx context.Context, userID string, ids []string) error {
	if err := checkFollows(music.FollowUser, ids); err != nil {
		return err
	}
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.exec(ctx, s.db, "DELETE FROM blocks WHERE user_id = ? AND blocked_id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", args...)
	if err != nil {
		return fmt.Errorf("unblock: %w", err)
	}
	return nil
}

// Blocks lists whom a user blocked; see music.PrivacyStore.
func (s *Store) Blocks(ctx context.Context, userID string, offset, limit int) ([]music.Block, int, error) {
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM blocks WHERE user_id = ?", userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("blocks: %w", err)
	}
	rows, err := s.query(ctx, s.db, `SELECT blocked_id, blocked_at FROM blocks WHERE user_id = ?
		ORDER BY blocked_at DESC, blocked_id LIMIT ? OFFSET ?`, userID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("blocks: %w", err)
	}
	defer rows.Close()
	out := []music.Block{}
	for rows.Next() {
		var b music.Block
		var at int64
		if err := rows.Scan(&b.UserID, &at); err != nil {
			return nil, 0, err
		}
		b.BlockedAt = fromMS(at)
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// HasBlocked reports one block; see music.PrivacyStore.
func (s *Store) HasBlocked(ctx context.Context, userID, otherID string) (bool, error) {
	var one int
	err := s.queryRow(ctx, s.db, "SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?", userID, otherID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("block of %s by %s: %w", otherID, userID, err)
	}
	return true, nil
}

// maxActivityIDs bounds one ActivityVisible query's parameters.
const maxActivityIDs = 500

// ActivityVisible filters ids to those whose listening viewerID may see;
// see music.PrivacyStore.
func (s *Store) ActivityVisible(ctx context.Context, viewerID string, ids []string) ([]string, error) {
	out := []string{}
	for start := 0; start < len(ids); start += maxActivityIDs {
		chunk := ids[start:min(start+maxActivityIDs, len(ids))]
		args := []any{viewerID}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := s.query(ctx, s.db, `SELECT u.id FROM users u LEFT JOIN user_settings st ON st.user_id = u.id
			WHERE NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = u.id AND b.blocked_id = ?)
			AND COALESCE(st.private_session, 0) = 0 AND COALESCE(st.share_activity, 1) = 1
			AND u.id IN (?`+strings.Repeat(", ?", len(chunk)-1)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("activity visible: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, id)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
