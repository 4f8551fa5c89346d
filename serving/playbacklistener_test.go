package serving

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/openmusic/music/plays"
)

// TestPlaybackReportWithSessionCookie: the web player reports plays with
// its session cookie; they are the listener's, like a bearer token's. A
// cookie report without the CSRF token or from another origin is
// refused and never logged.
func TestPlaybackReportWithSessionCookie(t *testing.T) {
	e := authEnv(t, AuthOptions{SessionTTL: time.Hour})
	e.s.Now = time.Now // the play is checked against alice's creation, which is now
	_, log := embeddedLog(t)
	e.s.HandlePlayback(e.st, e.st, log)
	var mu sync.Mutex
	var got []plays.Event
	stop, err := log.Tail(context.Background(), func(_ context.Context, ev plays.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		return nil
	}, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cookie, csrf := e.login("alice", "correct horse")
	body := func(id string) string {
		return report("event_id", id, "played_at", time.Now().Add(-4*time.Minute).UTC().Format(time.RFC3339Nano))
	}
	for _, tc := range []struct {
		name, event string
		hdr         []string
		want        int
	}{
		{"no CSRF token", "ev-nocsrf", []string{"Origin", "http://player.example"}, 403},
		{"another origin", "ev-cross", []string{"Origin", "https://evil.example", "X-CSRF-Token", csrf}, 403},
		{"the player", "ev-ok", []string{"Origin", "http://player.example", "X-CSRF-Token", csrf}, 202},
	} {
		if rec := e.browser("POST", "/api/v1/playback/report", cookie, body(tc.event), tc.hdr...); rec.Code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, rec.Code, rec.Body, tc.want)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // a refused report would have arrived by now
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].EventID != "ev-ok" || got[0].UserID != e.aliceID || got[0].Territory != "GB" {
		t.Fatalf("logged %+v, want only ev-ok as alice (%s) in GB", got, e.aliceID)
	}
}
