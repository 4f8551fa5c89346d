package catalogtest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/testwait"
)

// testConcurrentPublishes publishes 6 releases that share an artist while
// 3 more writers re-publish one of them, all at once; the result must be
// exactly the rows of a serial run.
func testConcurrentPublishes(t *testing.T, e *env) {
	const releases, repeats = 6, 3
	var wg sync.WaitGroup
	errs := make(chan error, releases+repeats)
	start := make(chan struct{})
	for i := 0; i < releases+repeats; i++ {
		n := 50 + i
		if i >= releases {
			n = 50 // the re-publishers
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- e.s.PutRelease(e.ctx, Publication(n, 4))
		}()
	}
	close(start)
	testwait.Group(t, &wg, 5*time.Minute, "the concurrent publishers")
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent PutRelease: %v", err)
		}
	}
	want := map[string]int64{
		"artists": 1 + releases, "releases": releases, "release_artists": releases,
		"tracks": 4 * releases, "track_artists": 8 * releases, "renditions": 4 * 5 * releases,
		"fingerprints": 4 * releases, "deals": releases, "deal_territories": releases,
		"users": 0, "user_tokens": 0,
	}
	if got := e.counts(); !reflect.DeepEqual(got, want) {
		t.Errorf("rows after concurrent publishes:\n got %v\nwant %v", got, want)
	}
	_, rels, err := e.s.Artist(e.ctx, "art-main", listener)
	if err != nil || len(rels) != releases {
		t.Errorf("Artist art-main: %d releases, %v; want %d", len(rels), err, releases)
	}
}

// testReopen closes and reopens the database: migrations run again as a
// no-op and every row is still there.
func testReopen(t *testing.T, e *env) {
	e.put(Publication(60, 3))
	if _, _, err := e.s.CreateUser(e.ctx, "carol", music.RoleLabel, "GB"); err != nil {
		t.Fatal(err)
	}
	before := e.counts()
	for i := 0; i < 2; i++ {
		e.reopen()
	}
	if after := e.counts(); !reflect.DeepEqual(before, after) {
		t.Errorf("rows changed across reopen:\nbefore %v\n after %v", before, after)
	}
	if _, err := e.s.Release(e.ctx, "rel-60", listener); err != nil {
		t.Errorf("release after reopen: %v", err)
	}
}
