package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	music "github.com/openmusic/music"
)

// knownEpisode is what SyncFeed needs of a stored episode.
type knownEpisode struct {
	id, enclosureURL string
	hasAudio         bool
}

// SyncFeed stores one good poll; see music.PodcastStore.
func (s *Store) SyncFeed(ctx context.Context, showID string, meta music.Show, episodes []music.Episode, st music.FeedState) ([]music.Episode, error) {
	if err := checkText("title", meta.Title, 2000, true); err != nil {
		return nil, err
	}
	if err := checkEpisodes(episodes); err != nil {
		return nil, err
	}
	var fetch []music.Episode
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		known, err := s.knownEpisodes(ctx, tx, showID)
		if err != nil {
			return err
		}
		if err := checkGUIDScheme(known, episodes); err != nil {
			return err
		}
		fetch = nil
		inFeed := map[string]bool{}
		for _, e := range episodes {
			inFeed[e.GUID] = true
			e.ShowID = showID
			if k, ok := known[e.GUID]; ok {
				e.ID = k.id
				if err := s.updateEpisode(ctx, tx, &e); err != nil {
					return err
				}
				if k.enclosureURL != e.Enclosure.URL || !k.hasAudio {
					fetch = append(fetch, e)
				}
				continue
			}
			if e.ID, err = s.newID(music.EpisodeIDPrefix, 10); err != nil {
				return err
			}
			if err := s.insertEpisode(ctx, tx, &e); err != nil {
				return err
			}
			fetch = append(fetch, e)
		}
		for guid, k := range known {
			if !inFeed[guid] {
				if _, err := s.exec(ctx, tx, `UPDATE podcast_episodes SET hidden = 1 WHERE id = ?`, k.id); err != nil {
					return err
				}
			}
		}
		if err := s.updateShow(ctx, tx, showID, meta); err != nil {
			return err
		}
		st.Failures, st.LastError = 0, ""
		return s.recordPoll(ctx, tx, showID, st)
	})
	if err != nil {
		if music.ErrorCode(err) != music.EINTERNAL {
			return nil, err
		}
		return nil, fmt.Errorf("sync feed of %s: %w", showID, err)
	}
	return fetch, nil
}

// checkEpisodes refuses a poll the parser should never produce: an
// episode without a guid, title or enclosure, or a guid used twice.
func checkEpisodes(episodes []music.Episode) error {
	seen := map[string]bool{}
	for i, e := range episodes {
		switch {
		case e.GUID == "" || len(e.GUID) > 2000:
			return music.Errorf(music.EINVALID, "episodes[%d]: guid: want 1 to 2000 bytes", i)
		case seen[e.GUID]:
			return music.Errorf(music.EINVALID, "episodes[%d]: guid %q is used twice", i, e.GUID)
		case e.Title == "" || e.Enclosure.URL == "":
			return music.Errorf(music.EINVALID, "episodes[%d] (guid %q): title and enclosure are required", i, e.GUID)
		}
		seen[e.GUID] = true
	}
	return nil
}

func (s *Store) knownEpisodes(ctx context.Context, tx *sql.Tx, showID string) (map[string]knownEpisode, error) {
	var n int
	if err := s.queryRow(ctx, tx, `SELECT COUNT(*) FROM podcast_shows WHERE id = ?`, showID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, music.Errorf(music.ENOTFOUND, "no show %q", showID)
	}
	rows, err := s.query(ctx, tx, `SELECT guid, id, enclosure_url, original_key FROM podcast_episodes WHERE show_id = ?`, showID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	known := map[string]knownEpisode{}
	for rows.Next() {
		var guid, originalKey string
		var k knownEpisode
		if err := rows.Scan(&guid, &k.id, &k.enclosureURL, &originalKey); err != nil {
			return nil, err
		}
		k.hasAudio = originalKey != ""
		known[guid] = k
	}
	return known, rows.Err()
}

// checkGUIDScheme refuses a poll in which a new guid carries the
// enclosure of a stored episode the feed no longer lists under its old
// guid: the feed renamed its items, and taking them as new would publish
// every episode twice.
func checkGUIDScheme(known map[string]knownEpisode, episodes []music.Episode) error {
	inFeed := map[string]bool{}
	for _, e := range episodes {
		inFeed[e.GUID] = true
	}
	dropped := map[string]string{} // enclosure URL → guid of a dropped episode
	for guid, k := range known {
		if !inFeed[guid] {
			dropped[k.enclosureURL] = guid
		}
	}
	for _, e := range episodes {
		if _, ok := known[e.GUID]; ok {
			continue
		}
		if old, ok := dropped[e.Enclosure.URL]; ok {
			return music.Errorf(music.EUNPROCESSABLE,
				"the feed changed its guid scheme: item %q has the enclosure of episode %q; nothing was stored (re-register the show to start over)",
				e.GUID, old)
		}
	}
	return nil
}

func (s *Store) insertEpisode(ctx context.Context, tx *sql.Tx, e *music.Episode) error {
	_, err := s.exec(ctx, tx, `INSERT INTO podcast_episodes (id, show_id, guid, title, description, season, number, published_at,
		duration_ms, explicit, enclosure_url, enclosure_type, enclosure_length, chapters_url, chapters_type, transcript_url,
		transcript_type, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
		e.ID, e.ShowID, e.GUID, e.Title, e.Description, e.Season, e.Number, ms(e.PublishedAt), e.Duration.Milliseconds(),
		boolInt(e.Explicit), e.Enclosure.URL, e.Enclosure.Type, e.Enclosure.Length, e.Chapters.URL, e.Chapters.Type,
		e.Transcript.URL, e.Transcript.Type)
	return err
}

func (s *Store) updateEpisode(ctx context.Context, tx *sql.Tx, e *music.Episode) error {
	_, err := s.exec(ctx, tx, `UPDATE podcast_episodes SET title = ?, description = ?, season = ?, number = ?, published_at = ?,
		duration_ms = ?, explicit = ?, enclosure_url = ?, enclosure_type = ?, enclosure_length = ?, chapters_url = ?,
		chapters_type = ?, transcript_url = ?, transcript_type = ?, hidden = 0 WHERE id = ?`,
		e.Title, e.Description, e.Season, e.Number, ms(e.PublishedAt), e.Duration.Milliseconds(), boolInt(e.Explicit),
		e.Enclosure.URL, e.Enclosure.Type, e.Enclosure.Length, e.Chapters.URL, e.Chapters.Type, e.Transcript.URL,
		e.Transcript.Type, e.ID)
	return err
}

func (s *Store) updateShow(ctx context.Context, tx *sql.Tx, id string, m music.Show) error {
	_, err := s.exec(ctx, tx, `UPDATE podcast_shows SET guid = ?, title = ?, author = ?, description = ?, image_url = ?,
		language = ?, explicit = ?, locked = ? WHERE id = ?`,
		m.GUID, m.Title, m.Author, m.Description, m.ImageURL, m.Language, boolInt(m.Explicit), boolInt(m.Locked), id)
	return err
}
