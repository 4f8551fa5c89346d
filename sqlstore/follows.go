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

var _ music.FollowStore = (*Store)(nil)

// checkFollows validates one follow, unfollow or contains call.
func checkFollows(kind string, ids []string) error {
	if !slices.Contains(music.FollowKinds, kind) {
		return music.Errorf(music.EINVALID, "type %q: want one of %s", kind, strings.Join(music.FollowKinds, ", "))
	}
	if len(ids) == 0 || len(ids) > music.MaxFollowIDs {
		return music.Errorf(music.EINVALID, "ids: want 1 to %d, got %d", music.MaxFollowIDs, len(ids))
	}
	for i, id := range ids {
		if id == "" || len(id) > 200 {
			return music.Errorf(music.EINVALID, "ids[%d]: want 1 to 200 bytes", i)
		}
	}
	return nil
}

// sortedUnique returns ids sorted without repeats: every transaction
// then takes its row locks in the same order, so two of them cannot
// deadlock on the counts.
func sortedUnique(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Follow adds follows; see music.FollowStore.
func (s *Store) Follow(ctx context.Context, userID, kind string, ids []string) error {
	if err := checkFollows(kind, ids); err != nil {
		return err
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, id := range ids {
			if err := s.checkFollowTarget(ctx, tx, userID, kind, id, i); err != nil {
				return err
			}
		}
		for _, id := range sortedUnique(ids) {
			res, err := s.exec(ctx, tx, `INSERT INTO follows (user_id, kind, target_id, followed_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (user_id, kind, target_id) DO NOTHING`, userID, kind, id, now)
			if err != nil {
				return err
			}
			if err := s.countFollow(ctx, tx, res, kind, id, 1); err != nil {
				return err
			}
		}
		return nil
	})
	if isForeignKey(err) {
		return music.Errorf(music.EINVALID, "follow: no user %q", userID)
	}
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	return nil
}

// checkFollowTarget refuses a follow the store can tell is wrong: oneself,
// an account that is not a listener or that blocked the follower, a
// playlist that does not exist.
func (s *Store) checkFollowTarget(ctx context.Context, tx *sql.Tx, userID, kind, id string, i int) error {
	var query string
	args := []any{id}
	switch kind {
	case music.FollowUser:
		if id == userID {
			return music.Errorf(music.EINVALID, "ids[%d]: you cannot follow yourself", i)
		}
		// One who blocked the follower looks unknown to them.
		query = "SELECT 1 FROM users WHERE id = ? AND role = '" + music.RoleListener +
			"' AND NOT EXISTS (SELECT 1 FROM blocks WHERE user_id = users.id AND blocked_id = ?)"
		args = append(args, userID)
		if s.dialect == Postgres {
			// A block of the follower waits for this follow to commit and
			// then removes it, or this one sees the block.
			query += " FOR SHARE"
		}
	case music.FollowPlaylist:
		query = "SELECT 1 FROM playlists WHERE id = ?"
		if s.dialect == Postgres {
			// A delete of the playlist waits for this follow to commit
			// and then takes it away, or this one sees the playlist gone.
			query += " FOR SHARE"
		}
	default:
		return nil // catalog artists: the caller checks visibility
	}
	var one int
	err := s.queryRow(ctx, tx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return music.Errorf(music.ENOTFOUND, "ids[%d]: no %s %q", i, kind, id)
	}
	return err
}

// countFollow moves the follower count by delta when the statement whose
// result is res really changed a follow.
func (s *Store) countFollow(ctx context.Context, tx *sql.Tx, res sql.Result, kind, id string, delta int) error {
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return err
	}
	_, err = s.exec(ctx, tx, `INSERT INTO follower_counts (kind, target_id, followers) VALUES (?, ?, ?)
		ON CONFLICT (kind, target_id) DO UPDATE SET followers = follower_counts.followers + excluded.followers`, kind, id, delta)
	return err
}

