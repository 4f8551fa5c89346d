package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

var _ music.PodcastListening = (*Store)(nil)

// FollowShow follows a show; see music.PodcastListening.
func (s *Store) FollowShow(ctx context.Context, userID, showID string) error {
	if _, err := s.Show(ctx, showID); err != nil {
		return err
	}
	_, err := s.exec(ctx, s.db, `INSERT INTO podcast_follows (user_id, show_id, followed_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id, show_id) DO NOTHING`, userID, showID, s.now())
	if err != nil {
		return fmt.Errorf("follow show %s: %w", showID, err)
	}
	return nil
}

// UnfollowShow stops following a show; see music.PodcastListening.
func (s *Store) UnfollowShow(ctx context.Context, userID, showID string) error {
	if _, err := s.exec(ctx, s.db, `DELETE FROM podcast_follows WHERE user_id = ? AND show_id = ?`, userID, showID); err != nil {
		return fmt.Errorf("unfollow show %s: %w", showID, err)
	}
	return nil
}

// FollowedShows lists followed shows with their unplayed counts; see
// music.PodcastListening.
func (s *Store) FollowedShows(ctx context.Context, userID string, offset, limit int) ([]music.FollowedShow, int, error) {
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM podcast_follows f JOIN podcast_shows p ON p.id = f.show_id
		WHERE f.user_id = ? AND p.taken_down_at = 0`, userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count followed shows: %w", err)
	}
	rows, err := s.query(ctx, s.db, `SELECT `+prefixed("p.", showColumns)+`, f.followed_at,
		(SELECT COUNT(*) FROM podcast_episodes e WHERE e.show_id = p.id AND e.hidden = 0 AND e.original_key <> ''
			AND NOT EXISTS (SELECT 1 FROM episode_progress g WHERE g.user_id = f.user_id AND g.episode_id = e.id AND g.completed = 1))
		FROM podcast_follows f JOIN podcast_shows p ON p.id = f.show_id
		WHERE f.user_id = ? AND p.taken_down_at = 0 ORDER BY f.followed_at DESC, p.id LIMIT ? OFFSET ?`, userID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("followed shows: %w", err)
	}
	defer rows.Close()
	out := []music.FollowedShow{}
	for rows.Next() {
		var f music.FollowedShow
		var explicit, locked int
		var followed int64
		if err := rows.Scan(&f.ID, &f.FeedURL, &f.GUID, &f.Title, &f.Author, &f.Description, &f.ImageURL, &f.Language,
			&explicit, &locked, &followed, &f.Unplayed); err != nil {
			return nil, 0, err
		}
		f.Explicit, f.Locked, f.FollowedAt = explicit == 1, locked == 1, fromMS(followed)
		out = append(out, f)
	}
	return out, total, rows.Err()
}

// SetEpisodePosition stores a resume position; see
// music.PodcastListening.
func (s *Store) SetEpisodePosition(ctx context.Context, userID, episodeID string, p music.EpisodeProgress) error {
	if p.Position < 0 {
		return music.Errorf(music.EINVALID, "position_ms: %d is negative", p.Position.Milliseconds())
	}
	if _, err := s.Episode(ctx, episodeID); err != nil {
		return err
	}
	// The later report wins; completed, once set, stays.
	_, err := s.exec(ctx, s.db, `INSERT INTO episode_progress (user_id, episode_id, position_ms, completed, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, episode_id) DO UPDATE SET position_ms = excluded.position_ms,
			completed = CASE WHEN episode_progress.completed = 1 THEN 1 ELSE excluded.completed END,
			updated_at = excluded.updated_at
		WHERE excluded.updated_at >= episode_progress.updated_at`,
		userID, episodeID, p.Position.Milliseconds(), boolInt(p.Completed), ms(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("episode %s: set position: %w", episodeID, err)
	}
	return nil
}

// EpisodePosition returns a resume position; see music.PodcastListening.
func (s *Store) EpisodePosition(ctx context.Context, userID, episodeID string) (music.EpisodeProgress, error) {
	var p music.EpisodeProgress
	var pos, at int64
	var completed int
	err := s.queryRow(ctx, s.db, `SELECT position_ms, completed, updated_at FROM episode_progress WHERE user_id = ? AND episode_id = ?`,
		userID, episodeID).Scan(&pos, &completed, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("episode %s: position: %w", episodeID, err)
	}
	return music.EpisodeProgress{Position: time.Duration(pos) * time.Millisecond, Completed: completed == 1, UpdatedAt: fromMS(at)}, nil
}

// prefixed qualifies each of a comma-separated column list with p ("p.").
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i := range parts {
		parts[i] = p + strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, ", ")
}
