package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/sqlstore"
	goredis "github.com/redis/go-redis/v9"
)

// connectWorld is the deployment: two serve processes sharing one
// catalog and blob store, Redis and NATS (beside an up for Temporal).
type connectWorld struct {
	t          *testing.T
	serves     [2]*proc
	urls       [2]string
	premium    string // bearer tokens
	free       string
	track1     string // a 20 s track of real music, and the next on its album
	track2     string
	album      string
	redisURL   string
	premiumID  string
	freeUserID string
}

func newConnectWorld(t *testing.T) *connectWorld {
	t.Helper()
	ctx := context.Background()
	wav := testmusic.Files(t, "cuts", "*.wav")
	if len(wav) == 0 {
		t.Skip("no test music cuts (make encode-test-music)")
	}
	redisURL := "redis://127.0.0.1:6379/0"
	rc, err := openTestRedis(ctx, redisURL)
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_REDIS") == "1" {
			t.Fatalf("MUSIC_REQUIRE_REDIS=1 and no Redis: %v", err)
		}
		t.Skipf("no Redis at %s: %v", redisURL, err)
	}
	rc.Close()

	shared := t.TempDir()
	db, blobDir := filepath.Join(shared, "catalog.db"), filepath.Join(shared, "blobs")
	// Two tracks whose renditions are the real ladder of a 20 s cut.
	out := filepath.Join(t.TempDir(), "enc")
	res, err := encode.EncodeTrack(ctx, wav[0], out, encode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pub := catalogtest.Publication(41, 2)
	blobs, err := filestore.Open(ctx, blobDir)
	if err != nil {
		t.Fatal(err)
	}
	pub.Renditions = nil
	for i := range pub.Tracks {
		tr := &pub.Tracks[i]
		tr.Duration = time.Duration(res.Source.Frames) * time.Second / time.Duration(res.Source.Format.SampleRate)
		for _, r := range res.Renditions {
			if r.Codec != "vorbis" {
				continue
			}
			rung := fmt.Sprint(r.Bitrate / 1000)
			key := "audio/" + tr.ID + "/" + rung + ".ogg"
			f, err := os.Open(filepath.Join(out, r.Path))
			if err != nil {
				t.Fatal(err)
			}
			_, err = blobs.Put(ctx, key, f, music.PutOptions{})
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			pub.Renditions = append(pub.Renditions, music.Rendition{TrackID: tr.ID, Rung: rung, BlobKey: key, Bytes: r.Bytes,
				SHA256: r.SHA256, Codec: "vorbis", Bitrate: r.Bitrate, SampleRate: r.SampleRate, Channels: r.Channels, Samples: r.Samples})
		}
	}
	st, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutRelease(ctx, pub); err != nil {
		t.Fatal(err)
	}
	w := &connectWorld{t: t, redisURL: redisURL, album: "album:" + pub.Release.ID}
	for _, tr := range pub.Tracks {
		if tr.DiscNumber == 1 && tr.TrackNumber == 1 {
			w.track1 = tr.ID
		} else {
			w.track2 = tr.ID
		}
	}
	pu, premium, err := st.CreateUserOnPlan(ctx, "pam", music.RoleListener, "GB", music.PlanPremium)
	if err != nil {
		t.Fatal(err)
	}
	fu, free, err := st.CreateUserOnPlan(ctx, "fred", music.RoleListener, "GB", music.PlanFree)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	w.premium, w.free, w.premiumID, w.freeUserID = premium, free, pu.ID, fu.ID
	t.Cleanup(func() { w.cleanRedis() })

	natsURL := startTestNATS(t)
	key := hex.EncodeToString(bytes.Repeat([]byte{7}, 32)) // one key for every serving process
	up := startUp(t, "--data-dir", t.TempDir(), "--db", db, "--blob", "file://"+blobDir, "--http", "127.0.0.1:0",
		"--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--stream-key", key)
	for i := range w.serves {
		w.serves[i] = startServer(t, "serve", "--data-dir", t.TempDir(), "--db", db, "--blob", "file://"+blobDir,
			"--temporal-address", up.ready["temporal"], "--http", "127.0.0.1:0", "--nats-url", natsURL,
			"--redis-url", redisURL, "--stream-key", key)
		w.urls[i] = "http://" + w.serves[i].ready["http"]
	}
	return w
}

// startTestNATS runs a JetStream server for this test alone on a free
// port (this machine's own NATS is shared by everyone's tests).
func startTestNATS(t *testing.T) string {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		t.Fatal("test NATS not ready in 30 s")
	}
	t.Cleanup(ns.Shutdown)
	return ns.ClientURL()
}