// Unfollow removes follows; see music.FollowStore.
func (s *Store) Unfollow(ctx context.Context, userID, kind string, ids []string) error {
	if err := checkFollows(kind, ids); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range sortedUnique(ids) {
			res, err := s.exec(ctx, tx, "DELETE FROM follows WHERE user_id = ? AND kind = ? AND target_id = ?", userID, kind, id)
			if err != nil {
				return err
			}
			if err := s.countFollow(ctx, tx, res, kind, id, -1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("unfollow: %w", err)
	}
	return nil
}

// Following lists one kind in ID order after a cursor; see
// music.FollowStore.
func (s *Store) Following(ctx context.Context, userID, kind, after string, limit int) (*music.FollowPage, error) {
	if !slices.Contains(music.FollowKinds, kind) {
		return nil, music.Errorf(music.EINVALID, "type %q: want one of %s", kind, strings.Join(music.FollowKinds, ", "))
	}
	if limit < 1 {
		return nil, music.Errorf(music.EINVALID, "limit %d: want at least 1", limit)
	}
	page := &music.FollowPage{}
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM follows WHERE user_id = ? AND kind = ?", userID, kind).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("following: %w", err)
	}
	// One more than asked tells whether a next page exists.
	rows, err := s.query(ctx, s.db, `SELECT target_id, followed_at FROM follows WHERE user_id = ? AND kind = ? AND target_id > ?
		ORDER BY target_id LIMIT ?`, userID, kind, after, limit+1)
	if err != nil {
		return nil, fmt.Errorf("following: %w", err)
	}
	defer rows.Close()
	if page.Items, err = scanFollows(rows, kind); err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.After = page.Items[limit-1].ID
	}
	return page, nil
}

// FollowsNewest lists one kind newest first; see music.FollowStore.
func (s *Store) FollowsNewest(ctx context.Context, userID, kind string, offset, limit int) ([]music.Follow, int, error) {
	if !slices.Contains(music.FollowKinds, kind) {
		return nil, 0, music.Errorf(music.EINVALID, "type %q: want one of %s", kind, strings.Join(music.FollowKinds, ", "))
	}
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) FROM follows WHERE user_id = ? AND kind = ?", userID, kind).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("follows: %w", err)
	}
	rows, err := s.query(ctx, s.db, `SELECT target_id, followed_at FROM follows WHERE user_id = ? AND kind = ?
		ORDER BY followed_at DESC, target_id DESC LIMIT ? OFFSET ?`, userID, kind, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("follows: %w", err)
	}
	defer rows.Close()
	out, err := scanFollows(rows, kind)
	return out, total, err
}

// scanFollows reads rows of target_id, followed_at.
func scanFollows(rows *sql.Rows, kind string) ([]music.Follow, error) {
	out := []music.Follow{}
	for rows.Next() {
		f := music.Follow{Kind: kind}
		var at int64
		if err := rows.Scan(&f.ID, &at); err != nil {
			return nil, err
		}
		f.FollowedAt = fromMS(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// FollowsContain reports which ids userID follows; see music.FollowStore.
func (s *Store) FollowsContain(ctx context.Context, userID, kind string, ids []string) ([]bool, error) {
	if err := checkFollows(kind, ids); err != nil {
		return nil, err
	}
	args := []any{userID, kind}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.query(ctx, s.db, "SELECT target_id FROM follows WHERE user_id = ? AND kind = ? AND target_id IN (?"+
		strings.Repeat(", ?", len(ids)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("follows contain: %w", err)
	}
	defer rows.Close()
	followed := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		followed[id] = true
	}
	out := make([]bool, len(ids))
	for i, id := range ids {
		out[i] = followed[id]
	}
	return out, rows.Err()
}

// FollowerCount returns the kept count; see music.FollowStore.
func (s *Store) FollowerCount(ctx context.Context, kind, id string) (int, error) {
	var n int
	err := s.queryRow(ctx, s.db, "SELECT followers FROM follower_counts WHERE kind = ? AND target_id = ?", kind, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("follower count of %s %s: %w", kind, id, err)
	}
	return n, nil
}
