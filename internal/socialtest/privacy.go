package socialtest

import (
	"context"
	"slices"
	"testing"

	music "github.com/openmusic/music"
)

// testSettings reads the defaults, changes one setting at a time and
// reads each change back.
func testSettings(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	got, err := s.Settings(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if got != music.DefaultSettings || got.HidesActivity() {
		t.Errorf("new account's settings %+v, want the defaults %+v", got, music.DefaultSettings)
	}
	on, off := true, false
	if got, err = s.UpdateSettings(ctx, a, music.SettingsUpdate{PrivateSession: &on}); err != nil {
		t.Fatal(err)
	}
	if !got.PrivateSession || !got.ShareActivity || !got.HidesActivity() {
		t.Errorf("after a private session: %+v", got)
	}
	if got, err = s.UpdateSettings(ctx, a, music.SettingsUpdate{PrivateSession: &off, ShareActivity: &off}); err != nil {
		t.Fatal(err)
	}
	if reread, _ := s.Settings(ctx, a); got.PrivateSession || got.ShareActivity || reread != got {
		t.Errorf("after sharing off: %+v, read back %+v", got, reread)
	}
	_, err = s.UpdateSettings(ctx, "nobody", music.SettingsUpdate{PrivateSession: &on})
	wantCode(t, "settings of an unknown user", err, music.ENOTFOUND)
}

// testBlocks: a block removes the blocked user's follow and stops them
// following again; unblocking lets them.
func testBlocks(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	b := user(t, s, "b", music.RoleListener)
	c := user(t, s, "c", music.RoleListener)
	for _, f := range []string{b, c} {
		if err := s.Follow(ctx, f, music.FollowUser, []string{a}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Follow(ctx, a, music.FollowUser, []string{b}); err != nil {
		t.Fatal(err)
	}
	if err := s.Block(ctx, a, []string{b}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, music.FollowUser, a); n != 1 {
		t.Errorf("a has %d followers after blocking one of 2, want 1", n)
	}
	if got, _ := s.FollowsContain(ctx, b, music.FollowUser, []string{a}); got[0] {
		t.Error("b still follows a after a blocked b")
	}
	// a's own follow of b stays: the block is one-way.
	if got, _ := s.FollowsContain(ctx, a, music.FollowUser, []string{b}); !got[0] {
		t.Error("a's follow of b went with the block")
	}
	// To b, a looks unknown.
	wantCode(t, "blocked user follows again", s.Follow(ctx, b, music.FollowUser, []string{a}), music.ENOTFOUND)
	if yes, err := s.HasBlocked(ctx, a, b); err != nil || !yes {
		t.Errorf("HasBlocked(a, b) = %v, %v", yes, err)
	}
	if yes, _ := s.HasBlocked(ctx, b, a); yes {
		t.Error("HasBlocked(b, a): the block went both ways")
	}
	blocks, total, err := s.Blocks(ctx, a, 0, 10)
	if err != nil || total != 1 || len(blocks) != 1 || blocks[0].UserID != b || blocks[0].BlockedAt.IsZero() {
		t.Errorf("a's blocks %+v (total %d, %v), want b", blocks, total, err)
	}
	if err := s.Unblock(ctx, a, []string{b}); err != nil {
		t.Fatal(err)
	}
	if err := s.Follow(ctx, b, music.FollowUser, []string{a}); err != nil {
		t.Errorf("b follows a after the unblock: %v", err)
	}
}

// testBadBlocks: blocking oneself or an unknown user changes nothing.
func testBadBlocks(t *testing.T, s Store) {
	ctx := context.Background()
	a := user(t, s, "a", music.RoleListener)
	b := user(t, s, "b", music.RoleListener)
	wantCode(t, "block yourself", s.Block(ctx, a, []string{b, a}), music.EINVALID)
	wantCode(t, "block nobody", s.Block(ctx, a, []string{b, "nobody"}), music.ENOTFOUND)
	wantCode(t, "block none", s.Block(ctx, a, nil), music.EINVALID)
	if _, total, _ := s.Blocks(ctx, a, 0, 10); total != 0 {
		t.Errorf("%d blocks after bad calls, want 0", total)
	}
}

// testActivityVisible: private sessions, sharing off and blocks each
// hide a user's activity; only blocks depend on who looks.
func testActivityVisible(t *testing.T, s Store) {
	ctx := context.Background()
	viewer := user(t, s, "viewer", music.RoleListener)
	other := user(t, s, "other", music.RoleListener)
	open := user(t, s, "open", music.RoleListener)
	private := user(t, s, "private", music.RoleListener)
	quiet := user(t, s, "quiet", music.RoleListener)
	blocker := user(t, s, "blocker", music.RoleListener)
	on, off := true, false
	if _, err := s.UpdateSettings(ctx, private, music.SettingsUpdate{PrivateSession: &on}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateSettings(ctx, quiet, music.SettingsUpdate{ShareActivity: &off}); err != nil {
		t.Fatal(err)
	}
	if err := s.Block(ctx, blocker, []string{viewer}); err != nil {
		t.Fatal(err)
	}
	all := []string{open, private, quiet, blocker, "nobody"}
	for who, want := range map[string][]string{viewer: {open}, other: {open, blocker}} {
		got, err := s.ActivityVisible(ctx, who, all)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("visible to %s: %v, want %v", who, got, want)
		}
	}
}
