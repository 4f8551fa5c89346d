package serving

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/natslog"
	"github.com/openmusic/music/sqlstore"
)

// newPlaybackServer routes the playback API on a real SQLite catalog (one
// release, tracks rel-1-d1t01 and rel-1-d2t01, listener alice in GB) and an
// embedded JetStream log.
func newPlaybackServer(t *testing.T) (*Server, *natslog.Embedded, *natslog.Log, string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PutRelease(ctx, catalogtest.Publication(1, 2)); err != nil {
		t.Fatal(err)
	}
	_, token, err := st.CreateUser(ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	nsrv, log := embeddedLog(t)
	s := New()
	s.HandlePlayback(st, st, log)
	return s, nsrv, log, token
}

// embeddedLog starts an embedded JetStream server and a log on it, both
// stopped when t ends.
func embeddedLog(t *testing.T) (*natslog.Embedded, *natslog.Log) {
	t.Helper()
	nsrv, err := natslog.StartEmbedded(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nsrv.Stop)
	log, err := nsrv.Connect(context.Background(), natslog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(log.Close)
	return nsrv, log
}

func postReport(s *Server, auth, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/v1/playback/report", strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// report is a valid body with fields overridden by kv pairs ("" removes).
func report(kv ...string) string {
	m := map[string]any{
		"event_id": "ev-1", "track_id": "rel-1-d1t01", "session_id": "s-1", "device_id": "dev-1",
		"played_at": time.Now().Add(-4 * time.Minute).UTC().Format(time.RFC3339Nano), "duration_listened_ms": 200000,
		"completed": false, "quality": "320kbps",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(m, kv[i])
			continue
		}
		var v any
		if json.Unmarshal([]byte(kv[i+1]), &v) != nil {
			v = kv[i+1]
		}
		m[kv[i]] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func streamMsgs(t *testing.T, l *natslog.Log) uint64 {
	t.Helper()
	n, err := l.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPlaybackReport(t *testing.T) {
	s, nsrv, log, token := newPlaybackServer(t)
	auth := "Bearer " + token
	future := time.Now().Add(10 * time.Minute).UTC().Format(time.RFC3339)

	bad := []struct {
		name, auth, body string
		want             int
		wantInMessage    string
	}{
		{"malformed JSON", auth, `{"event_id":`, 400, "malformed JSON"},
		{"unknown field", auth, report("volume", "11"), 400, "volume"},
		{"missing event_id", auth, report("event_id", ""), 400, "event_id"},
		{"missing duration", auth, report("duration_listened_ms", ""), 400, "duration_listened_ms"},
		{"negative duration", auth, report("duration_listened_ms", "-5"), 400, "negative"},
		{"absurd duration", auth, report("duration_listened_ms", "86400000"), 400, "duration_listened_ms"},
		{"string duration", auth, report("duration_listened_ms", `"long"`), 400, "duration_listened_ms"},
		{"future played_at", auth, report("played_at", future), 400, "future"},
		{"missing played_at", auth, report("played_at", ""), 400, "played_at"},
		{"bad quality", auth, report("quality", "lossless"), 400, "quality"},
		{"unknown track", auth, report("track_id", "no-such-track"), 422, "no-such-track"},
		{"bad token", "Bearer mt_nope", report(), 401, ""},
		{"not bearer", "Basic abc", report(), 401, ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			rec := postReport(s, tc.auth, tc.body)
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), tc.wantInMessage) || !strings.Contains(rec.Body.String(), `"error"`) {
				t.Fatalf("%d %s, want %d mentioning %q", rec.Code, rec.Body, tc.want, tc.wantInMessage)
			}
		})
	}
	if n := streamMsgs(t, log); n != 0 {
		t.Fatalf("rejected reports reached the log: %d messages", n)
	}

	for i, tc := range []struct {
		auth, body string
		dup        bool
	}{
		{auth, report(), false},
		{auth, report(), true}, // client retry
		{"", report("event_id", "ev-anon", "track_id", "rel-1-d2t01"), false},
	} {
		rec := postReport(s, tc.auth, tc.body)
		if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"duplicate":%t`, tc.dup)) {
			t.Fatalf("report %d: %d %s, want 202 duplicate=%t", i, rec.Code, rec.Body, tc.dup)
		}
	}
	if n := streamMsgs(t, log); n != 2 {
		t.Fatalf("log holds %d messages, want 2", n)
	}

	nsrv.Stop()
	rec := postReport(s, auth, report("event_id", "ev-2"))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("log down: %d %s (Retry-After %q), want 503 with Retry-After", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
}
