package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jfreymuth/oggvorbis"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/deliverytest"
	"github.com/openmusic/music/internal/feedserver"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/serving/client/offline"
)

// offlineTrack is what the e2e test reads of a catalog track.
type offlineTrack struct {
	TrackID    string            `json:"track_id"`
	StreamURLs map[string]string `json:"stream_urls"`
	ReplayGain struct {
		TrackGainDB float64 `json:"track_gain_db"`
		TrackPeak   float64 `json:"track_peak"`
	} `json:"replay_gain"`
}

// TestOfflineThroughUp: real music ingested through up; a listener's
// playlist synced by `musicctl offline sync` (killed with SIGKILL at
// random points 20 times first), then with a podcast episode of real
// speech (`--episode`); a track added and one removed online and synced;
// the server stopped and every track and the episode played by `musicctl
// offline play` equal sample for sample to the streamed rung with the
// same gain; 31 days later refused; back online the offline plays upload
// once; the feed drops the episode and the next renewal deletes it; a
// purge of the release deletes its tracks at the next renewal.
func TestOfflineThroughUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up, ingest and offline sync")
	}
	masters := testmusic.Files(t, "wav", "*.wav")
	if len(masters) < 3 {
		t.Skipf("NOTICE: %d test masters, need 3; run `make fingerprint-music`", len(masters))
	}
	work := t.TempDir()
	data := filepath.Join(work, "data")
	upArgs := []string{"--data-dir", data, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--podcast-allow-private"}
	up := startUp(t, upArgs...)
	base, temporal := "http://"+up.ready["http"], up.ready["temporal"]
	label, stderr, code := run(t, "users", "add", "offline-label", "--role", "label", "--data-dir", data)
	if code != 0 {
		t.Fatalf("users add (label): exit %d: %s", code, stderr)
	}
	rel := deliverytest.Release{UPC: deliverytest.UPC(900), Title: "Offline EP", Artist: "Offline Band", MessageID: "OMTEST-offline"}
	for i := range 3 {
		src := filepath.Join(work, fmt.Sprintf("cut%d.wav", i))
		if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-ss", "20", "-t", "6", "-i", masters[i], "-c:a", "pcm_s16le", src).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
		rel.Tracks = append(rel.Tracks, deliverytest.Track{ISRC: deliverytest.ISRC(26, 900+i), Title: fmt.Sprintf("Offline %d", i+1), Source: src})
	}
	delivery := filepath.Join(work, "delivery")
	if _, err := deliverytest.Write(delivery, rel); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	if out, stderr, code := run(t, "ingest", delivery, "--json", "--data-dir", data, "--temporal-address", temporal); code != 0 {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, stderr)
	}
	// A podcast of real speech, registered by the label.
	talk := feedserver.Item{GUID: "offline-1", Title: "Offline talk", Published: time.Now().Add(-time.Hour).UTC().Truncate(time.Second),
		Audio: feedserver.Speech(t, work, "offline-talk", "This episode is kept on the device and played with no network.")}
	host := feedserver.Start(t, "Offline Talk", talk)
	out, stderr, code := run(t, "podcasts", "add", host.FeedURL(), "--server", base, "--json")
	var added podcastAdded
	if code != 0 || json.Unmarshal([]byte(out), &added) != nil {
		t.Fatalf("podcasts add: exit %d: %s %s", code, out, stderr)
	}
	show := added.Show.ID
	listener := addUser(t, data, "offline-listener")
	episode := waitEpisodes(t, base, show, listener, 1)[0]
	streamedEpisode := fetch(t, base, episode.StreamURLs["96"])
	t.Setenv("MUSIC_TOKEN", listener)

	var tracks []offlineTrack
	var ids []string
	for _, tr := range rel.Tracks {
		var ot offlineTrack
		getJSON(t, base+"/api/v1/tracks?isrc="+tr.ISRC, listener, &ot)
		tracks, ids = append(tracks, ot), append(ids, ot.TrackID)
	}
	var pl struct{ ID string }
	callJSON(t, "POST", base+"/api/v1/playlists", listener, map[string]any{"name": "Offline"}, http.StatusCreated, &pl)
	callJSON(t, "POST", base+"/api/v1/playlists/"+pl.ID+"/tracks", listener, map[string]any{"track_ids": ids[:2]}, http.StatusCreated, nil)
	streamed := map[string][]byte{}
	for _, tr := range tracks {
		streamed[tr.TrackID] = fetch(t, base, tr.StreamURLs["160"])
	}

	dev := filepath.Join(work, "device")
	syncArgs := func() []string {
		return []string{"offline", "sync", "--device", dev, "--playlist", pl.ID, "--server", base}
	}
	withEpisode := func() []string { return append(syncArgs(), "--episode", episode.ID) }
	killSyncs(t, dev, syncArgs(), 2)
	mustSync(t, withEpisode(), "synced: 3 downloaded, 0 deleted")

	// Online: the third track in, the first out.
	var page struct {
		Items []struct {
			EntryID string `json:"entry_id"`
		}
	}
	getJSON(t, base+"/api/v1/playlists/"+pl.ID+"/tracks", listener, &page)
	callJSON(t, "POST", base+"/api/v1/playlists/"+pl.ID+"/tracks", listener, map[string]any{"track_ids": ids[2:]}, http.StatusCreated, nil)
	callJSON(t, "DELETE", base+"/api/v1/playlists/"+pl.ID+"/tracks", listener, map[string]any{"entry_ids": []string{page.Items[0].EntryID}}, http.StatusOK, nil)
	mustSync(t, withEpisode(), "synced: 1 downloaded, 1 deleted")

	up.kill(t) // no network from here
	for _, tr := range tracks[1:] {
		out := filepath.Join(work, tr.TrackID+".f32")
		if stdout, stderr, code := run(t, "offline", "play", dev, tr.TrackID, "--out", out); code != 0 {
			t.Fatalf("offline play %s: exit %d: %s %s", tr.TrackID, code, stdout, stderr)
		}
		got := readF32(t, out)
		want := decodeWithGain(t, streamed[tr.TrackID], tr.ReplayGain.TrackGainDB, tr.ReplayGain.TrackPeak)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Fatalf("%s: %d samples offline, %d streamed; not equal", tr.TrackID, len(got), len(want))
		}
	}
	// The episode, with the gain that brings it from its loudness to the
	// ReplayGain reference.
	episodeOut := filepath.Join(work, "episode.f32")
	if stdout, stderr, code := run(t, "offline", "play", dev, episode.ID, "--out", episodeOut); code != 0 {
		t.Fatalf("offline play %s: exit %d: %s %s", episode.ID, code, stdout, stderr)
	}
	got, want := readF32(t, episodeOut), decodeWithGain(t, streamedEpisode, music.ReplayGainReference-episode.LoudnessLUFS, 0)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("episode %s: %d samples offline, %d streamed; not equal", episode.ID, len(got), len(want))
	}
	t.Logf("episode %s at %.2f LUFS: %d samples offline equal to the streamed 96 rung with %.2f dB", episode.ID,
		episode.LoudnessLUFS, len(got), music.ReplayGainReference-episode.LoudnessLUFS)
	if _, stderr, code := run(t, "offline", "play", dev, tracks[0].TrackID); code == 0 || !strings.Contains(stderr, "not in the offline store") {
		t.Fatalf("a track removed from the playlist played: exit %d: %s", code, stderr)
	}
	// 31 days on the device's clock with no renewal: refused, clearly.
	store, err := offline.OpenStore(dev)
	if err != nil {
		t.Fatal(err)
	}
	store.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	if _, err := store.Decode(tracks[1].TrackID); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("a lapsed licence played: %v", err)
	}

	// Online again: the three offline plays upload, once.
	up = startUp(t, upArgs...)
	base, temporal = "http://"+up.ready["http"], up.ready["temporal"]
	mustSync(t, withEpisode(), "3 renewed, 3 plays uploaded, 3 held")
	mustSync(t, withEpisode(), "0 plays uploaded, 3 held")

	// The feed drops the episode: it is hidden, the next renewal deletes
	// it, and asking for it again is refused, saying why.
	host.SetItems()
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	refresh(t, base, show)
	t.Setenv("MUSIC_TOKEN", listener)
	waitFor(t, "the dropped episode hidden", func() bool {
		req, _ := http.NewRequest("GET", base+"/api/v1/episodes/"+episode.ID, nil)
		req.Header.Set("Authorization", "Bearer "+listener)
		resp, err := apiClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusNotFound
	})
	mustSync(t, withEpisode(), "0 downloaded, 1 deleted, 2 renewed, 0 plays uploaded, 2 held")
	if _, stderr, code := run(t, withEpisode()...); code == 0 || !strings.Contains(stderr, "dropped from its show's feed") {
		t.Fatalf("a sync asking for the dropped episode: exit %d: %s", code, stderr)
	}

	// The label withdraws the release: the next renewal deletes it all.
	purge := filepath.Join(work, "purge")
	if err := deliverytest.WritePurge(purge, "PADPIDA2026112701X", "OMTEST-offline-purge", rel.UPC); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	if out, stderr, code := run(t, "ingest", purge, "--json", "--data-dir", data, "--temporal-address", temporal); code != 0 {
		t.Fatalf("purge: exit %d\n%s\n%s", code, out, stderr)
	}
	t.Setenv("MUSIC_TOKEN", listener)
	mustSync(t, syncArgs(), "0 downloaded, 2 deleted, 0 renewed, 0 plays uploaded, 0 held")
}