// cleanRedis deletes the test users' keys from the shared Redis.
func (w *connectWorld) cleanRedis() {
	ctx := context.Background()
	rc, err := openTestRedis(ctx, w.redisURL)
	if err != nil {
		return
	}
	defer rc.Close()
	for _, id := range []string{w.premiumID, w.freeUserID} {
		for _, k := range []string{"state", "active", "devices"} {
			rc.Del(ctx, "session:{"+id+"}:"+k)
		}
		rc.Del(ctx, "act:"+id) // friend activity of the plays reported
	}
	for _, d := range []string{"cli-A", "cli-B", "cli-F1", "cli-F2"} {
		rc.Del(ctx, "device:{"+d+"}:owner")
	}
}

// deviceProc is a `musicctl player device` child and its JSON log.
type deviceProc struct {
	t     *testing.T
	name  string
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []map[string]any
	wav   string
}

// startDevice runs a device connected to servers (in that order).
func (w *connectWorld) startDevice(name, token string, servers []string, extra ...string) *deviceProc {
	t := w.t
	t.Helper()
	d := &deviceProc{t: t, name: name, wav: filepath.Join(t.TempDir(), name+".wav")}
	args := append([]string{"player", "device", "--name", name, "--token", token, "--out", d.wav,
		"--servers", strings.Join(servers, ",")}, extra...)
	d.cmd = musicctl(args...)
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.cmd.Process.Kill(); d.cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				m = map[string]any{"event": "text", "text": sc.Text()}
			}
			d.mu.Lock()
			d.lines = append(d.lines, m)
			d.mu.Unlock()
		}
		io.Copy(io.Discard, stderr)
	}()
	d.wait("welcome", 30*time.Second, func(m map[string]any) bool { return m["event"] == "welcome" })
	return d
}

