// Package socialtest is the conformance suite of music.FollowStore,
// music.ProfileStore, music.ShareStore, music.PrivacyStore and
// music.EditorialStore, run by every implementation on each of its
// backends.
package socialtest

import (
	"context"
	"testing"

	music "github.com/openmusic/music"
)

// Store is what the suite exercises.
type Store interface {
	music.FollowStore
	music.ProfileStore
	music.ShareStore
	music.PrivacyStore
	music.EditorialStore
	music.PlaylistStore
	music.UserStore
}

// Run runs the suite; open returns a fresh, empty store for one test,
// whose clock moves on between readings.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("Follows", func(t *testing.T) { testFollows(t, open(t)) })
	t.Run("CursorPaging", func(t *testing.T) { testCursorPaging(t, open(t)) })
	t.Run("BadFollows", func(t *testing.T) { testBadFollows(t, open(t)) })
	t.Run("FollowedPlaylists", func(t *testing.T) { testFollowedPlaylists(t, open(t)) })
	t.Run("Profiles", func(t *testing.T) { testProfiles(t, open(t)) })
	t.Run("ConcurrentFollowers", func(t *testing.T) { testConcurrentFollowers(t, open(t)) })
	t.Run("Shares", func(t *testing.T) { testShares(t, open(t)) })
	t.Run("OwnerRevokesShare", func(t *testing.T) { testOwnerRevokesShare(t, open(t)) })
	t.Run("BadShares", func(t *testing.T) { testBadShares(t, open(t)) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, open(t)) })
	t.Run("Blocks", func(t *testing.T) { testBlocks(t, open(t)) })
	t.Run("BadBlocks", func(t *testing.T) { testBadBlocks(t, open(t)) })
	t.Run("ActivityVisible", func(t *testing.T) { testActivityVisible(t, open(t)) })
	t.Run("Editorial", func(t *testing.T) { testEditorial(t, open(t)) })
	t.Run("BadEditorial", func(t *testing.T) { testBadEditorial(t, open(t)) })
}

// user creates an account with role and returns its ID.
func user(t *testing.T, s Store, name, role string) string {
	t.Helper()
	u, _, err := s.CreateUser(context.Background(), name, role, "GB")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// count returns the store's follower count of one thing.
func count(t *testing.T, s Store, kind, id string) int {
	t.Helper()
	n, err := s.FollowerCount(context.Background(), kind, id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if music.ErrorCode(err) != code {
		t.Errorf("%s: err %v, want code %s", what, err, code)
	}
}
