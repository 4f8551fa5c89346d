package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/race"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/workflows"
)

// TestIngestSurvivesKill9 ingests a delivery of real music (six 15 s cuts;
// four 8 s cuts under -race) through the embedded stack while `musicctl up`
// — the process that runs the worker (and here also Temporal) — is killed
// with SIGKILL at random moments five times and restarted. The delivery must end published, every track
// exactly once, every rendition's SHA-256 re-verified from the blob store,
// and the store must hold exactly the blobs the catalog names.
//
// MUSIC_INGEST_FULL=1 instead ingests ten full-length tracks with no kills
// and logs the wall time, tracks per hour and Temporal's share: the
// end-to-end measurement in docs/benchmarks/ingest.md.
func TestIngestSurvivesKill9(t *testing.T) {
	full := os.Getenv("MUSIC_INGEST_FULL") == "1"
	var masters []string // tracks of at least 40 s (16-bit stereo 44.1 kHz)
	for _, m := range testmusic.Files(t, "wav", "*.wav") {
		if fi, err := os.Stat(m); err == nil && fi.Size() > 40*44100*4 {
			masters = append(masters, m)
		}
	}
	n, cut, kills := 6, "15", 5
	if race.Enabled { // make test runs under -race: same kills, less audio
		n, cut = 4, "8"
	}
	if full {
		n, cut, kills = 10, "", 0
	}
	if len(masters) < n {
		t.Skipf("NOTICE: %d test masters, need %d; run `make fingerprint-music`", len(masters), n)
	}
	work := t.TempDir()
	rel := deliverytest.Release{UPC: deliverytest.UPC(42), Title: "Crash Test Album"}
	for i := 0; i < n; i++ {
		src := masters[i]
		if cut != "" { // 15 s from 20 s in: enough work for kills to land mid-encode
			src = filepath.Join(work, fmt.Sprintf("cut%02d.wav", i))
			out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-ss", "20", "-t", cut, "-i", masters[i], "-c:a", "pcm_s16le", src).CombinedOutput()
			if err != nil {
				t.Fatalf("ffmpeg: %v\n%s", err, out)
			}
		}
		rel.Tracks = append(rel.Tracks, deliverytest.Track{ISRC: deliverytest.ISRC(26, 100+i), Title: strings.TrimSuffix(filepath.Base(masters[i]), ".wav"), Source: src})
	}
	delivery := filepath.Join(work, "delivery")
	if _, err := deliverytest.Write(delivery, rel); err != nil {
		t.Fatal(err)
	}

	data := filepath.Join(work, "data")
	temporalAddr := freeAddr(t)
	flags := []string{"--data-dir", data, "--http", "127.0.0.1:0", "--temporal-listen", temporalAddr, "--ui-listen", "127.0.0.1:0"}
	p := startUp(t, flags...)
	label, _, code := run(t, "users", "add", "crashtest-label", "--role", "label", "--data-dir", data)
	if code != 0 {
		t.Fatal("users add (label) failed")
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	start := time.Now()
	out, errOut, code := run(t, "ingest", delivery, "--no-wait", "--json", "--data-dir", data, "--temporal-address", temporalAddr)
	if code != 0 {
		t.Fatalf("ingest --no-wait: exit %d\n%s\n%s", code, out, errOut)
	}
	for i := 0; i < kills; i++ {
		time.Sleep(time.Duration(500+rand.IntN(2500)) * time.Millisecond)
		p.kill(t)
		t.Logf("kill -9 #%d at %v", i+1, time.Since(start).Round(time.Millisecond))
		p = startUp(t, flags...)
	}
	// Delivering the same message again follows the first run to its end.
	out, errOut, code = run(t, "ingest", delivery, "--json", "--data-dir", data, "--temporal-address", temporalAddr)
	wall := time.Since(start)
	if code != 0 {
		t.Fatalf("ingest: exit %d\n%s\n%s\nup stderr: %s", code, out, errOut, p.stderr.String())
	}
	var res struct{ Reports []workflows.IngestReport }
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Reports) != 1 {
		t.Fatalf("ingest output %q: %v", out, err)
	}
	rep := res.Reports[0]
	if rep.Status != workflows.StatusPublished || len(rep.Tracks) != n {
		t.Fatalf("report: %+v", rep)
	}

	token, _, code := run(t, "users", "add", "crashtest", "--role", "listener", "--data-dir", data)
	if code != 0 {
		t.Fatal("users add failed")
	}
	for _, tr := range rel.Tracks {
		getTrackByISRC(t, p.ready["http"], strings.TrimSpace(token), tr.ISRC)
	}
	checkStoreMatchesCatalog(t, data, n)
	checkSearchFinds(t, p.ready["http"], strings.TrimSpace(token), "crash test album", rep.ReleaseID)
	i := slices.IndexFunc(rep.Tracks, func(tr workflows.TrackReport) bool { return tr.ISRC == rel.Tracks[1].ISRC })
	if i < 0 {
		t.Fatalf("report has no track %s", rel.Tracks[1].ISRC)
	}
	checkIdentifies(t, p.ready["http"], strings.TrimSpace(token), rel.Tracks[1].Source, rep.Tracks[i])
	inTemporal, inActivities := temporalTimes(t, temporalAddr, rep.WorkflowID)
	if dir := os.Getenv("MUSIC_RECORD_HISTORY"); dir != "" {
		recordHistories(t, temporalAddr, rep.WorkflowID, dir)
	}
	t.Logf("%d tracks in %.1f s wall (workflow %.1f s): %.0f tracks/hour; summed over all workflows: %.2f s in Temporal (task queues, workflow tasks), %.2f s in activities: Temporal %.1f%%",
		n, wall.Seconds(), rep.Seconds, float64(n)/wall.Hours(), inTemporal.Seconds(), inActivities.Seconds(), 100*inTemporal.Seconds()/(inTemporal+inActivities).Seconds())
}

