package serving

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestPlaybackTooLateRecorded: a play older than lake.MaxReportAge (as an
// offline device uploads one after more than 30 days away) is refused
// naming played_at, never reaches the event log, and the refusal is
// counted and logged; a play inside the window is logged once; a
// malformed report is not counted as late.
func TestPlaybackTooLateRecorded(t *testing.T) {
	s, _, log, token := newPlaybackServer(t)
	var logged bytes.Buffer
	s.Log = slog.New(slog.NewTextHandler(&logged, nil))
	auth := "Bearer " + token
	days := func(n int) string {
		return time.Now().Add(-time.Duration(n) * 24 * time.Hour).UTC().Format(time.RFC3339Nano)
	}
	late := func() float64 { return scrape(t, s)[`music_playback_reports_too_late_total{kind="track"}`] }
	if n, ok := scrape(t, s)[`music_playback_reports_too_late_total{kind="track"}`]; !ok || n != 0 {
		t.Fatalf("counter before any report: %v (exported %v), want 0", n, ok)
	}

	rec := postReport(s, auth, report("event_id", "late-1", "played_at", days(31), "duration_listened_ms", "180000"))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "field played_at: older than 720h0m0s") {
		t.Fatalf("31-day-old play: %d %s, want 400 naming played_at", rec.Code, rec.Body)
	}
	if got := late(); got != 1 {
		t.Fatalf("too-late counter %v after one refusal, want 1", got)
	}
	line := logged.String()
	for _, want := range []string{"playback report refused as too late", "kind=track", "event_id=late-1", "id=rel-1-d1t01", "user_id=", "device_id=dev-1", "age=744h"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
	// A retry of the same play is refused again and counted again: the
	// counter is of refusals, as the route answers each.
	postReport(s, auth, report("event_id", "late-1", "played_at", days(31), "duration_listened_ms", "180000"))
	// Refused for another field first: not a late refusal.
	if rec := postReport(s, auth, report("event_id", "", "played_at", days(31))); rec.Code != 400 || !strings.Contains(rec.Body.String(), "event_id") {
		t.Fatalf("report without event_id: %d %s", rec.Code, rec.Body)
	}
	if got := late(); got != 2 {
		t.Fatalf("too-late counter %v, want 2 (two late refusals, the malformed report not among them)", got)
	}
	if n := streamMsgs(t, log); n != 0 {
		t.Fatalf("%d refused plays reached the event log", n)
	}

	// 29 days old: accepted, and logged once however often it is sent.
	for range 2 {
		if rec := postReport(s, auth, report("event_id", "in-1", "played_at", days(29), "duration_listened_ms", "180000")); rec.Code != 202 {
			t.Fatalf("29-day-old play: %d %s, want 202", rec.Code, rec.Body)
		}
	}
	if n := streamMsgs(t, log); n != 1 {
		t.Fatalf("%d events in the log, want the 29-day-old play once", n)
	}
	if got := late(); got != 2 {
		t.Fatalf("too-late counter %v after an accepted play, want 2", got)
	}
}
