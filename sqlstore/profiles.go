package sqlstore

import (
	"context"

	music "github.com/openmusic/music"
)

var _ music.ProfileStore = (*Store)(nil)

// UserByID returns an account; see music.ProfileStore.
func (s *Store) UserByID(ctx context.Context, id string) (*music.User, error) {
	users, err := s.users(ctx, "SELECT id, name, role, country, plan, created_at FROM users WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, music.Errorf(music.ENOTFOUND, "no user %q", id)
	}
	return &users[0], nil
}

// PublicPlaylistsOf lists userID's public playlists newest first; see
// music.ProfileStore.
func (s *Store) PublicPlaylistsOf(ctx context.Context, userID string, offset, limit int) ([]music.Playlist, int, error) {
	return s.listPlaylists(ctx, "FROM playlists WHERE owner_id = ? AND public = 1", offset, limit, userID)
}