// freeAddr picks a loopback port for a server that must keep its address
// across restarts.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func getTrackByISRC(t *testing.T, addr, token, isrc string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/tracks?isrc="+isrc, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Territory", "US")
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /api/v1/tracks?isrc=%s: %d", isrc, resp.StatusCode)
	}
}

// checkSearchFinds: publishing indexed the release for search.
func checkSearchFinds(t *testing.T, addr, token, q, id string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/search?type=album&q="+url.QueryEscape(q), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"`+id+`"`) {
		t.Errorf("search %q: %d %s, want %s", q, resp.StatusCode, body, id)
	}
}

// checkIdentifies: a 6 s clip of a published track, posted to
// /api/v1/identify, names that track (the index up keeps was built by
// publishing and by re-syncs after the kill -9s).
func checkIdentifies(t *testing.T, addr, token, master string, want workflows.TrackReport) {
	t.Helper()
	code, got, b := postIdentify(t, "http://"+addr, token, cutClip(t, master, 1, 6))
	if code != 200 || got.TrackID != want.TrackID || got.OffsetSeconds > 2 {
		t.Errorf("identify a clip from 1 s into %s: %d %s, want %s near 1 s", want.ISRC, code, b, want.TrackID)
	}
}

// checkStoreMatchesCatalog is deliverytest.CheckStoreMatchesCatalog on
// the data dir of an embedded stack.
func checkStoreMatchesCatalog(t *testing.T, data string, n int) {
	t.Helper()
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, filepath.Join(data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	blobs, err := filestore.Open(ctx, filepath.Join(data, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	deliverytest.CheckStoreMatchesCatalog(t, cat, blobs, n)
}

// recordHistories saves the delivery's and its first track's histories
// for workflows/replay_test.go (refresh them with MUSIC_RECORD_HISTORY=
// ../../workflows/testdata when the workflow code changes on purpose).
func recordHistories(t *testing.T, addr, id, dir string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := historyStats(ctx, c, id)
	if err != nil || len(s.children) == 0 {
		t.Fatalf("history of %s: %v", id, err)
	}
	for name, wid := range map[string]string{"ingest_delivery": id, "ingest_track": s.children[0]} {
		if err := saveHistory(ctx, c, wid, filepath.Join(dir, name+".history.json")); err != nil {
			t.Fatal(err)
		}
	}
}

// temporalTimes sums, over the delivery and its children, the time work
// items spent in Temporal itself (activities waiting in task queues,
// workflow tasks from scheduled to completed) and the time activities ran.
// After kills the queue time includes the heartbeat timeouts that detect
// the dead worker.
func temporalTimes(t *testing.T, addr, id string) (overhead, work time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	parent, err := historyStats(ctx, c, id)
	if err != nil {
		t.Fatal(err)
	}
	overhead, work = parent.overhead, parent.work
	for _, child := range parent.children {
		s, err := historyStats(ctx, c, child)
		if err != nil {
			t.Fatal(err)
		}
		overhead, work = overhead+s.overhead, work+s.work
	}
	return overhead, work
}
