package playlisttest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func testLifecycle(t *testing.T, s Store) {
	ctx := context.Background()
	alice := user(t, s, "alice")
	p, err := s.CreatePlaylist(ctx, alice, "Road trip", "for the car", false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || p.OwnerID != alice || p.Public || p.TrackCount != 0 {
		t.Fatalf("created %+v", p)
	}
	add := func(tracks []string, after string, pos *int) *music.PlaylistChange {
		t.Helper()
		c, err := s.EditPlaylist(ctx, p.ID, alice, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: tracks, After: after, Position: pos})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := add([]string{"t1", "t2", "t3"}, "", nil)
	if c.Version != 2 || len(c.Entries) != 3 || c.Entries[0].Position != 0 || c.After != "" {
		t.Fatalf("add change %+v", c)
	}
	zero := 0
	c0 := add([]string{"t0"}, "", &zero)
	add([]string{"t2b"}, c.Entries[1].ID, nil)
	if got := strings.Join(trackIDs(t, s, p.ID, alice), " "); got != "t0 t1 t2 t2b t3" {
		t.Fatalf("after adds: %s", got)
	}
	// Paging: offset and limit over live entries, positions absolute.
	page, pl, err := s.Entries(ctx, p.ID, alice, 1, 2)
	if err != nil || len(page) != 2 || page[0].TrackID != "t1" || page[0].Position != 1 || page[1].Position != 2 || pl.TrackCount != 5 {
		t.Fatalf("page: %+v %+v %v", page, pl, err)
	}
	if _, err := s.EditPlaylist(ctx, p.ID, alice, 0, music.PlaylistEdit{Kind: music.EditMove, EntryIDs: []string{c0.Entries[0].ID}}); err != nil {
		t.Fatal(err)
	}
	rm, err := s.EditPlaylist(ctx, p.ID, alice, 0, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{c.Entries[0].ID}})
	if err != nil || !slices.Equal(rm.Removed, []string{c.Entries[0].ID}) {
		t.Fatalf("remove: %+v %v", rm, err)
	}
	if got := strings.Join(trackIDs(t, s, p.ID, alice), " "); got != "t2 t2b t3 t0" {
		t.Fatalf("after move and remove: %s", got)
	}
	name, pub := "Road trip 2", true
	u, err := s.UpdatePlaylist(ctx, p.ID, alice, 0, music.PlaylistUpdate{Name: &name, Public: &pub})
	if err != nil || u.Playlist.Name != name || !u.Playlist.Public || u.Playlist.Description != "for the car" {
		t.Fatalf("update: %+v %v", u, err)
	}
	got, err := s.Playlist(ctx, p.ID, alice)
	if err != nil || got.Version != 7 || got.TrackCount != 4 || got.Name != name {
		t.Fatalf("playlist after 6 writes: %+v %v", got, err)
	}
	changes, err := s.Changes(ctx, p.ID, alice, 5, 0)
	if err != nil || len(changes) != 2 || changes[0].Kind != music.EditRemove || changes[1].Kind != music.ChangeUpdate {
		t.Fatalf("changes since 5: %+v %v", changes, err)
	}
	// Paged: two changes a page, oldest first, each page after the last,
	// together the whole history.
	all, err := s.Changes(ctx, p.ID, alice, 0, 0)
	if err != nil || len(all) < 5 {
		t.Fatalf("all changes: %d, %v", len(all), err)
	}
	var versions, want []int64
	for _, c := range all {
		want = append(want, c.Version)
	}
	for since := int64(0); ; {
		page, err := s.Changes(ctx, p.ID, alice, since, 2)
		if err != nil || len(page) > 2 {
			t.Fatalf("changes page after %d: %d changes, %v", since, len(page), err)
		}
		if len(page) == 0 {
			break
		}
		for _, c := range page {
			versions = append(versions, c.Version)
		}
		since = page[len(page)-1].Version
	}
	if fmt.Sprint(versions) != fmt.Sprint(want) {
		t.Fatalf("changes read two at a time: versions %v, want %v", versions, want)
	}
	second, _ := s.CreatePlaylist(ctx, alice, "Second", "", true)
	list, total, err := s.PlaylistsOf(ctx, alice, 0, 10)
	if err != nil || total != 2 || len(list) != 2 {
		t.Fatalf("list: %d of %d, %v", len(list), total, err)
	}
	if _, err := s.DeletePlaylist(ctx, second.ID, alice, 0); err != nil {
		t.Fatal(err)
	}
	_, err = s.Playlist(ctx, second.ID, alice)
	wantCode(t, "read deleted", err, music.ENOTFOUND)

	for _, bad := range []string{"", "   ", strings.Repeat("x", 201), "tab\tname"} {
		_, err := s.CreatePlaylist(ctx, alice, bad, "", false)
		wantCode(t, "create named "+bad, err, music.EINVALID)
	}
	_, err = s.EditPlaylist(ctx, "pl_nope", alice, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"x"}})
	wantCode(t, "edit unknown playlist", err, music.ENOTFOUND)
}

