package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	music "github.com/openmusic/music"
)

// TakeDownShow hides a show for reason; see music.PodcastStore. Nothing is
// deleted. A show already down keeps its time and first reason.
func (s *Store) TakeDownShow(ctx context.Context, id, reason string) error {
	if reason == "" {
		return music.Errorf(music.EINVALID, "take down show %s: no reason", id)
	}
	return s.setTakenDown(ctx, id, `taken_down_at = CASE WHEN taken_down_at = 0 THEN ? ELSE taken_down_at END,
		taken_down_reason = CASE WHEN taken_down_at = 0 THEN ? ELSE taken_down_reason END`, s.now(), reason)
}

// RestoreShow undoes TakeDownShow; see music.PodcastStore.
func (s *Store) RestoreShow(ctx context.Context, id string) error {
	return s.setTakenDown(ctx, id, `taken_down_at = 0, taken_down_reason = ''`)
}

func (s *Store) setTakenDown(ctx context.Context, id, set string, args ...any) error {
	res, err := s.exec(ctx, s.db, `UPDATE podcast_shows SET `+set+` WHERE id = ?`, append(args, id)...)
	if err != nil {
		return fmt.Errorf("take down show %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return music.Errorf(music.ENOTFOUND, "no show %q", id)
	}
	return nil
}

// showDown is the ENOTFOUND of a show taken down, naming why: a
// listener's 404 and a device's renewal say the same.
func showDown(id, reason string) error {
	if reason == "" { // taken down before reasons were kept
		reason = music.ShowRemovedByOps
	}
	return music.Errorf(music.ENOTFOUND, "show %s was %s", id, reason)
}

// checkUp refuses a show that was taken down: registering its feed again
// must not bring it back behind ops' backs.
func (s *Store) checkUp(ctx context.Context, id string) error {
	var at int64
	var reason string
	err := s.queryRow(ctx, s.db, `SELECT taken_down_at, taken_down_reason FROM podcast_shows WHERE id = ?`, id).Scan(&at, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return music.Errorf(music.ENOTFOUND, "no show %q", id)
	}
	if err != nil {
		return fmt.Errorf("show %s: %w", id, err)
	}
	if at != 0 {
		return music.Errorf(music.ECONFLICT, "field feed_url: %s; ops may restore it", music.ErrorMessage(showDown(id, reason)))
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
