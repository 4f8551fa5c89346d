package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/pgtest"
	"github.com/openmusic/music/sqlstore"
)

// outage is how long each dependency is taken away.
const outage = 20 * time.Second

// natsOnPort is a JetStream server on a fixed port that the test can stop
// and start again with the same store, as a NATS restart would.
type natsOnPort struct {
	opts *server.Options
	srv  *server.Server
}

func startNATS(t *testing.T) *natsOnPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	n := &natsOnPort{opts: &server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true}}
	n.start(t)
	t.Cleanup(n.stop)
	return n
}

func (n *natsOnPort) start(t *testing.T) {
	t.Helper()
	srv, err := server.NewServer(n.opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		t.Fatal("nats-server not ready after 30s")
	}
	n.srv = srv
}

func (n *natsOnPort) stop() {
	if n.srv != nil {
		n.srv.Shutdown()
		n.srv.WaitForShutdown()
		n.srv = nil
	}
}

func (n *natsOnPort) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.opts.Port) }

// tally counts answers by status per kind of request and phase.
type tally struct {
	mu sync.Mutex
	m  map[string]map[int]int
}

func (c *tally) add(key string, code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]map[int]int{}
	}
	if c.m[key] == nil {
		c.m[key] = map[int]int{}
	}
	c.m[key][code]++
}

func (c *tally) get(key string) map[int]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[int]int{}
	for k, v := range c.m[key] {
		out[k] = v
	}
	return out
}

