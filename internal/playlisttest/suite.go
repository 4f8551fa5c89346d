// Package playlisttest is the conformance suite of music.PlaylistStore and
// music.LibraryStore, run by every implementation on each of its backends.
package playlisttest

import (
	"context"
	"testing"

	music "github.com/openmusic/music"
)

// Store is what the suite exercises.
type Store interface {
	music.PlaylistStore
	music.LibraryStore
	music.UserStore
}

// Run runs the suite; open returns a fresh, empty store for one test.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("Lifecycle", func(t *testing.T) { testLifecycle(t, open(t)) })
	t.Run("Permissions", func(t *testing.T) { testPermissions(t, open(t)) })
	t.Run("Versions", func(t *testing.T) { testVersions(t, open(t)) })
	t.Run("CollaborativeExample", func(t *testing.T) { testCollaborativeExample(t, open(t)) })
	t.Run("MoveOfRemovedEntry", func(t *testing.T) { testMoveOfRemovedEntry(t, open(t)) })
	t.Run("ConcurrentEditors", func(t *testing.T) { testConcurrentEditors(t, open(t)) })
	t.Run("Library", func(t *testing.T) { testLibrary(t, open(t)) })
}

// user creates a listener and returns its ID.
func user(t *testing.T, s Store, name string) string {
	t.Helper()
	u, _, err := s.CreateUser(context.Background(), name, music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// trackIDs renders the live entries of a playlist as track IDs.
func trackIDs(t *testing.T, s Store, id, actor string) []string {
	t.Helper()
	es, _, err := s.Entries(context.Background(), id, actor, 0, music.MaxPlaylistEntries)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, e := range es {
		out = append(out, e.TrackID)
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if music.ErrorCode(err) != code {
		t.Errorf("%s: err %v, want code %s", what, err, code)
	}
}
