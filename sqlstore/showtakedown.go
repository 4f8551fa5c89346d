package sqlstore

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
)

// TakeDownShow hides a show; see music.PodcastStore. Nothing is deleted.
func (s *Store) TakeDownShow(ctx context.Context, id string) error {
	return s.setTakenDown(ctx, id, `CASE WHEN taken_down_at = 0 THEN ? ELSE taken_down_at END`, s.now())
}

// RestoreShow undoes TakeDownShow; see music.PodcastStore.
func (s *Store) RestoreShow(ctx context.Context, id string) error {
	return s.setTakenDown(ctx, id, `?`, 0)
}

func (s *Store) setTakenDown(ctx context.Context, id, expr string, at int64) error {
	res, err := s.exec(ctx, s.db, `UPDATE podcast_shows SET taken_down_at = `+expr+` WHERE id = ?`, at, id)
	if err != nil {
		return fmt.Errorf("take down show %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return music.Errorf(music.ENOTFOUND, "no show %q", id)
	}
	return nil
}

// checkUp refuses a show that was taken down: registering its feed again
// must not bring it back behind ops' backs.
func (s *Store) checkUp(ctx context.Context, id string) error {
	var at int64
	if err := s.queryRow(ctx, s.db, `SELECT taken_down_at FROM podcast_shows WHERE id = ?`, id).Scan(&at); err != nil {
		return fmt.Errorf("show %s: %w", id, err)
	}
	if at != 0 {
		return music.Errorf(music.ECONFLICT, "field feed_url: show %s of this feed was taken down; ops may restore it", id)
	}
	return nil
}

// upShow is AddShow's answer for a feed already registered.
func upShow(sh *music.Show, err error) (*music.Show, bool, error) {
	if err != nil {
		return nil, false, err
	}
	return sh, false, nil
}
