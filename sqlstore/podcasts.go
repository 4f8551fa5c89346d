package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	music "github.com/openmusic/music"
)

var _ music.PodcastStore = (*Store)(nil)

// AddShow registers a feed URL; see music.PodcastStore.
func (s *Store) AddShow(ctx context.Context, feedURL string) (*music.Show, bool, error) {
	if err := checkText("feed_url", feedURL, 2000, true); err != nil {
		return nil, false, err
	}
	if existing, err := s.showByFeed(ctx, feedURL); err == nil {
		return upShow(existing, s.checkUp(ctx, existing.ID))
	} else if music.ErrorCode(err) != music.ENOTFOUND {
		return nil, false, err
	}
	id, err := s.newID("show_", 10)
	if err != nil {
		return nil, false, err
	}
	_, err = s.exec(ctx, s.db, `INSERT INTO podcast_shows (id, feed_url, added_at) VALUES (?, ?, ?)`, id, feedURL, s.now())
	if isUnique(err) { // added by another caller since the look-up
		existing, err := s.showByFeed(ctx, feedURL)
		if err != nil {
			return nil, false, err
		}
		return upShow(existing, s.checkUp(ctx, existing.ID))
	}
	if err != nil {
		return nil, false, fmt.Errorf("add show: %w", err)
	}
	return &music.Show{ID: id, FeedURL: feedURL}, true, nil
}

const showColumns = `id, feed_url, guid, title, author, description, image_url, language, explicit, locked`

func scanShow(r interface{ Scan(...any) error }) (*music.Show, error) {
	var sh music.Show
	var explicit, locked int
	if err := r.Scan(&sh.ID, &sh.FeedURL, &sh.GUID, &sh.Title, &sh.Author, &sh.Description, &sh.ImageURL,
		&sh.Language, &explicit, &locked); err != nil {
		return nil, err
	}
	sh.Explicit, sh.Locked = explicit == 1, locked == 1
	return &sh, nil
}

func (s *Store) showByFeed(ctx context.Context, feedURL string) (*music.Show, error) {
	sh, err := scanShow(s.queryRow(ctx, s.db, `SELECT `+showColumns+` FROM podcast_shows WHERE feed_url = ?`, feedURL))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, music.Errorf(music.ENOTFOUND, "no show with feed %q", feedURL)
	}
	return sh, err
}

// Show returns a show that is up; see music.PodcastStore.
func (s *Store) Show(ctx context.Context, id string) (*music.Show, error) {
	var at int64
	var reason string
	sh, err := scanShow(scanFirst(s.queryRow(ctx, s.db, `SELECT taken_down_at, taken_down_reason, `+showColumns+` FROM podcast_shows WHERE id = ?`, id), &at, &reason))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, music.Errorf(music.ENOTFOUND, "no show %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("show %s: %w", id, err)
	}
	if at != 0 {
		return nil, showDown(id, reason)
	}
	return sh, nil
}

// scanFirst scans the row's leading columns into first and the rest into
// what its Scan is given, so scanShow reads a row with more columns.
func scanFirst(r interface{ Scan(...any) error }, first ...any) rowScanFunc {
	return func(rest ...any) error { return r.Scan(append(first, rest...)...) }
}

// rowScanFunc is a function with a row's Scan method.
type rowScanFunc func(...any) error

func (f rowScanFunc) Scan(dest ...any) error { return f(dest...) }

