package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	music "github.com/openmusic/music"
)

var _ music.EpisodePlays = (*Store)(nil)

// RecordEpisodePlay stores a play once; see music.EpisodePlays.
func (s *Store) RecordEpisodePlay(ctx context.Context, p music.EpisodePlay) (bool, error) {
	var showID string
	err := s.queryRow(ctx, s.db, `SELECT show_id FROM podcast_episodes WHERE id = ?`, p.EpisodeID).Scan(&showID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, music.Errorf(music.ENOTFOUND, "no episode %q", p.EpisodeID)
	}
	if err != nil {
		return false, fmt.Errorf("episode play: %w", err)
	}
	res, err := s.exec(ctx, s.db, `INSERT INTO episode_plays (event_id, user_id, episode_id, show_id, device_id, played_at, day,
		listened_ms, completed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
		p.EventID, p.UserID, p.EpisodeID, showID, p.DeviceID, ms(p.PlayedAt), p.PlayedAt.UTC().Format(time.DateOnly),
		p.Listened.Milliseconds(), boolInt(p.Completed))
	if err != nil {
		return false, fmt.Errorf("episode play: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 0, nil
}

// ShowStats sums a show's plays per day; see music.EpisodePlays.
func (s *Store) ShowStats(ctx context.Context, showID, from, to string) ([]music.ShowDay, error) {
	rows, err := s.query(ctx, s.db, `SELECT day, COUNT(*), COUNT(DISTINCT NULLIF(user_id, '')), SUM(listened_ms), SUM(completed)
		FROM episode_plays WHERE show_id = ? AND day >= ? AND day <= ? GROUP BY day ORDER BY day`, showID, from, to)
	if err != nil {
		return nil, fmt.Errorf("show stats: %w", err)
	}
	defer rows.Close()
	out := []music.ShowDay{}
	for rows.Next() {
		var d music.ShowDay
		var listened int64
		if err := rows.Scan(&d.Day, &d.Plays, &d.Listeners, &listened, &d.Completed); err != nil {
			return nil, err
		}
		d.Listened = time.Duration(listened) * time.Millisecond
		out = append(out, d)
	}
	return out, rows.Err()
}