func testPermissions(t *testing.T, s Store) {
	ctx := context.Background()
	alice, bob, carol := user(t, s, "alice"), user(t, s, "bob"), user(t, s, "carol")
	priv, _ := s.CreatePlaylist(ctx, alice, "Private", "", false)
	pub, _ := s.CreatePlaylist(ctx, alice, "Public", "", true)
	s.EditPlaylist(ctx, priv.ID, alice, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t1"}})

	_, err := s.Playlist(ctx, priv.ID, bob)
	wantCode(t, "stranger reads private", err, music.EFORBIDDEN)
	_, _, err = s.Entries(ctx, priv.ID, bob, 0, 10)
	wantCode(t, "stranger reads private entries", err, music.EFORBIDDEN)
	_, err = s.Changes(ctx, priv.ID, bob, 0, 0)
	wantCode(t, "stranger reads private changes", err, music.EFORBIDDEN)
	if _, err := s.Playlist(ctx, pub.ID, bob); err != nil {
		t.Errorf("stranger reads public: %v", err)
	}
	_, err = s.EditPlaylist(ctx, pub.ID, bob, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"x"}})
	wantCode(t, "stranger edits public", err, music.EFORBIDDEN)
	_, err = s.SetCollaborator(ctx, pub.ID, bob, 0, bob, true)
	wantCode(t, "stranger adds self as collaborator", err, music.EFORBIDDEN)

	if _, err := s.SetCollaborator(ctx, priv.ID, alice, 0, bob, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditPlaylist(ctx, priv.ID, bob, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"t2"}}); err != nil {
		t.Errorf("collaborator edits: %v", err)
	}
	name := "mine now"
	_, err = s.UpdatePlaylist(ctx, priv.ID, bob, 0, music.PlaylistUpdate{Name: &name})
	wantCode(t, "collaborator renames", err, music.EFORBIDDEN)
	_, err = s.DeletePlaylist(ctx, priv.ID, bob, 0)
	wantCode(t, "collaborator deletes", err, music.EFORBIDDEN)
	_, err = s.SetCollaborator(ctx, priv.ID, bob, 0, carol, true)
	wantCode(t, "collaborator adds a collaborator", err, music.EFORBIDDEN)
	_, err = s.SetCollaborator(ctx, priv.ID, alice, 0, "usr_nobody", true)
	wantCode(t, "unknown collaborator", err, music.EUNPROCESSABLE)
	list, _, _ := s.PlaylistsOf(ctx, bob, 0, 10)
	if len(list) != 1 || list[0].ID != priv.ID {
		t.Errorf("bob's playlists: %+v, want the one he collaborates on", list)
	}

	// Refused writes change nothing, not even the version.
	p, _ := s.Playlist(ctx, priv.ID, alice)
	if p.Version != 4 || p.Name != "Private" || strings.Join(trackIDs(t, s, priv.ID, alice), " ") != "t1 t2" {
		t.Errorf("after refused writes: %+v %v", p, trackIDs(t, s, priv.ID, alice))
	}
	if _, err := s.SetCollaborator(ctx, priv.ID, alice, 0, bob, false); err != nil {
		t.Fatal(err)
	}
	_, err = s.Playlist(ctx, priv.ID, bob)
	wantCode(t, "removed collaborator reads", err, music.EFORBIDDEN)
}

func testVersions(t *testing.T, s Store) {
	ctx := context.Background()
	alice := user(t, s, "alice")
	p, _ := s.CreatePlaylist(ctx, alice, "V", "", false)
	if _, err := s.EditPlaylist(ctx, p.ID, alice, 1, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.EditPlaylist(ctx, p.ID, alice, 1, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{"b"}})
	wantCode(t, "stale If-Match", err, music.ECONFLICT)
	if cur, ok := music.CurrentVersion(err); !ok || cur != 2 {
		t.Errorf("conflict carries version %d (%v), want 2", cur, ok)
	}
	name := "W"
	_, err = s.UpdatePlaylist(ctx, p.ID, alice, 7, music.PlaylistUpdate{Name: &name})
	wantCode(t, "stale rename", err, music.ECONFLICT)
	_, err = s.DeletePlaylist(ctx, p.ID, alice, 1)
	wantCode(t, "stale delete", err, music.ECONFLICT)
	got, _ := s.Playlist(ctx, p.ID, alice)
	if got.Version != 2 || got.Name != "V" || got.TrackCount != 1 {
		t.Errorf("after refused writes: %+v", got)
	}
	_, err = s.EditPlaylist(ctx, p.ID, alice, 2, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{"ent_unknown"}})
	wantCode(t, "remove unknown entry", err, music.EUNPROCESSABLE)
}