// Shows pages through every show; see music.PodcastStore.
func (s *Store) Shows(ctx context.Context, after string, limit int) ([]music.Show, error) {
	rows, err := s.query(ctx, s.db, `SELECT `+showColumns+` FROM podcast_shows WHERE id > ? AND taken_down_at = 0 ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("shows: %w", err)
	}
	defer rows.Close()
	out := []music.Show{}
	for rows.Next() {
		sh, err := scanShow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *sh)
	}
	return out, rows.Err()
}

// RecordPoll stores a poll that changed nothing or failed; see
// music.PodcastStore.
func (s *Store) RecordPoll(ctx context.Context, showID string, st music.FeedState) error {
	return s.recordPoll(ctx, s.db, showID, st)
}

func (s *Store) recordPoll(ctx context.Context, q querier, showID string, st music.FeedState) error {
	res, err := s.exec(ctx, q, `UPDATE podcast_shows SET etag = ?, last_modified = ?, polled_at = ?, failures = ?, last_error = ?
		WHERE id = ?`, st.ETag, st.LastModified, ms(st.PolledAt), st.Failures, st.LastError, showID)
	if err != nil {
		return fmt.Errorf("record poll of %s: %w", showID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return music.Errorf(music.ENOTFOUND, "no show %q", showID)
	}
	return nil
}

// FeedState returns what the last poll left; see music.PodcastStore.
func (s *Store) FeedState(ctx context.Context, showID string) (music.FeedState, error) {
	var st music.FeedState
	var polled int64
	err := s.queryRow(ctx, s.db, `SELECT etag, last_modified, polled_at, failures, last_error FROM podcast_shows WHERE id = ?`,
		showID).Scan(&st.ETag, &st.LastModified, &polled, &st.Failures, &st.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return st, music.Errorf(music.ENOTFOUND, "no show %q", showID)
	}
	st.PolledAt = fromMS(polled)
	return st, err
}

const episodeColumns = `id, show_id, guid, title, description, season, number, published_at, duration_ms, explicit,
	enclosure_url, enclosure_type, enclosure_length, chapters_url, chapters_type, transcript_url, transcript_type, hidden,
	audio_source_url, original_key, original_sha256, original_bytes, measured_ms, loudness_lufs, original_lufs, gain_db,
	renditions, audio_error, files`

func scanEpisode(r interface{ Scan(...any) error }) (*music.Episode, error) {
	var e music.Episode
	var a music.EpisodeAudio
	var published, durMS, measuredMS int64
	var explicit, hidden int
	var renditions, files string
	if err := r.Scan(&e.ID, &e.ShowID, &e.GUID, &e.Title, &e.Description, &e.Season, &e.Number, &published, &durMS,
		&explicit, &e.Enclosure.URL, &e.Enclosure.Type, &e.Enclosure.Length, &e.Chapters.URL, &e.Chapters.Type,
		&e.Transcript.URL, &e.Transcript.Type, &hidden, &a.SourceURL, &a.OriginalKey, &a.OriginalSHA256,
		&a.OriginalBytes, &measuredMS, &a.LoudnessLUFS, &a.OriginalLUFS, &a.GainDB, &renditions, &e.AudioError, &files); err != nil {
		return nil, err
	}
	e.PublishedAt, e.Duration = fromMS(published), time.Duration(durMS)*time.Millisecond
	e.Explicit, e.Hidden = explicit == 1, hidden == 1
	if a.OriginalKey != "" {
		a.Duration = time.Duration(measuredMS) * time.Millisecond
		if err := json.Unmarshal([]byte(renditions), &a.Renditions); err != nil {
			return nil, fmt.Errorf("episode %s: renditions: %w", e.ID, err)
		}
		if err := json.Unmarshal([]byte(files), &a.Files); err != nil {
			return nil, fmt.Errorf("episode %s: files: %w", e.ID, err)
		}
		e.Audio = &a
	}
	return &e, nil
}

// Episodes lists a show's visible episodes newest first; see
// music.PodcastStore.
func (s *Store) Episodes(ctx context.Context, showID string, offset, limit int) ([]music.Episode, int, error) {
	var total int
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM podcast_episodes WHERE show_id = ? AND hidden = 0 AND original_key <> ''`, showID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count episodes of %s: %w", showID, err)
	}
	rows, err := s.query(ctx, s.db, `SELECT `+episodeColumns+` FROM podcast_episodes WHERE show_id = ? AND hidden = 0
		AND original_key <> '' ORDER BY published_at DESC, id LIMIT ? OFFSET ?`, showID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("episodes of %s: %w", showID, err)
	}
	defer rows.Close()
	out := []music.Episode{}
	for rows.Next() {
		e, err := scanEpisode(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *e)
	}
	return out, total, rows.Err()
}

// Episode returns one episode; see music.PodcastStore.
func (s *Store) Episode(ctx context.Context, id string) (*music.Episode, error) {
	e, err := scanEpisode(s.queryRow(ctx, s.db, `SELECT `+episodeColumns+` FROM podcast_episodes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, music.Errorf(music.ENOTFOUND, "no episode %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("episode %s: %w", id, err)
	}
	return e, nil
}

// SetEpisodeAudio publishes an episode's audio; see music.PodcastStore.
func (s *Store) SetEpisodeAudio(ctx context.Context, episodeID string, a music.EpisodeAudio) error {
	if a.OriginalKey == "" || len(a.Renditions) == 0 {
		return music.Errorf(music.EINVALID, "episode %s: audio needs the original's key and at least one rendition", episodeID)
	}
	renditions, err := json.Marshal(a.Renditions)
	if err != nil {
		return fmt.Errorf("episode %s: renditions: %w", episodeID, err)
	}
	if a.Files == nil {
		a.Files = []music.EpisodeFile{} // "[]", as the column's default
	}
	files, err := json.Marshal(a.Files)
	if err != nil {
		return fmt.Errorf("episode %s: files: %w", episodeID, err)
	}
	res, err := s.exec(ctx, s.db, `UPDATE podcast_episodes SET audio_source_url = ?, original_key = ?, original_sha256 = ?,
		original_bytes = ?, measured_ms = ?, loudness_lufs = ?, original_lufs = ?, gain_db = ?, renditions = ?, audio_error = '',
		files = ? WHERE id = ? AND enclosure_url = ?`, a.SourceURL, a.OriginalKey, a.OriginalSHA256, a.OriginalBytes,
		a.Duration.Milliseconds(), a.LoudnessLUFS, a.OriginalLUFS, a.GainDB, string(renditions), string(files), episodeID,
		a.SourceURL)
	if err != nil {
		return fmt.Errorf("episode %s: set audio: %w", episodeID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Episode(ctx, episodeID); err != nil {
			return err
		}
		return music.Errorf(music.ECONFLICT, "episode %s: its enclosure is no longer %s; the audio fetched from it is stale", episodeID, a.SourceURL)
	}
	return nil
}

// SetEpisodeAudioError records a failed fetch; see music.PodcastStore.
func (s *Store) SetEpisodeAudioError(ctx context.Context, episodeID, msg string) error {
	if msg == "" {
		return music.Errorf(music.EINVALID, "episode %s: an audio error needs a message", episodeID)
	}
	res, err := s.exec(ctx, s.db, `UPDATE podcast_episodes SET audio_error = ? WHERE id = ?`, truncate(msg, 2000), episodeID)
	if err != nil {
		return fmt.Errorf("episode %s: set audio error: %w", episodeID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return music.Errorf(music.ENOTFOUND, "no episode %q", episodeID)
	}
	return nil
}

// truncate cuts s to at most n bytes on a rune boundary: error messages
// from outsiders' servers can be long and are only for people.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