// TestChaosDependenciesDown runs `musicctl up` on a PostgreSQL cluster
// and a NATS server that the test owns, under mixed traffic (catalog
// reads, playlist writes, playback reports). PostgreSQL is stopped for
// 20 s: reads keep answering from the cache, writes answer 503 with
// Retry-After, plays are still accepted. Then NATS is stopped for 20 s:
// reports answer 503, reads and writes are untouched. Afterwards every
// acknowledged playlist is in the database and every acknowledged play is
// in the lake.
func TestChaosDependenciesDown(t *testing.T) {
	if testing.Short() {
		t.Skip("stops PostgreSQL and NATS under a real musicctl up for 20 s each")
	}
	pg := pgtest.Start(t)
	dsn := pg.CreateDB(t, "chaos")
	tokens, tracks := seedCatalogAt(t, dsn, 4, 3)
	nats := startNATS(t)
	dir := t.TempDir()
	up := startUp(t, "--data-dir", dir, "--db", dsn, "--nats-url", nats.url(), "--http", "127.0.0.1:0",
		"--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--lake-flush", "300ms",
		"--rate-limit", "0", "--rate-limit-reports", "0")
	base := "http://" + up.ready["http"]
	client := &http.Client{Timeout: 15 * time.Second}

	var phase atomic.Value
	phase.Store("before")
	var counts tally
	var mu sync.Mutex
	ackedPlaylists := map[string]string{} // name → token
	var ackedPlays []string
	do := func(method, path, token string, body []byte) (int, http.Header) {
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			return -1, nil
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, res.Header
	}
	check503 := func(kind string, code int, h http.Header) {
		if code == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
			counts.add(kind+"/503-without-retry-after", 1)
		}
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		token := tokens[w]
		wg.Add(1)
		go func() { // one listener: read, write, report, in a loop
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				p := phase.Load().(string)
				code, h := do("GET", "/api/v1/tracks/"+tracks[i%len(tracks)], token, nil)
				counts.add(p+"/read", code)
				check503("read", code, h)

				name := fmt.Sprintf("w%d-%d", w, i)
				code, h = do("POST", "/api/v1/playlists", token, []byte(`{"name":"`+name+`"}`))
				counts.add(p+"/write", code)
				check503("write", code, h)
				if code == http.StatusCreated {
					mu.Lock()
					ackedPlaylists[name] = token
					mu.Unlock()
				}

				ev := fmt.Sprintf("chaos-%d-%d", w, i)
				body, _ := json.Marshal(map[string]any{"event_id": ev, "track_id": tracks[i%len(tracks)], "session_id": "s", "device_id": "d",
					"played_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339Nano), "duration_listened_ms": 40000, "completed": false, "quality": "160kbps"})
				code, h = do("POST", "/api/v1/playback/report", token, body)
				counts.add(p+"/report", code)
				check503("report", code, h)
				if code == http.StatusAccepted {
					mu.Lock()
					ackedPlays = append(ackedPlays, ev)
					mu.Unlock()
				}
			}
		}()
	}
	readyz := func() string {
		res, err := client.Get(base + "/readyz")
		if err != nil {
			return err.Error()
		}
		defer res.Body.Close()
		var b struct{ Status string }
		json.NewDecoder(res.Body).Decode(&b)
		return fmt.Sprintf("%d %s", res.StatusCode, b.Status)
	}
	// waitFor polls until kind answers want in the current phase.
	waitFor := func(kind string, want int) {
		deadline := time.Now().Add(60 * time.Second)
		for counts.get(phase.Load().(string) + "/" + kind)[want] == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no %d within 60s of phase %s: %v", kind, want, phase.Load(), counts.get(phase.Load().(string)+"/"+kind))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	time.Sleep(3 * time.Second) // warm: every token and track read at least once
	waitFor("write", http.StatusCreated)
	phase.Store("pg-down")
	pg.Stop(t)
	t.Logf("PostgreSQL stopped; /readyz: %s", readyz())
	time.Sleep(outage / 2)
	if got := readyz(); got != "200 degraded" {
		t.Errorf("/readyz with PostgreSQL down: %s, want 200 degraded", got)
	}
	time.Sleep(outage / 2)
	phase.Store("pg-back")
	pg.Start(t)
	waitFor("write", http.StatusCreated)
	t.Logf("PostgreSQL back; /readyz: %s", readyz())

	phase.Store("nats-down")
	nats.stop()
	time.Sleep(outage)
	phase.Store("nats-back")
	nats.start(t)
	waitFor("report", http.StatusAccepted)
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()

	for _, p := range []string{"before", "pg-down", "pg-back", "nats-down", "nats-back"} {
		t.Logf("%-9s reads %v, writes %v, reports %v", p, counts.get(p+"/read"), counts.get(p+"/write"), counts.get(p+"/report"))
	}
	// What each route must answer in each phase; anything else fails.
	allowed := map[string][]int{
		"pg-down/read":   {200},
		"pg-down/write":  {201, 503}, // 201 only in the instant before the stop took effect
		"pg-down/report": {202},
		"nats-down/read": {200}, "nats-down/write": {201},
		"nats-down/report": {202, 503},
	}
	for key, ok := range allowed {
		for code, n := range counts.get(key) {
			if !slices.Contains(ok, code) {
				t.Errorf("%s: %d answers with status %d, want only %v", key, n, code, ok)
			}
		}
	}
	if counts.get("pg-down/write")[503] == 0 || counts.get("nats-down/report")[503] == 0 {
		t.Errorf("the outages were not seen: writes %v while PostgreSQL was down, reports %v while NATS was", counts.get("pg-down/write"), counts.get("nats-down/report"))
	}
	for _, kind := range []string{"read", "write", "report"} {
		if n := counts.get(kind + "/503-without-retry-after")[1]; n > 0 {
			t.Errorf("%s: %d answers 503 without Retry-After", kind, n)
		}
	}

	// Every acknowledged write is in the database.
	st, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	have := map[string]bool{}
	for _, tok := range tokens {
		u, err := st.UserByToken(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		ps, _, err := st.PlaylistsOf(context.Background(), u.ID, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			have[p.Name] = true
		}
	}
	missing := 0
	for name := range ackedPlaylists {
		if !have[name] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged playlists are not in the database", missing, len(ackedPlaylists))
	}

	// Every acknowledged play reaches the lake.
	blobs, err := filestore.Open(context.Background(), filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	// The lake may also hold plays whose 503 came after NATS stored them,
	// so wait for the acknowledged ones themselves, not for a count.
	lost := 0
	for deadline := time.Now().Add(2 * time.Minute); ; {
		seen, _ := waitForLake(t, blobs, len(ackedPlays), 300*time.Millisecond)
		lost = 0
		for _, ev := range ackedPlays {
			if seen[ev] == 0 {
				lost++
			}
		}
		if lost == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged plays are not in the lake", lost, len(ackedPlays))
	}
	t.Logf("%d playlists and %d plays acknowledged; all stored", len(ackedPlaylists), len(ackedPlays))
}
