package serving

import (
	"net/http/httptest"
	"testing"

	music "github.com/openmusic/music"
)

// TestSSEWithSignInLimits: with the sign-in limiter on, as every serving
// process has it, the handler's writer is wrapped twice (metrics, then
// the bad-token guard); the event stream must still find the
// connection's Flush. Before: 422 "this connection cannot stream
// events", so the web player never saw live playlist changes.
func TestSSEWithSignInLimits(t *testing.T) {
	e := newAPIEnv(t)
	s := New()
	s.SetRateLimiter(LimitSignIn, NewMemoryLimiter(music.Rate{PerSecond: 0.2, Burst: 10}))
	s.HandlePlaylists(e.st, e.st, e.st)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	p := e.create(e.alice, `{"name":"Live"}`)
	code, closeFn := openStream(t, ts.URL, p.ID, e.alice)
	closeFn()
	if code != 200 {
		t.Fatalf("event stream behind the sign-in limiter: %d, want 200", code)
	}
}
