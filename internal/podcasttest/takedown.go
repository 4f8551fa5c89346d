package podcasttest

import (
	"context"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// testTakeDown: a show taken down is gone from Show, Shows and follows,
// keeps its episodes (nothing is deleted), refuses a new registration of
// its feed, and comes back whole when restored.
func testTakeDown(t *testing.T, s Store) {
	ctx := context.Background()
	alice := newUser(t, s, "alice")
	id := newShow(t, s)
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{episode("a", 1)}, music.FeedState{})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, s, fetch...)
	if err := s.FollowShow(ctx, alice, id); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "take down without a reason", s.TakeDownShow(ctx, id, ""), music.EINVALID)
	// idempotent, and the first reason stays
	for i, reason := range []string{music.ShowRemovedByOps, music.ShowLockedByOwner} {
		if err := s.TakeDownShow(ctx, id, reason); err != nil {
			t.Fatalf("take down #%d: %v", i+1, err)
		}
	}
	wantCode(t, "take down an unknown show", s.TakeDownShow(ctx, "show_nope", music.ShowRemovedByOps), music.ENOTFOUND)
	wantCode(t, "restore an unknown show", s.RestoreShow(ctx, "show_nope"), music.ENOTFOUND)
	_, err = s.Show(ctx, id)
	wantCode(t, "show taken down", err, music.ENOTFOUND)
	if msg := music.ErrorMessage(err); !strings.Contains(msg, "was "+music.ShowRemovedByOps) {
		t.Fatalf("Show of a show taken down by ops: %q, want the first reason", msg)
	}
	if shows, err := s.Shows(ctx, "", 10); err != nil || len(shows) != 0 {
		t.Fatalf("Shows after the takedown = %v, %v; want none", shows, err)
	}
	if shows, total, err := s.FollowedShows(ctx, alice, 0, 10); err != nil || total != 0 || len(shows) != 0 {
		t.Fatalf("followed after the takedown = %v of %d, %v; want none", shows, total, err)
	}
	wantCode(t, "follow a show taken down", s.FollowShow(ctx, alice, id), music.ENOTFOUND)
	_, _, err = s.AddShow(ctx, "https://example.org/feed.xml")
	wantCode(t, "register the feed of a show taken down", err, music.ECONFLICT)
	if e, err := s.Episode(ctx, fetch[0].ID); err != nil || e.Audio == nil {
		t.Fatalf("episode of a show taken down = %+v, %v; want it kept with its audio", e, err)
	}
	for i := 0; i < 2; i++ {
		if err := s.RestoreShow(ctx, id); err != nil {
			t.Fatalf("restore #%d: %v", i+1, err)
		}
	}
	if sh, err := s.Show(ctx, id); err != nil || sh.Title != meta.Title {
		t.Fatalf("restored show = %+v, %v", sh, err)
	}
	if shows, total, err := s.FollowedShows(ctx, alice, 0, 10); err != nil || total != 1 || shows[0].ID != id {
		t.Fatalf("followed after the restore = %v of %d, %v; want the show back", shows, total, err)
	}
	if sh, created, err := s.AddShow(ctx, "https://example.org/feed.xml"); err != nil || created || sh.ID != id {
		t.Fatalf("register the restored feed = %+v, %v, %v", sh, created, err)
	}

	// Restored, then locked by its owner: the new reason is the one named.
	if err := s.TakeDownShow(ctx, id, music.ShowLockedByOwner); err != nil {
		t.Fatal(err)
	}
	_, err = s.Show(ctx, id)
	if music.ErrorCode(err) != music.ENOTFOUND || !strings.Contains(music.ErrorMessage(err), "was locked by its owner") {
		t.Fatalf("Show of a locked show = %v, want ENOTFOUND saying it was locked by its owner", err)
	}
	_, _, err = s.AddShow(ctx, "https://example.org/feed.xml")
	if music.ErrorCode(err) != music.ECONFLICT || !strings.Contains(music.ErrorMessage(err), "locked by its owner") {
		t.Fatalf("register the feed of a locked show = %v, want ECONFLICT naming the lock", err)
	}
}