// mustSync runs `offline sync` and wants its summary to contain want.
func mustSync(t *testing.T, args []string, want string) {
	t.Helper()
	out, stderr, code := run(t, args...)
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("offline sync: exit %d: %q, want %q; %s", code, out, want, stderr)
	}
}

// killSyncs kills `offline sync` with SIGKILL at a random moment 20
// times; after each the store must open, every indexed track must verify
// and open, and no other file may be left. Then the store is emptied
// (the device kept) so the next round downloads again.
func killSyncs(t *testing.T, dev string, args []string, n int) {
	start := time.Now()
	if _, stderr, code := run(t, args...); code != 0 {
		t.Fatalf("offline sync: exit %d: %s", code, stderr)
	}
	full := time.Since(start)
	rng := rand.New(rand.NewPCG(15, 20))
	for round := range 20 {
		clearStore(t, dev)
		cmd := musicctl(args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full))))
		cmd.Process.Kill()
		cmd.Wait()
		store, err := offline.OpenStore(dev)
		if err != nil {
			t.Fatalf("round %d: the store does not open after kill -9: %v", round, err)
		}
		held := store.Held()
		for _, h := range held {
			tr, err := store.Open(h.ID)
			if err != nil {
				t.Fatalf("round %d: indexed track %s does not open: %v", round, h.ID, err)
			}
			if err := tr.Verify(); err != nil {
				t.Fatalf("round %d: indexed track %s is partial: %v", round, h.ID, err)
			}
			tr.Close()
		}
		files, _ := filepath.Glob(filepath.Join(dev, "tracks", "*"))
		episodes, _ := filepath.Glob(filepath.Join(dev, "episodes", "*"))
		if files = append(files, episodes...); len(files) != len(held) {
			t.Fatalf("round %d: %d files for %d indexed tracks: %v", round, len(files), len(held), files)
		}
		t.Logf("round %d: killed after %d of %d tracks", round, len(held), n)
	}
	clearStore(t, dev)
}

