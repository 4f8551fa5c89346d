package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/natslog"
	"github.com/openmusic/music/royalty"
	"github.com/openmusic/music/serving/client/offline"
)

// TestOfflinePlaysCountedThroughUp: issue #15's "offline plays upload and
// are counted once", on the real path. Plays queued in a device's offline
// store 29 days back are uploaded by `musicctl offline sync` to `musicctl
// up`, stored by its lake writer and counted by `royalty run` (the
// RoyaltyMonth workflow) in the month they were played, once each,
// although the queue is uploaded three times as a crash before it is
// cleared would leave it: again inside the event log's duplicate window
// (the log drops it) and again after it (the lake holds a second copy and
// the count's dedup merges it). A play 31 days back is refused with the
// server's reason, counted by the server as refused too late
// (music_playback_reports_too_late_total) and reaches no lake file. A label's late play is stored
// but never paid.
func TestOfflinePlaysCountedThroughUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up, offline sync and the RoyaltyMonth workflow; waits out the event log's duplicate window")
	}
	dir := t.TempDir()
	tokens, tracks := seedPlaybackCatalog(t, dir, 1, 2)
	up := startUp(t, "--data-dir", dir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--lake-flush", "300ms")
	base := "http://" + up.ready["http"]
	label, stderr, code := run(t, "users", "add", "offline-royalty-label", "--role", "label", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("users add (label): exit %d: %s", code, stderr)
	}
	t.Setenv("MUSIC_TOKEN", tokens[0])
	var pl struct{ ID string }
	callJSON(t, "POST", base+"/api/v1/playlists", tokens[0], map[string]any{"name": "Offline"}, http.StatusCreated, &pl)
	dev := filepath.Join(dir, "device")
	syncArgs := []string{"offline", "sync", "--device", dev, "--playlist", pl.ID, "--server", base}
	mustSync(t, syncArgs, "0 plays uploaded") // enrols the device

	// Whole-track plays made offline: two inside the 30-day window, one
	// past it.
	played := time.Now().Add(-29 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
	queued := map[string]offline.Play{
		"off-in-0": {ID: tracks[0], PlayedAt: played},
		"off-in-1": {ID: tracks[1], PlayedAt: played},
		"off-late": {ID: tracks[0], PlayedAt: time.Now().Add(-31 * 24 * time.Hour)},
	}
	crashed := queuePlays(t, dev, queued)
	firstUpload := time.Now()
	syncRefusing(t, syncArgs, "off-late")
	restoreQueue(t, dev, crashed) // inside the log's duplicate window
	syncRefusing(t, syncArgs, "off-late")
	callJSON(t, "POST", base+"/api/v1/playback/report", strings.TrimSpace(label), map[string]any{
		"event_id": "label-late", "track_id": tracks[0], "session_id": "label-s", "device_id": "d",
		"played_at": played.Format(time.RFC3339Nano), "duration_listened_ms": 180_000, "completed": true, "quality": "160kbps",
	}, http.StatusAccepted, nil)
	time.Sleep(time.Until(firstUpload.Add(natslog.DuplicateWindow + 10*time.Second)))
	restoreQueue(t, dev, crashed) // after it: stored a second time
	syncRefusing(t, syncArgs, "off-late")
	// The server recorded each refusal of the old play, one per upload.
	if m := string(fetch(t, base, "/metrics")); !strings.Contains(m, `music_playback_reports_too_late_total{kind="track"} 3`+"\n") {
		var lines []string
		for _, l := range strings.Split(m, "\n") {
			if strings.HasPrefix(l, "music_playback_reports_too_late_total") {
				lines = append(lines, l)
			}
		}
		t.Errorf("up's /metrics does not count the three refusals of off-late: %q", lines)
	}

	store, err := filestore.Open(context.Background(), filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"off-in-0": 2, "off-in-1": 2, "label-late": 1}
	if seen := waitForLakeRows(t, store, want); seen["off-late"] != 0 {
		t.Fatalf("the play 31 days back reached the lake: %v", seen)
	}

	month := played.Format("2006-01")
	s := settleMonth(t, dir, up.ready["temporal"], month)
	wantStats := royalty.Stats{Rows: 5, Unpaid: 1, Reports: 4, Duplicates: 2, Plays: 2, Streams: 2, Counted: 2, Listeners: 1}
	if s.Stats != wantStats {
		t.Errorf("stats of %s\n got %+v\nwant %+v", month, s.Stats, wantStats)
	}
	for _, tr := range s.Tracks {
		if tr.Streams != 1 {
			t.Errorf("track %s: %d streams, want the offline play counted once", tr.TrackID, tr.Streams)
		}
	}
	if len(s.Tracks) != 2 {
		t.Errorf("%d tracks counted, want 2: %+v", len(s.Tracks), s.Tracks)
	}
	daily, err := readBlob(store, royalty.OutputPrefix(month)+"daily_counts.csv")
	if err != nil {
		t.Fatal(err)
	}
	day := played.Format("2006-01-02")
	for _, tr := range tracks {
		if !strings.Contains(daily, tr+","+day+",GB,1\n") {
			t.Errorf("daily counts lack one stream of %s on %s, the day it was played:\n%s", tr, day, daily)
		}
	}
}

// queuePlays queues plays (by event ID) in the offline store at dev as
// `offline play` does, and returns the queue file: what a sync that
// crashed after uploading, before clearing it, leaves behind.
func queuePlays(t *testing.T, dev string, plays map[string]offline.Play) []byte {
	t.Helper()
	store, err := offline.OpenStore(dev)
	if err != nil {
		t.Fatal(err)
	}
	for id, p := range plays {
		p.EventID, p.DurationMS, p.Completed, p.Rung = id, 180_000, true, "160"
		if err := store.RecordPlay(p); err != nil {
			t.Fatal(err)
		}
	}
	queue, err := os.ReadFile(filepath.Join(dev, "plays.json"))
	if err != nil {
		t.Fatal(err)
	}
	return queue
}

// restoreQueue puts a crashed sync's queue file back.
func restoreQueue(t *testing.T, dev string, queue []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dev, "plays.json"), queue, 0o600); err != nil {
		t.Fatal(err)
	}
}

