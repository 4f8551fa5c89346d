package socialtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// testFollows follows one of each kind, reads them back, and unfollows.
func testFollows(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	b := user(t, s, "b", music.RoleListener)
	c := user(t, s, "c", music.RoleListener)
	p, err := s.CreatePlaylist(ctx, b, "B's", "", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ kind, id string }{{music.FollowUser, b}, {music.FollowArtist, "artist-1"}, {music.FollowPlaylist, p.ID}} {
		if err := s.Follow(ctx, a, f.kind, []string{f.id}); err != nil {
			t.Fatalf("follow %s: %v", f.kind, err)
		}
		// Following twice is one follow.
		if err := s.Follow(ctx, a, f.kind, []string{f.id}); err != nil {
			t.Fatalf("follow %s again: %v", f.kind, err)
		}
		if n := count(t, s, f.kind, f.id); n != 1 {
			t.Errorf("%s follower count %d after one follower, want 1", f.kind, n)
		}
	}
	if err := s.Follow(ctx, c, music.FollowUser, []string{b}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, music.FollowUser, b); n != 2 {
		t.Errorf("b has %d followers, want 2", n)
	}
	got, err := s.FollowsContain(ctx, a, music.FollowUser, []string{c, b, "nobody"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []bool{false, true, false}) {
		t.Errorf("contains [c b nobody] = %v, want [false true false]", got)
	}
	page, err := s.Following(ctx, a, music.FollowUser, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].ID != b || page.Total != 1 || page.After != "" || page.Items[0].FollowedAt.IsZero() {
		t.Errorf("a follows users %+v, want only b, one page, with a time", page)
	}
	if err := s.Unfollow(ctx, a, music.FollowUser, []string{b}); err != nil {
		t.Fatal(err)
	}
	// Unfollowing what one does not follow changes nothing.
	if err := s.Unfollow(ctx, a, music.FollowUser, []string{b, c}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, music.FollowUser, b); n != 1 {
		t.Errorf("b has %d followers after a left, want 1", n)
	}
	if n := count(t, s, music.FollowUser, c); n != 0 {
		t.Errorf("c has %d followers, want 0", n)
	}
}

// testCursorPaging walks 7 follows 3 at a time with the after cursor.
func testCursorPaging(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	var want []string
	for i := range 7 {
		want = append(want, fmt.Sprintf("artist-%02d", i))
	}
	if err := s.Follow(ctx, a, music.FollowArtist, []string{want[3], want[0], want[6], want[1], want[5], want[2], want[4]}); err != nil {
		t.Fatal(err)
	}
	var got []string
	after, pages := "", 0
	for {
		page, err := s.Following(ctx, a, music.FollowArtist, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if page.Total != 7 || len(page.Items) > 3 {
			t.Fatalf("page %d: total %d, %d items; want 7 and at most 3", pages, page.Total, len(page.Items))
		}
		for _, f := range page.Items {
			got = append(got, f.ID)
		}
		if page.After == "" {
			break
		}
		after = page.After
	}
	if pages != 3 || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%d pages of %v, want 3 pages of %v", pages, got, want)
	}
}

// testBadFollows: each bad call is refused with a clear code, and
// nothing of it is applied, not even its good ids.
func testBadFollows(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	b := user(t, s, "b", music.RoleListener)
	lbl := user(t, s, "label", music.RoleLabel)
	tooMany := make([]string, music.MaxFollowIDs+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("artist-%d", i)
	}
	for _, tc := range []struct {
		what, kind string
		ids        []string
		code       string
	}{
		{"yourself", music.FollowUser, []string{b, a}, music.EINVALID},
		{"an unknown user", music.FollowUser, []string{b, "no-such-user"}, music.ENOTFOUND},
		{"a label account", music.FollowUser, []string{b, lbl}, music.ENOTFOUND},
		{"an unknown playlist", music.FollowPlaylist, []string{"no-such-playlist"}, music.ENOTFOUND},
		{"more than 50 ids", music.FollowArtist, tooMany, music.EINVALID},
		{"no ids", music.FollowArtist, nil, music.EINVALID},
		{"an empty id", music.FollowArtist, []string{""}, music.EINVALID},
		{"an unknown type", "album", []string{"x"}, music.EINVALID},
	} {
		err := s.Follow(ctx, a, tc.kind, tc.ids)
		wantCode(t, "follow "+tc.what, err, tc.code)
		if err != nil && !strings.Contains(err.Error(), "ids") && !strings.Contains(err.Error(), "type") {
			t.Errorf("follow %s: %q names neither ids nor type", tc.what, err)
		}
	}
	if n := count(t, s, music.FollowUser, b); n != 0 {
		t.Errorf("b has %d followers after refused calls, want 0", n)
	}
	for _, kind := range []string{music.FollowUser, music.FollowArtist} {
		page, err := s.Following(ctx, a, kind, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 0 {
			t.Errorf("a follows %d %ss after refused calls, want 0", page.Total, kind)
		}
	}
	wantCode(t, "unfollow more than 50", s.Unfollow(ctx, a, music.FollowArtist, tooMany), music.EINVALID)
	_, err := s.FollowsContain(ctx, a, music.FollowArtist, tooMany)
	wantCode(t, "contains more than 50", err, music.EINVALID)
	_, err = s.Following(ctx, a, "album", "", 10)
	wantCode(t, "following an unknown type", err, music.EINVALID)
}

// testProfiles reads accounts and their public playlists.
func testProfiles(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	u, err := s.UserByID(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != a || u.Name != "a" || u.Country != "GB" || u.Plan == "" {
		t.Errorf("UserByID = %+v, want a in GB with a plan", u)
	}
	_, err = s.UserByID(ctx, "no-such-user")
	wantCode(t, "unknown user", err, music.ENOTFOUND)
	b := user(t, s, "b", music.RoleListener)
	if got, err := s.UsersByID(ctx, []string{b, "no-such-user", a}); err != nil || len(got) != 2 || got[0].ID == got[1].ID {
		t.Errorf("UsersByID(b, unknown, a) = %+v, %v; want a and b", got, err)
	}
	if got, err := s.UsersByID(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("UsersByID() = %+v, %v", got, err)
	}
	_, err = s.UsersByID(ctx, make([]string, music.MaxActivityIDs+1))
	wantCode(t, "too many users", err, music.EINVALID)
	pub, err := s.CreatePlaylist(ctx, a, "Public", "", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreatePlaylist(ctx, a, "Private", "", false); err != nil {
		t.Fatal(err)
	}
	ps, total, err := s.PublicPlaylistsOf(ctx, a, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(ps) != 1 || ps[0].ID != pub.ID {
		t.Errorf("public playlists %+v (total %d), want only %s", ps, total, pub.ID)
	}
}

// testFollowedPlaylists lists followed playlists newest first, as the
// library shows them, and a deleted playlist takes its follows with it.
func testFollowedPlaylists(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	b := user(t, s, "b", music.RoleListener)
	var ids []string
	for _, name := range []string{"First", "Second"} {
		p, err := s.CreatePlaylist(ctx, b, name, "", true)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Follow(ctx, a, music.FollowPlaylist, []string{p.ID}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	newest := func(offset, limit int) string {
		fs, total, err := s.FollowsNewest(ctx, a, music.FollowPlaylist, offset, limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.ID)
		}
		return fmt.Sprintf("%v of %d", got, total)
	}
	if got, want := newest(0, 10), fmt.Sprintf("[%s %s] of 2", ids[1], ids[0]); got != want {
		t.Errorf("followed playlists %s, want %s (newest first)", got, want)
	}
	if got, want := newest(1, 1), fmt.Sprintf("[%s] of 2", ids[0]); got != want {
		t.Errorf("second page %s, want %s", got, want)
	}
	if _, err := s.DeletePlaylist(ctx, ids[1], b, 0); err != nil {
		t.Fatal(err)
	}
	if got, want := newest(0, 10), fmt.Sprintf("[%s] of 1", ids[0]); got != want {
		t.Errorf("after the owner deleted one: %s, want %s", got, want)
	}
	if n := count(t, s, music.FollowPlaylist, ids[1]); n != 0 {
		t.Errorf("a deleted playlist has %d followers, want 0", n)
	}
}
