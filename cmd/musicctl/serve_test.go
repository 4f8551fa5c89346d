package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/workflows"
)

// TestServeBesideUp scales out the way the README describes: a `musicctl
// serve` process with its own data dir, pointed at the catalog, blob store
// and Temporal of a running `up`. It must become ready, answer the
// catalog, and identify a clip of a catalog track from its private
// fingerprint index (built from the catalog at start), as the identify
// command does.
func TestServeBesideUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up and serve")
	}
	wavs := testmusic.Files(t, "wav", "*.wav")
	ctx := context.Background()
	upDir, serveDir := t.TempDir(), t.TempDir()
	db := filepath.Join(upDir, "catalog.db")

	// A published release whose first track carries the fingerprint of a
	// real recording, as ingest would have stored it.
	res, err := fingerprint.FromFile(ctx, wavs[0], fingerprint.Options{HashPCM: true})
	if err != nil {
		t.Fatal(err)
	}
	pub := catalogtest.Publication(7, 2)
	track := pub.Tracks[0].ID
	pub.Fingerprints = []music.Fingerprint{{TrackID: track, Algorithm: workflows.FingerprintAlgorithm,
		Fingerprint: res.Encoded(), PCMSHA256: fmt.Sprintf("%x", res.PCMHash), Duration: time.Duration(res.Duration * float64(time.Second))}}
	st, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutRelease(ctx, pub); err != nil {
		t.Fatal(err)
	}
	_, token, err := st.CreateUser(ctx, "scaled", music.RoleListener, "US")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	up := startUp(t, "--data-dir", upDir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "")
	srv := startServer(t, "serve", "--data-dir", serveDir, "--db", db, "--blob", "file://"+filepath.Join(upDir, "blobs"),
		"--temporal-address", up.ready["temporal"], "--http", "127.0.0.1:0",
		"--stream-key-file", filepath.Join(upDir, "stream.key")) // the deployment's one key
	base := "http://" + srv.ready["http"]

	get := func(path string) (int, []byte) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := testHTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, b := get("/readyz"); code != 200 {
		t.Fatalf("serve /readyz: %d %s", code, b)
	}
	if code, b := get("/api/v1/tracks/" + track); code != 200 || !strings.Contains(string(b), `"stream_urls"`) {
		t.Errorf("serve GET track: %d %s", code, b)
	}

	clip := cutClip(t, wavs[0], 25, 8)
	status, got, b := postIdentify(t, base, token, clip)
	if status != 200 || got.TrackID != track || got.OffsetSeconds < 24 || got.OffsetSeconds > 26 {
		t.Errorf("serve identify a clip 25 s into %s: %d %s", track, status, b)
	}

	// The command line answers from the same catalog.
	out, stderr, code := run(t, "identify", clip, "--db", db, "--json")
	got.TrackID = ""
	json.Unmarshal([]byte(out), &got)
	if code != 0 || got.TrackID != track || got.OffsetSeconds < 24 || got.OffsetSeconds > 26 {
		t.Errorf("musicctl identify: exit %d: %s%s", code, out, stderr)
	}
}
