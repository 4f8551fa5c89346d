package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/recocache"
)

var _ music.RecoCache = (*Store)(nil)

// PutLists stores lists in the catalog DB, each replacing the user's
// previous list of that name, all in one transaction. See music.RecoCache.
func (s *Store) PutLists(ctx context.Context, lists []music.RecoList, ttl time.Duration) error {
	if err := recocache.Check(lists); err != nil {
		return err
	}
	now := s.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, l := range lists {
			body, err := json.Marshal(l)
			if err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO reco_lists (user_id, list, generated_at, expires_at, body)
				VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (user_id, list) DO UPDATE SET generated_at = excluded.generated_at,
					expires_at = excluded.expires_at, body = excluded.body`,
				l.UserID, l.List, ms(l.GeneratedAt), now.Add(ttl).UnixMilli(), string(body)); err != nil {
				return fmt.Errorf("reco list %s: %w", recocache.Key(l.UserID, l.List), err)
			}
		}
		// Expired rows go as new ones come, so the table stays bounded.
		if _, err := s.exec(ctx, tx, "DELETE FROM reco_lists WHERE expires_at <= ?", now.UnixMilli()); err != nil {
			return fmt.Errorf("reco lists: %w", err)
		}
		return nil
	})
}

// List returns a user's list. See music.RecoCache.
func (s *Store) List(ctx context.Context, userID, list string) (*music.RecoList, error) {
	var body string
	var expires int64
	err := s.queryRow(ctx, s.db, "SELECT body, expires_at FROM reco_lists WHERE user_id = ? AND list = ?", userID, list).Scan(&body, &expires)
	switch {
	case err == sql.ErrNoRows || err == nil && expires <= s.now():
		return nil, music.Errorf(music.ENOTFOUND, "no %s list for user %s", list, userID)
	case err != nil:
		return nil, music.Errorf(music.EUNAVAILABLE, "reco cache: %v", oneLine(err))
	}
	var l music.RecoList
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		return nil, fmt.Errorf("reco list %s: %w", recocache.Key(userID, list), err)
	}
	return &l, nil
}