// syncRefusing runs `offline sync` over a queue of two valid plays and
// one too old: the two are accepted, the old one is refused, named on
// stderr with the server's reason.
func syncRefusing(t *testing.T, args []string, refused string) {
	t.Helper()
	out, stderr, code := run(t, args...)
	if code != 0 || !strings.Contains(out, "2 plays uploaded, 0 held, 1 plays refused") {
		t.Fatalf("offline sync: exit %d: %q; %s", code, out, stderr)
	}
	if !strings.Contains(stderr, "play "+refused+" ") || !strings.Contains(stderr, "field played_at: older than") {
		t.Fatalf("offline sync does not say why %s was refused: %s", refused, stderr)
	}
}

// waitForLakeRows waits until the lake holds want's events that often
// each (a minute at most), and returns how often it holds every event.
func waitForLakeRows(t *testing.T, store *filestore.Store, want map[string]int) map[string]int {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		seen, _ := waitForLake(t, store, len(want), 300*time.Millisecond)
		done := true
		for id, n := range want {
			done = done && seen[id] == n
		}
		if done {
			return seen
		}
		if time.Now().After(deadline) {
			t.Fatalf("lake holds %v, want %v", seen, want)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// settleMonth runs `royalty run` (the RoyaltyMonth workflow on up's
// cluster, no contracts) and returns `royalty report --json`.
func settleMonth(t *testing.T, dir, temporal, month string) royalty.Settlement {
	t.Helper()
	contracts := filepath.Join(dir, "contracts.csv")
	if err := os.WriteFile(contracts, []byte("track_id,holder_id,role,ppm\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := run(t, "royalty", "run", "--data-dir", dir, "--temporal-address", temporal, "--month", month, "--contracts", contracts); code != 0 {
		t.Fatalf("royalty run: exit %d: %s%s", code, out, stderr)
	}
	return royaltyReport(t, dir, month)
}
