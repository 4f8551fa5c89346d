package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/workflows"
)

// TestRecommendationsThroughUp runs the recommendation batch end to end on
// the real binary: real music is ingested into `musicctl up` (four
// releases, two per taste group), two groups of listeners report plays
// over HTTP, each only within their group and each leaving two of their
// group's tracks unheard (plus one skip of the other group's),
// `recommend run --temporal-address` runs the Recommendations workflow,
// and every listener's Discover Weekly from the API must rank their own
// group's unheard tracks first and hold nothing they played or skipped.
func TestRecommendationsThroughUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up, ingest and the Recommendations workflow")
	}
	var masters []string // tracks of at least 40 s (16-bit stereo 44.1 kHz)
	for _, m := range testmusic.Files(t, "wav", "*.wav") {
		if fi, err := os.Stat(m); err == nil && fi.Size() > 40*44100*4 {
			masters = append(masters, m)
		}
	}
	if len(masters) < 8 {
		t.Skipf("NOTICE: %d test masters, need 8; run `make fingerprint-music`", len(masters))
	}
	work := t.TempDir()
	data := filepath.Join(work, "data")
	up := startUp(t, "--data-dir", data, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--lake-flush", "300ms")
	base, temporal := "http://"+up.ready["http"], up.ready["temporal"]
	label, stderr, code := run(t, "users", "add", "reco-label", "--role", "label", "--data-dir", data)
	if code != 0 {
		t.Fatalf("users add (label): exit %d: %s", code, stderr)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))

	// Groups a and b: two releases each, two 4 s cuts per release.
	isrc := map[string][]string{} // group → its ISRCs in order
	for r, artist := range []string{"Alpha One", "Alpha Two", "Beta One", "Beta Two"} {
		group := []string{"a", "b"}[r/2]
		rel := deliverytest.Release{UPC: deliverytest.UPC(int64(500 + r)), Title: artist + " EP", Artist: artist, MessageID: fmt.Sprintf("OMTEST-reco-%d", r)}
		for k := range 2 {
			i := 2*r + k
			src := filepath.Join(work, fmt.Sprintf("cut%d.wav", i))
			if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-ss", "30", "-t", "4", "-i", masters[i], "-c:a", "pcm_s16le", src).CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg: %v\n%s", err, out)
			}
			code := deliverytest.ISRC(26, 700+i)
			rel.Tracks = append(rel.Tracks, deliverytest.Track{ISRC: code, Title: fmt.Sprintf("%s %d", artist, k+1), Source: src})
			isrc[group] = append(isrc[group], code)
		}
		dir := filepath.Join(work, fmt.Sprintf("delivery%d", r))
		if _, err := deliverytest.Write(dir, rel); err != nil {
			t.Fatal(err)
		}
		if out, stderr, code := run(t, "ingest", dir, "--json", "--data-dir", data, "--temporal-address", temporal); code != 0 {
			t.Fatalf("ingest %s: exit %d\n%s\n%s", artist, code, out, stderr)
		}
	}
	// Track IDs from the ISRCs, through the API, which also shows features.
	admin := addUser(t, data, "reco-admin")
	trackID := map[string]string{} // ISRC → track ID
	groupOf := map[string]string{} // track ID → group
	for g, codes := range isrc {
		for _, code := range codes {
			var tr struct {
				TrackID       string         `json:"track_id"`
				AudioFeatures map[string]any `json:"audio_features"`
			}
			getJSON(t, base+"/api/v1/tracks?isrc="+code, admin, &tr)
			if tr.TrackID == "" || tr.AudioFeatures["version"] == nil {
				t.Fatalf("track %s: %+v (want an ID and audio features)", code, tr)
			}
			trackID[code], groupOf[tr.TrackID] = tr.TrackID, g
		}
	}

	// Ten listeners per group; listener i plays group tracks i%4 and
	// (i+1)%4 three times each and skips one track of the other group.
	type listener struct {
		token, group string
		heard        map[string]bool
	}
	var ls []listener
	events := 0
	now := time.Now().UTC().Add(-time.Hour)
	for _, g := range []string{"a", "b"} {
		other := map[string]string{"a": "b", "b": "a"}[g]
		for i := range 10 {
			l := listener{token: addUser(t, data, fmt.Sprintf("reco-%s%d", g, i)), group: g, heard: map[string]bool{}}
			report := func(id string, ms int, done bool) {
				events++
				body, _ := json.Marshal(map[string]any{"event_id": fmt.Sprintf("reco-%d", events), "track_id": id,
					"session_id": fmt.Sprintf("s-%s%d-%d", g, i, events), "device_id": "d",
					"played_at": now.Add(time.Duration(events) * time.Second).Format(time.RFC3339Nano), "duration_listened_ms": ms,
					"completed": done, "quality": "160kbps"})
				postJSON(t, base+"/api/v1/playback/report", l.token, body, http.StatusAccepted)
				l.heard[id] = true
			}
			for _, k := range []int{i % 4, (i + 1) % 4} {
				for range 3 {
					report(trackID[isrc[g][k]], 45_000, true)
				}
			}
			report(trackID[isrc[other][i%4]], 8_000, false)
			ls = append(ls, l)
		}
	}
	store, err := filestore.Open(context.Background(), filepath.Join(data, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	if seen, _ := waitForLake(t, store, events, 300*time.Millisecond); len(seen) != events {
		t.Fatalf("lake holds %d of %d reports", len(seen), events)
	}

	out, stderr, code := run(t, "recommend", "run", "--data-dir", data, "--temporal-address", temporal, "--days", "2", "--parts", "3", "--factors", "8", "--json")
	if code != 0 {
		t.Fatalf("recommend run: exit %d\n%s\n%s", code, out, stderr)
	}
	var res workflows.RecommendationsResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Users != 20 || res.Lists < 20 {
		t.Fatalf("recommend run: %v %s", err, out)
	}

	for n, l := range ls {
		var dw struct {
			Source string `json:"source"`
			Tracks []struct {
				TrackID string `json:"track_id"`
			} `json:"tracks"`
		}
		getJSON(t, base+"/api/v1/me/recommendations?list=discover_weekly", l.token, &dw)
		var got []string
		for _, tr := range dw.Tracks {
			got = append(got, groupOf[tr.TrackID])
			if l.heard[tr.TrackID] {
				t.Errorf("listener %d: Discover Weekly holds %s, which they played or skipped", n, tr.TrackID)
			}
		}
		// Their group's two unheard tracks come first.
		if dw.Source != "cache" || len(got) < 2 || got[0] != l.group || got[1] != l.group || slices.Index(got[2:], l.group) >= 0 {
			t.Errorf("listener %d (group %s): Discover Weekly from %q ranks groups %v", n, l.group, dw.Source, got)
		}
	}
}

func addUser(t *testing.T, data, name string) string {
	t.Helper()
	out, stderr, code := run(t, "users", "add", name, "--role", "listener", "--country", "GB", "--data-dir", data)
	if code != 0 {
		t.Fatalf("users add %s: exit %d: %s", name, code, stderr)
	}
	return strings.TrimSpace(out)
}

var apiClient = &http.Client{Timeout: 30 * time.Second}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, buf.String())
	}
	if err := json.Unmarshal(buf.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func postJSON(t *testing.T, url, token string, body []byte, want int) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, buf.String())
	}
}
