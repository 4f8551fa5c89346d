package socialtest

import (
	"context"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// testEditorial makes editorial playlists, lists them as featured and
// finds them, and any public playlist, by name.
func testEditorial(t *testing.T, s Store) {
	ctx := context.Background()
	ops := user(t, s, "ops", music.RoleOps)
	a := user(t, s, "a", music.RoleListener)
	p, err := s.CreateEditorialPlaylist(ctx, ops, music.EditorialPlaylist{Name: "Morning Jazz", Description: "Coffee",
		CoverURL: "https://img.example.com/jazz.jpg", TrackIDs: []string{"trk-1", "trk-2"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Playlist(ctx, p.ID, a)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Editorial || !got.Public || got.OwnerID != music.EditorialOwnerID || got.CuratorID != ops ||
		got.CoverURL != "https://img.example.com/jazz.jpg" || got.TrackCount != 2 {
		t.Errorf("editorial playlist reads back as %+v", got)
	}
	if _, err := s.CreatePlaylist(ctx, a, "my jazz mix", "", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreatePlaylist(ctx, a, "Secret jazz", "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateEditorialPlaylist(ctx, ops, music.EditorialPlaylist{Name: "Rock 100%", CoverURL: "https://img.example.com/r.jpg"}); err != nil {
		t.Fatal(err)
	}
	featured, total, err := s.FeaturedPlaylists(ctx, 0, 10)
	if err != nil || total != 2 || len(featured) != 2 || featured[0].Name != "Rock 100%" {
		t.Errorf("featured %v (total %d, %v), want the two editorial playlists newest first", names(featured), total, err)
	}
	found, total, err := s.SearchPlaylists(ctx, []string{"JAZZ"}, 0, 10)
	if err != nil || total != 2 || len(found) != 2 || found[0].ID != p.ID || found[1].Name != "my jazz mix" {
		t.Errorf("search jazz: %v (total %d, %v), want the editorial one first, then the public mix, not the private one", names(found), total, err)
	}
	for _, q := range [][]string{{"morning", "jazz"}, {"100%"}} {
		if found, _, _ := s.SearchPlaylists(ctx, q, 0, 10); len(found) != 1 {
			t.Errorf("search %q: %v, want one", q, names(found))
		}
	}
	// A new cover and name are read back and searched; a bad cover
	// changes nothing.
	cover, name := "https://img.example.com/jazz2.jpg", "Evening Jazz"
	if _, err := s.UpdatePlaylist(ctx, p.ID, music.EditorialOwnerID, 0, music.PlaylistUpdate{Name: &name, CoverURL: &cover}); err != nil {
		t.Fatal(err)
	}
	bad := "http://img.example.com/x.jpg"
	if _, err := s.UpdatePlaylist(ctx, p.ID, music.EditorialOwnerID, 0, music.PlaylistUpdate{Name: &bad, CoverURL: &bad}); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("a plain-http cover: %v, want invalid", err)
	}
	if got, err := s.Playlist(ctx, p.ID, a); err != nil || got.Name != name || got.CoverURL != cover || got.Description != "Coffee" {
		t.Errorf("after a new name and cover: %+v, %v", got, err)
	}
	if found, _, _ := s.SearchPlaylists(ctx, []string{"evening"}, 0, 10); len(found) != 1 || found[0].ID != p.ID {
		t.Errorf("search evening: %v, want the renamed playlist", names(found))
	}
	// LIKE wildcards in the words are literal.
	if found, _, _ := s.SearchPlaylists(ctx, []string{"%"}, 0, 10); len(found) != 1 || found[0].Name != "Rock 100%" {
		t.Errorf("search %%: %v, want only the name with a %%", names(found))
	}
}

// testBadEditorial: a bad cover, name or too many tracks make nothing.
func testBadEditorial(t *testing.T, s Store) {
	ctx := context.Background()
	ops := user(t, s, "ops", music.RoleOps)
	for _, ep := range []music.EditorialPlaylist{
		{Name: "x", CoverURL: "http://img.example.com/x.jpg"},
		{Name: "x", CoverURL: "javascript:alert(1)"},
		{Name: "x", CoverURL: "https://" + strings.Repeat("a", 2000)},
		{Name: "", CoverURL: "https://img.example.com/x.jpg"},
		{Name: "x", CoverURL: "https://img.example.com/x.jpg", TrackIDs: make([]string, music.MaxEditorialTracks+1)},
	} {
		if _, err := s.CreateEditorialPlaylist(ctx, ops, ep); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("create %.60q cover %.40q with %d tracks: %v, want invalid", ep.Name, ep.CoverURL, len(ep.TrackIDs), err)
		}
	}
	if _, total, _ := s.FeaturedPlaylists(ctx, 0, 10); total != 0 {
		t.Errorf("%d featured after bad calls, want 0", total)
	}
	if _, _, err := s.SearchPlaylists(ctx, nil, 0, 10); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("search no words: %v, want invalid", err)
	}
}

func names(ps []music.Playlist) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
