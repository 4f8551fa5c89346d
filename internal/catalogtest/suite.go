package catalogtest

import (
	"context"
	"reflect"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// epoch is where every test clock starts.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// listener is a view from Germany at the epoch, inside worldwideDeal.
var listener = music.Visibility{Territory: "DE", At: epoch}

// env is one test's store, clock and backend.
type env struct {
	t     *testing.T
	ctx   context.Context
	b     Backend
	dsn   string
	clock *Clock
	s     Store
}

func newEnv(t *testing.T, b Backend) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), b: b, dsn: b.Fresh(t), clock: NewClock(epoch)}
	e.reopen()
	return e
}

// reopen opens the database (again), closing any earlier handle.
func (e *env) reopen() {
	e.t.Helper()
	if e.s != nil {
		if err := e.s.Close(); err != nil {
			e.t.Fatalf("close: %v", err)
		}
	}
	s, err := e.b.Open(e.ctx, e.dsn, e.clock.Now)
	if err != nil {
		e.t.Fatalf("open %s: %v", e.dsn, err)
	}
	e.s = s
	e.t.Cleanup(func() { s.Close() })
}

func (e *env) put(p music.Publication) {
	e.t.Helper()
	if err := e.s.PutRelease(e.ctx, p); err != nil {
		e.t.Fatalf("PutRelease %s: %v", p.Release.ID, err)
	}
}

// counts returns the row count of every catalog table.
func (e *env) counts() map[string]int64 {
	e.t.Helper()
	out := map[string]int64{}
	for _, table := range e.b.Tables {
		n, err := e.s.Count(e.ctx, table)
		if err != nil {
			e.t.Fatalf("Count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// wantCode fails unless err carries the domain code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := music.ErrorCode(err); got != want {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

// Run runs the whole conformance suite against one backend.
func Run(t *testing.T, b Backend) {
	if len(b.Tables) == 0 {
		t.Fatal("catalogtest: Backend.Tables is empty; the row-count checks need the store's tables")
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"PublishReadBack", testPublishReadBack},
		{"DiscTrackOrder", testDiscTrackOrder},
		{"RepublishIdempotent", testRepublishIdempotent},
		{"Unpublished", testUnpublished},
		{"Visibility", testVisibility},
		{"Takedown", testTakedown},
		{"MetadataUpdate", testMetadataUpdate},
		{"NotFound", testNotFound},
		{"InvalidPublication", testInvalidPublication},
		{"ISRCConflict", testISRCConflict},
		{"PCMHash", testPCMHash},
		{"Paging", testPaging},
		{"NewReleases", testNewReleases},
		{"Users", testUsers},
		{"Ownership", testOwnership},
		{"Reviews", testReviews},
		{"TokenLifetime", testTokenLifetime},
		{"ConcurrentPublishes", testConcurrentPublishes},
		{"Reopen", testReopen},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newEnv(t, b))
		})
	}
}

// stripRead clears the fields a read fills in, for comparing with input.
func stripRead(tr music.Track) music.Track {
	tr.ReleaseTitle, tr.ReleaseStatus, tr.Renditions = "", "", nil
	return tr
}

// checkTrack compares a track read back with what was published.
func checkTrack(t *testing.T, got *music.Track, want music.Track, p music.Publication) {
	t.Helper()
	want.ReleaseID = p.Release.ID
	if g := stripRead(*got); !reflect.DeepEqual(g, want) {
		t.Errorf("track %s:\n got %+v\nwant %+v", want.ID, g, want)
	}
	if got.ReleaseTitle != p.Release.Title {
		t.Errorf("track %s: release title %q, want %q", want.ID, got.ReleaseTitle, p.Release.Title)
	}
	var rends []music.Rendition
	for _, r := range p.Renditions {
		if r.TrackID == want.ID {
			rends = append(rends, r)
		}
	}
	if !reflect.DeepEqual(got.Renditions, rends) {
		t.Errorf("track %s renditions:\n got %+v\nwant %+v", want.ID, got.Renditions, rends)
	}
}