// clearStore forgets the held tracks and episodes, keeping the enrolled
// device.
func clearStore(t *testing.T, dev string) {
	for _, p := range []string{filepath.Join(dev, "tracks"), filepath.Join(dev, "episodes"), filepath.Join(dev, "index.json")} {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}
}

func callJSON(t *testing.T, method, url, token string, in any, want int, out any) {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatal(err)
		}
	}
}

func fetch(t *testing.T, base, url string) []byte {
	t.Helper()
	if strings.HasPrefix(url, "/") {
		url = base + url
	}
	resp, err := apiClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}

func readF32(t *testing.T, path string) []float32 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, len(b)/4)
	if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeWithGain decodes a streamed rung and applies ReplayGain as the
// offline player does (gain lowered so the peak stays under full scale).
func decodeWithGain(t *testing.T, ogg []byte, gainDB, peak float64) []float32 {
	if peak > 0 {
		gainDB = min(gainDB, -20*math.Log10(peak))
	}
	gain := float32(math.Pow(10, gainDB/20))
	dec, err := oggvorbis.NewReader(bytes.NewReader(ogg))
	if err != nil {
		t.Fatal(err)
	}
	var out []float32
	buf := make([]float32, 8192)
	for {
		n, err := dec.Read(buf)
		for _, v := range buf[:n] {
			out = append(out, v*gain)
		}
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
