package playlisttest

import (
	"context"
	"slices"
	"testing"

	music "github.com/openmusic/music"
)

func testLibrary(t *testing.T, s Store) {
	ctx := context.Background()
	alice, bob := user(t, s, "alice"), user(t, s, "bob")
	for _, batch := range [][]string{{"t1"}, {"t2", "t3"}, {"t4"}, {"t1"}} {
		if err := s.SaveItems(ctx, alice, music.LibraryTrack, batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveItems(ctx, alice, music.LibraryAlbum, []string{"a1"}); err != nil {
		t.Fatal(err)
	}
	ids := func(user, kind string, offset, limit int) ([]string, int) {
		t.Helper()
		items, total, err := s.LibraryItems(ctx, user, kind, offset, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out, total
	}
	// The store's clock ticks between calls (see the suite's backends), so
	// newest first is t4, then t3 and t2 saved together, then t1, whose
	// re-save kept its first time.
	if got, total := ids(alice, music.LibraryTrack, 0, 10); !slices.Equal(got, []string{"t4", "t3", "t2", "t1"}) || total != 4 {
		t.Errorf("tracks %v (total %d)", got, total)
	}
	if got, _ := ids(alice, music.LibraryTrack, 1, 2); !slices.Equal(got, []string{"t3", "t2"}) {
		t.Errorf("page 1,2: %v", got)
	}
	if got, _ := ids(alice, music.LibraryAlbum, 0, 10); !slices.Equal(got, []string{"a1"}) {
		t.Errorf("albums %v", got)
	}
	if got, total := ids(bob, music.LibraryTrack, 0, 10); len(got) != 0 || total != 0 {
		t.Errorf("bob sees %v", got)
	}
	if err := s.RemoveItems(ctx, alice, music.LibraryTrack, []string{"t3", "never-saved"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := ids(alice, music.LibraryTrack, 0, 10); !slices.Equal(got, []string{"t4", "t2", "t1"}) {
		t.Errorf("after remove: %v", got)
	}
	wantCode(t, "bad kind", s.SaveItems(ctx, alice, "podcast", []string{"x"}), music.EINVALID)
	wantCode(t, "no ids", s.SaveItems(ctx, alice, music.LibraryTrack, nil), music.EINVALID)
	wantCode(t, "empty id", s.SaveItems(ctx, alice, music.LibraryTrack, []string{""}), music.EINVALID)
}
