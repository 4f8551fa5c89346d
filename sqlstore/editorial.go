package sqlstore

import (
	"context"
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

// CreateEditorialPlaylist makes an editorial playlist with its tracks;
// see music.EditorialStore. It is two writes (create, then add); when
// the add fails the playlist is deleted again.
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
	p, err := s.createPlaylist(ctx, &music.Playlist{OwnerID: music.EditorialOwnerID, Name: ep.Name, Description: ep.Description,
		Public: true, Editorial: true, CuratorID: curatorID, CoverURL: ep.CoverURL})
	if err != nil || len(ep.TrackIDs) == 0 {
		return p, err
	}
	c, err := s.EditPlaylist(ctx, p.ID, music.EditorialOwnerID, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: ep.TrackIDs})
	if err != nil {
		if _, derr := s.DeletePlaylist(context.WithoutCancel(ctx), p.ID, music.EditorialOwnerID, 0); derr != nil {
			return nil, fmt.Errorf("editorial playlist %s: %w (and deleting it again: %v)", p.ID, err, derr)
		}
		return nil, err
	}
	p.Version, p.TrackCount, p.UpdatedAt = c.Version, len(ep.TrackIDs), c.At
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
