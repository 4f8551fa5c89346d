package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	music "github.com/openmusic/music"
)

var _ music.EditorialStore = (*Store)(nil)

// checkCoverURL accepts an absolute https URL of at most 2,000 bytes.
func checkCoverURL(raw string) error {
	u, err := url.Parse(raw)
	if len(raw) > 2000 || err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return music.Errorf(music.EINVALID, "cover_url: want an https URL of at most 2000 bytes")
	}
	return nil
}

// CreateEditorialPlaylist makes an editorial playlist with its tracks in
// one transaction; see music.EditorialStore.
func (s *Store) CreateEditorialPlaylist(ctx context.Context, curatorID string, ep music.EditorialPlaylist) (*music.Playlist, error) {
	if err := checkCoverURL(ep.CoverURL); err != nil {
		return nil, err
	}
	if len(ep.TrackIDs) > music.MaxEditorialTracks {
		return nil, music.Errorf(music.EINVALID, "track_ids: want at most %d, got %d", music.MaxEditorialTracks, len(ep.TrackIDs))
	}
	if err := s.ensureEditorialAccount(ctx); err != nil {
		return nil, err
	}
	var addTracks func(tx *sql.Tx) error
	var added *music.PlaylistChange
	p := &music.Playlist{OwnerID: music.EditorialOwnerID, Name: ep.Name, Description: ep.Description,
		Public: true, Editorial: true, CuratorID: curatorID, CoverURL: ep.CoverURL}
	if len(ep.TrackIDs) > 0 {
		// The ID is known only inside createPlaylist; the edit reads it
		// from p there.
		addTracks = func(tx *sql.Tx) error {
			fn, err := s.editFn(ctx, p.ID, music.EditorialOwnerID, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: ep.TrackIDs})
			if err == nil {
				added, err = s.playlistWriteTx(ctx, tx, p.ID, music.EditorialOwnerID, 0, editors, fn)
			}
			return err
		}
	}
	if _, err := s.createPlaylist(ctx, p, addTracks); err != nil {
		return nil, err
	}
	if added != nil {
		p.Version, p.TrackCount, p.UpdatedAt = added.Version, len(ep.TrackIDs), added.At
	}
	return p, nil
}

// ensureEditorialAccount makes the editorial account if it is missing.
// It has no token and no password; its name starts with a space, which
// account names never do (they are trimmed), so it cannot clash with one.
func (s *Store) ensureEditorialAccount(ctx context.Context) error {
	_, err := s.exec(ctx, s.db, `INSERT INTO users (id, name, role, country, created_at) VALUES (?, ' editorial', ?, 'GB', ?)
		ON CONFLICT (id) DO NOTHING`, music.EditorialOwnerID, music.RoleOps, s.now())
	if err != nil {
		return fmt.Errorf("editorial account: %w", err)
	}
	return nil
}

// FeaturedPlaylists lists editorial playlists; see music.EditorialStore.
func (s *Store) FeaturedPlaylists(ctx context.Context, offset, limit int) ([]music.Playlist, int, error) {
	return s.listPlaylists(ctx, "FROM playlists WHERE editorial = 1", offset, limit)
}

// likePattern is %word% with LIKE's wildcards in word escaped by \.
func likePattern(word string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(word)) + "%"
}

// SearchPlaylists finds public playlists by name; see
// music.EditorialStore. A scan of public playlist names: fine for the
// catalog DB's playlist counts, and the place for an index later.
func (s *Store) SearchPlaylists(ctx context.Context, words []string, offset, limit int) ([]music.Playlist, int, error) {
	if len(words) == 0 {
		return nil, 0, music.Errorf(music.EINVALID, "q: has no words to search for")
	}
	where := "FROM playlists p LEFT JOIN follower_counts fc ON fc.kind = 'playlist' AND fc.target_id = p.id WHERE p.public = 1"
	args := []any{}
	for _, w := range words {
		where += ` AND LOWER(p.name) LIKE ? ESCAPE '\'`
		args = append(args, likePattern(w))
	}
	var total int
	if err := s.queryRow(ctx, s.db, "SELECT COUNT(*) "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search playlists: %w", err)
	}
	rows, err := s.query(ctx, s.db, "SELECT p.id "+where+
		" ORDER BY p.editorial DESC, COALESCE(fc.followers, 0) DESC, p.created_at DESC, p.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search playlists: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return s.loadPlaylists(ctx, ids, total)
}
