//go:build cluster

package clustertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// playlistEdits is how many tracks the writers add; each serve takes
// every other edit.
const (
	playlistEdits   = 60
	playlistWriters = 6
)

// playlistClient calls one serve process directly, as one user.
type playlistClient struct {
	base, token string
	http        *http.Client
}

func (p playlistClient) call(method, path, ifMatch string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.base+path, body)
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(msg, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %v: %s", method, path, err, msg)
		}
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s%s: %s %s", method, p.base, path, resp.Status, msg)
	}
	return resp.StatusCode, nil
}

// playlistEditsAcrossServes has writers add tracks to one playlist,
// alternating between the two serve processes, each edit conditional on
// the version the writer last read (If-Match) and retried after a
// conflict, as the web player does. Every acknowledged edit must be in
// the playlist once, and both serves must see the same version.
func playlistEditsAcrossServes(t *testing.T, c *Cluster, token string, tracks []string) {
	hc := &http.Client{Timeout: 30 * time.Second}
	var serves []playlistClient
	for _, s := range c.Serves {
		serves = append(serves, playlistClient{base: "http://" + s.Ready["http"], token: token, http: hc})
	}
	var pl struct {
		ID string `json:"id"`
	}
	if _, err := serves[0].call("POST", "/api/v1/playlists", "", map[string]any{"name": "cluster edits"}, &pl); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var conflicts atomic.Int64
	edits := make(chan int, playlistEdits)
	for i := range playlistEdits {
		edits <- i
	}
	close(edits)
	errs := make(chan error, playlistWriters)
	var wg sync.WaitGroup
	for range playlistWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range edits {
				n, err := addConditionally(serves[i%len(serves)], pl.ID, tracks[i%len(tracks)])
				if err != nil {
					errs <- fmt.Errorf("edit %d: %w", i, err)
					return
				}
				conflicts.Add(int64(n))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t.Logf("%d edits through %d serves in %v; %d conflicts re-read and retried",
		playlistEdits, len(serves), time.Since(start).Round(time.Millisecond), conflicts.Load())

	want := map[string]int{}
	for i := range playlistEdits {
		want[tracks[i%len(tracks)]]++
	}
	var versions []int64
	for _, s := range serves {
		got, version := playlistTracks(t, s, pl.ID)
		versions = append(versions, version)
		if len(got) != len(want) {
			t.Errorf("%s: %d distinct tracks in the playlist, want %d", s.base, len(got), len(want))
		}
		for id, n := range want {
			if got[id] != n {
				t.Errorf("%s: track %s is in the playlist %d times, want %d", s.base, id, got[id], n)
			}
		}
	}
	if versions[0] != versions[len(versions)-1] {
		t.Errorf("the serves see versions %v of the playlist", versions)
	}
}

// addConditionally reads the playlist's version from s and adds track
// with If-Match, re-reading after each conflict. It returns how many
// conflicts it met.
func addConditionally(s playlistClient, id, track string) (int, error) {
	for conflicts := 0; conflicts < 100; conflicts++ {
		var p struct {
			Version int64 `json:"version"`
		}
		if _, err := s.call("GET", "/api/v1/playlists/"+id, "", nil, &p); err != nil {
			return conflicts, err
		}
		code, err := s.call("POST", "/api/v1/playlists/"+id+"/tracks", strconv.Quote(strconv.FormatInt(p.Version, 10)),
			map[string]any{"track_ids": []string{track}}, nil)
		switch {
		case err == nil:
			return conflicts, nil
		case code == http.StatusConflict || code == http.StatusPreconditionFailed:
			continue
		default:
			return conflicts, err
		}
	}
	return 100, fmt.Errorf("100 conflicts in a row adding %s", track)
}

// playlistTracks reads every entry of the playlist from s: how often each
// track is in it, and the version.
func playlistTracks(t *testing.T, s playlistClient, id string) (map[string]int, int64) {
	t.Helper()
	got := map[string]int{}
	var version int64
	for offset := 0; ; {
		var page struct {
			Items []struct {
				TrackID string `json:"track_id"`
			} `json:"items"`
			Total   int   `json:"total"`
			Version int64 `json:"version"`
		}
		if _, err := s.call("GET", fmt.Sprintf("/api/v1/playlists/%s/tracks?offset=%d&limit=50", id, offset), "", nil, &page); err != nil {
			t.Fatal(err)
		}
		version = page.Version
		for _, it := range page.Items {
			got[it.TrackID]++
		}
		offset += len(page.Items)
		if len(page.Items) == 0 || offset >= page.Total {
			return got, version
		}
	}
}