// wait returns the first log line (from the start) that matches, or
// fails after within.
func (d *deviceProc) wait(what string, within time.Duration, match func(map[string]any) bool) map[string]any {
	d.t.Helper()
	deadline := time.Now().Add(within)
	for {
		d.mu.Lock()
		for _, m := range d.lines {
			if match(m) {
				d.mu.Unlock()
				return m
			}
		}
		n := len(d.lines)
		d.mu.Unlock()
		if time.Now().After(deadline) {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.t.Fatalf("device %s: no %s within %v; %d log lines: %v", d.name, what, within, n, d.lines)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func num(m map[string]any, k string) int64 {
	f, _ := m[k].(float64)
	return int64(math.Round(f))
}

// api sends one player request to server i as token's user.
func (w *connectWorld) api(i int, token, method, path, body string) (int, []byte) {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.urls[i]+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (w *connectWorld) must(i int, token, method, path, body string, want int) []byte {
	w.t.Helper()
	code, b := w.api(i, token, method, path, body)
	if code != want {
		w.t.Fatalf("%s %s on serve %d: %d %s, want %d", method, path, i, code, b, want)
	}
	return b
}

// TestConnectTwoServes is the end to end: two serve processes
// sharing Redis, NATS and one catalog, a device on each.
func TestConnectTwoServes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up, two serves and devices")
	}
	w := newConnectWorld(t)
	A, B := 0, 1
	devA := w.startDevice("A", w.premium, []string{w.urls[A], w.urls[B]})
	devB := w.startDevice("B", w.premium, []string{w.urls[B], w.urls[A]})

	// Play on A (through serve A).
	w.must(A, w.premium, "PUT", "/api/v1/me/player/play?device_id=cli-A", `{"context_uri":"`+w.album+`"}`, 204)
	firstPlay := devA.wait("playing on A", 10*time.Second, func(m map[string]any) bool { return m["event"] == "playing" })
	if firstPlay["track_id"] != w.track1 {
		t.Fatalf("A plays %v, want %s", firstPlay["track_id"], w.track1)
	}
	time.Sleep(2 * time.Second) // let A play a while

	// Where the player is just before the transfer, from serve B.
	var before struct {
		ProgressMS int64  `json:"progress_ms"`
		Timestamp  int64  `json:"timestamp"`
		SessionID  string `json:"session_id"`
	}
	if err := json.Unmarshal(w.must(B, w.premium, "GET", "/api/v1/me/player", "", 200), &before); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	w.must(B, w.premium, "PUT", "/api/v1/me/player", `{"device_ids":["cli-B"]}`, 204)
	answered := time.Now()
	cmd := devB.wait("play command on B", 10*time.Second, func(m map[string]any) bool {
		return m["event"] == "command" && m["action"] == "play"
	})
	expected := before.ProgressMS + (sent.UnixMilli() - before.Timestamp)
	flight := answered.Sub(sent).Milliseconds()
	got := num(cmd, "position_ms")
	t.Logf("transfer: B told to play %v at %d ms; expected %d ms (+%d ms in flight); command reached B %d ms after the request",
		cmd["track_id"], got, expected, flight, num(cmd, "at_ms")-sent.UnixMilli())
	if cmd["track_id"] != w.track1 || got < expected-250 || got > expected+250+flight {
		t.Errorf("B starts %v at %d ms, want %s at %d ms (±250 ms + %d ms in flight)", cmd["track_id"], got, w.track1, expected, flight)
	}
	if cmd["session_id"] == before.SessionID || cmd["session_id"] == "" {
		t.Errorf("transfer kept session %v", cmd["session_id"])
	}
	playB := devB.wait("B playing", 10*time.Second, func(m map[string]any) bool { return m["event"] == "playing" })
	if num(playB, "position_ms") != got {
		t.Errorf("B plays from %d ms, told %d ms", num(playB, "position_ms"), got)
	}
	devA.wait("A paused", 10*time.Second, func(m map[string]any) bool { return m["event"] == "command" && m["action"] == "pause" })
	devA.wait("A stopped", 10*time.Second, func(m map[string]any) bool { return m["event"] == "stopped" })
	// A's play was reported under the first session, B's plays under the new one.
	devA.wait("A's play report", 15*time.Second, func(m map[string]any) bool {
		return m["event"] == "reported" && m["session_id"] == before.SessionID && m["error"] == ""
	})

	// A queue change through either process reaches both devices.
	for i, via := range []int{A, B} {
		w.must(via, w.premium, "POST", "/api/v1/me/player/queue?uri=track:"+w.track2, "", 204)
		for _, d := range []*deviceProc{devA, devB} {
			d.wait(fmt.Sprintf("queue length %d", i+1), 10*time.Second, func(m map[string]any) bool { return num(m, "queue_length") == int64(i+1) })
		}
	}

	// Free tier: the second device's own play pauses the first.
	f1 := w.startDevice("F1", w.free, []string{w.urls[A]})
	w.must(A, w.free, "PUT", "/api/v1/me/player/play?device_id=cli-F1", `{"uris":["track:`+w.track1+`"]}`, 204)
	f1.wait("F1 playing", 10*time.Second, func(m map[string]any) bool { return m["event"] == "playing" })
	w.startDevice("F2", w.free, []string{w.urls[B]}, "--play", w.track2)
	f1.wait("F1 paused by F2", 10*time.Second, func(m map[string]any) bool { return m["event"] == "command" && m["action"] == "pause" })
	var fst struct {
		Device struct{ ID string }
		Item   struct{ ID string }
	}
	json.Unmarshal(w.must(A, w.free, "GET", "/api/v1/me/player", "", 200), &fst)
	if fst.Device.ID != "cli-F2" || fst.Item.ID != w.track2 {
		t.Errorf("free player after F2's play: %+v", fst)
	}

	// kill -9 serve B: device B reconnects to A within 5 s, the state intact.
	var stBefore map[string]any
	json.Unmarshal(w.must(A, w.premium, "GET", "/api/v1/me/player", "", 200), &stBefore)
	if err := w.serves[B].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	back := devB.wait("B's reconnect to A", 5*time.Second, func(m map[string]any) bool {
		return m["event"] == "welcome" && m["server"] == w.urls[A]
	})
	t.Logf("kill -9 serve B: device B back on serve A after %d ms", num(back, "at_ms")-killed.UnixMilli())
	var stAfter map[string]any
	json.Unmarshal(w.must(A, w.premium, "GET", "/api/v1/me/player", "", 200), &stAfter)
	for _, k := range []string{"session_id", "item", "device", "queue_length", "is_playing", "shuffle_seed", "context"} {
		if fmt.Sprint(stAfter[k]) != fmt.Sprint(stBefore[k]) {
			t.Errorf("after the kill, %s = %v, was %v", k, stAfter[k], stBefore[k])
		}
	}
	// The only change is B's registration on A.
	if v0, v1 := num(stBefore, "version"), num(stAfter, "version"); v1 != v0+1 {
		t.Errorf("after the kill, version %d, was %d; want one more (the re-registration)", v1, v0)
	}
	// Still the active device: a command through A reaches it.
	w.must(A, w.premium, "PUT", "/api/v1/me/player/pause", "", 204)
	devB.wait("pause after the failover", 10*time.Second, func(m map[string]any) bool {
		return m["event"] == "command" && m["action"] == "pause" && m["server"] == w.urls[A]
	})
	// The WAV B wrote holds audio.
	if fi, err := os.Stat(devB.wav); err != nil || fi.Size() < 44+44100 {
		t.Errorf("B's WAV: %v %v", fi, err)
	}
}

// openTestRedis connects to the Redis the test processes share, for
// checks and cleanup.
func openTestRedis(ctx context.Context, url string) (*goredis.Client, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	c := goredis.NewClient(opts)
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}
