package sqlstore

import (
	"context"
	"strings"

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

// UsersByID returns the accounts that exist; see music.ProfileStore.
func (s *Store) UsersByID(ctx context.Context, ids []string) ([]music.User, error) {
	if len(ids) > music.MaxActivityIDs {
		return nil, music.Errorf(music.EINVALID, "ids: want at most %d, got %d", music.MaxActivityIDs, len(ids))
	}
	if len(ids) == 0 {
		return []music.User{}, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return s.users(ctx, "SELECT id, name, role, country, plan, created_at FROM users WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", args...)
}

// PublicPlaylistsOf lists userID's public playlists newest first; see
// music.ProfileStore.
func (s *Store) PublicPlaylistsOf(ctx context.Context, userID string, offset, limit int) ([]music.Playlist, int, error) {
	return s.listPlaylists(ctx, "FROM playlists WHERE owner_id = ? AND public = 1", offset, limit, userID)
}
