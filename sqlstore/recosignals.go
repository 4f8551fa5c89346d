package sqlstore

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/recodata"
)

// RecoItems returns every track of a published release as the
// recommender sees it (credits in order, genre, release day, popularity)
// with its audio features, in track ID order. Visibility per territory is
// the API's business: the batch ranks every published track.
func (s *Store) RecoItems(ctx context.Context) ([]recodata.Item, []*music.AudioFeatures, error) {
	rows, err := s.query(ctx, s.db, `SELECT t.id, t.genre, t.popularity, t.audio_features, r.release_date, r.published_at, r.genre
		FROM tracks t JOIN releases r ON r.id = t.release_id
		WHERE r.status = ? ORDER BY t.id`, music.ReleasePublished)
	if err != nil {
		return nil, nil, fmt.Errorf("reco items: %w", err)
	}
	var items []recodata.Item
	var feats []*music.AudioFeatures
	index := map[string]int{}
	for rows.Next() {
		var it recodata.Item
		var raw, date, relGenre string
		var published int64
		if err := rows.Scan(&it.ID, &it.Genre, &it.Popularity, &raw, &date, &published, &relGenre); err != nil {
			rows.Close()
			return nil, nil, err
		}
		f, err := decodeFeatures(it.ID, raw)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		if it.Genre == "" {
			it.Genre = relGenre
		}
		it.Released = releaseDay(date, published)
		index[it.ID] = len(items)
		items = append(items, it)
		feats = append(feats, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	credits, err := s.query(ctx, s.db, "SELECT track_id, artist_id FROM track_artists ORDER BY track_id, position")
	if err != nil {
		return nil, nil, fmt.Errorf("reco items: %w", err)
	}
	defer credits.Close()
	for credits.Next() {
		var tid, aid string
		if err := credits.Scan(&tid, &aid); err != nil {
			return nil, nil, err
		}
		if i, ok := index[tid]; ok {
			items[i].Artists = append(items[i].Artists, aid)
		}
	}
	return items, feats, credits.Err()
}

// releaseDay is the release's day (days since the epoch): the delivered
// release date when it is a full date, else the first publication.
func releaseDay(date string, publishedMs int64) int64 {
	if d, err := time.Parse(time.DateOnly, date); err == nil {
		return d.Unix() / 86400
	}
	if publishedMs > 0 {
		return publishedMs / 86_400_000
	}
	return 0
}

// EachLibraryItem calls fn with every saved item of every user, by user.
func (s *Store) EachLibraryItem(ctx context.Context, fn func(userID, kind, itemID string) error) error {
	rows, err := s.query(ctx, s.db, "SELECT user_id, kind, item_id FROM library_items ORDER BY user_id, kind, item_id")
	if err != nil {
		return fmt.Errorf("library items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, k, id string
		if err := rows.Scan(&u, &k, &id); err != nil {
			return err
		}
		if err := fn(u, k, id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachPlaylist calls fn with every playlist's owner and live track IDs in
// playlist order.
func (s *Store) EachPlaylist(ctx context.Context, fn func(ownerID string, trackIDs []string) error) error {
	rows, err := s.query(ctx, s.db, `SELECT p.id, p.owner_id, e.track_id FROM playlist_entries e
		JOIN playlists p ON p.id = e.playlist_id WHERE e.removed = 0 ORDER BY p.id, e.slot`)
	if err != nil {
		return fmt.Errorf("playlists: %w", err)
	}
	defer rows.Close()
	var cur, owner string
	var tracks []string
	for rows.Next() {
		var id, o, tid string
		if err := rows.Scan(&id, &o, &tid); err != nil {
			return err
		}
		if id != cur && len(tracks) > 0 {
			if err := fn(owner, tracks); err != nil {
				return err
			}
			tracks = nil
		}
		cur, owner = id, o
		tracks = append(tracks, tid)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(tracks) > 0 {
		return fn(owner, tracks)
	}
	return nil
}
