package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/connectload"
	"github.com/openmusic/music/sqlstore"
)

// benchDeployment is up (for Temporal) plus serve processes on one
// catalog and the machine's Redis, with n listener accounts.
type benchDeployment struct {
	urls   []string
	serves []*proc
	tokens []string
	ids    []string
	track  string
}

func newBenchDeployment(b *testing.B, serves, users int) *benchDeployment {
	b.Helper()
	ctx := context.Background()
	redisURL := "redis://127.0.0.1:6379/0"
	if rc, err := openTestRedis(ctx, redisURL); err != nil {
		b.Skipf("no Redis: %v", err)
	} else {
		rc.Close()
	}
	dir := b.TempDir()
	db := filepath.Join(dir, "catalog.db")
	st, err := sqlstore.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	pub := catalogtest.Publication(51, 1)
	if err := st.PutRelease(ctx, pub); err != nil {
		b.Fatal(err)
	}
	d := &benchDeployment{track: pub.Tracks[0].ID}
	for i := range users {
		u, tok, err := st.CreateUser(ctx, fmt.Sprintf("load-%05d", i), music.RoleListener, "GB")
		if err != nil {
			b.Fatal(err)
		}
		d.tokens, d.ids = append(d.tokens, tok), append(d.ids, u.ID)
	}
	st.Close()
	b.Cleanup(func() { cleanBenchRedis(redisURL, d.ids) })
	key := hex.EncodeToString(bytes.Repeat([]byte{9}, 32)) // one key for every serving process
	up := startUp(b, "--data-dir", b.TempDir(), "--db", db, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "", "--stream-key", key)
	for range serves {
		p := startServer(b, "serve", "--data-dir", b.TempDir(), "--db", db, "--blob", "file://"+filepath.Join(dir, "blobs"),
			"--temporal-address", up.ready["temporal"], "--http", "127.0.0.1:0", "--redis-url", redisURL, "--stream-key", key, "--rate-limit", "0")
		d.serves = append(d.serves, p)
		d.urls = append(d.urls, "http://"+p.ready["http"])
	}
	return d
}

func cleanBenchRedis(url string, ids []string) {
	ctx := context.Background()
	rc, err := openTestRedis(ctx, url)
	if err != nil {
		return
	}
	defer rc.Close()
	for _, id := range ids {
		rc.Del(ctx, "session:{"+id+"}:state", "session:{"+id+"}:active", "session:{"+id+"}:devices")
	}
	iter := rc.Scan(ctx, 0, "device:{bench-*", 1000).Iterator()
	for iter.Next(ctx) {
		rc.Del(ctx, iter.Val())
	}
}

// connectDevices opens n devices per user on server, concurrently.
func connectDevices(b *testing.B, d *benchDeployment, server string, users, perUser int, prefix string) [][]*connectload.Device {
	b.Helper()
	out := make([][]*connectload.Device, users)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 64)
	for u := range users {
		out[u] = make([]*connectload.Device, perUser)
		for k := range perUser {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				dev, err := connectload.Dial(context.Background(), server, d.tokens[u], fmt.Sprintf("bench-%s-%d-%d", prefix, u, k))
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out[u][k] = dev
			}()
		}
	}
	wg.Wait()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	return out
}

var benchHTTP = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

// command sends one player request and returns the new state version.
func command(server, token, method, path, body string) (int64, error) {
	req, _ := http.NewRequest(method, server+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := benchHTTP.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != 204 {
		return 0, fmt.Errorf("%s %s: %d", method, path, resp.StatusCode)
	}
	return strconv.ParseInt(resp.Header.Get("Player-Version"), 10, 64)
}

// BenchmarkConnectCommandToDevice: 500 users with one device on each of
// two serve processes (1,000 devices); commands go to serve A and the time
// until the event reaches the device on serve B is measured (the
// cross-process path through Redis), with 16 commands in flight.
// `make connect-bench` runs it; docs/benchmarks/connect.md has results.
func BenchmarkConnectCommandToDevice(b *testing.B) {
	const users, commands, inflight = 500, 4000, 16
	d := newBenchDeployment(b, 2, users)
	onA := connectDevices(b, d, d.urls[0], users, 1, "a")
	onB := connectDevices(b, d, d.urls[1], users, 1, "b")
	for u := range users {
		if _, err := command(d.urls[0], d.tokens[u], "PUT", fmt.Sprintf("/api/v1/me/player/play?device_id=bench-a-%d-0", u),
			`{"uris":["track:`+d.track+`"]}`); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		lat := make([]time.Duration, commands)
		var wg sync.WaitGroup
		errs := make(chan error, commands)
		sem := make(chan struct{}, inflight)
		start := time.Now()
		for k := range commands {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				u := (k * 7) % users // spread over users; one command per user in flight
				sent := time.Now()
				v, err := command(d.urls[0], d.tokens[u], "PUT", fmt.Sprintf("/api/v1/me/player/seek?position_ms=%d", 1000+k), "")
				if err != nil {
					errs <- err
					return
				}
				at, err := onB[u][0].WaitVersion(v, 10*time.Second)
				if err != nil {
					errs <- err
					return
				}
				lat[k] = at.Sub(sent)
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(connectload.Percentile(lat, 50).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(connectload.Percentile(lat, 99).Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(float64(commands)/elapsed.Seconds(), "commands/s")
	}
	_ = onA
}

// procStat reads a process's resident memory (bytes) and CPU time.
func procStat(b *testing.B, pid int) (rss int64, cpu time.Duration) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			rss = kb << 10
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)             // utime, field 14 of stat
	st, _ := strconv.ParseInt(f[12], 10, 64)             // stime, field 15
	return rss, time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// BenchmarkConnectTenThousandDevices: 10,000 devices (5,000 users × 2) on
// one serve process on Redis. Reports the serve's resident memory per
// device, and its CPU per heartbeat from a run where every device
// heartbeats every 2 s for 20 s (ten times the protocol's rate, to
// measure above the idle noise), minus the same window idle.
func BenchmarkConnectTenThousandDevices(b *testing.B) {
	const users, perUser = 5000, 2
	d := newBenchDeployment(b, 1, users)
	pid := d.serves[0].cmd.Process.Pid
	for range b.N {
		time.Sleep(2 * time.Second)
		rss0, _ := procStat(b, pid)
		devs := connectDevices(b, d, d.urls[0], users, perUser, "t")
		var all []*connectload.Device
		for _, u := range devs {
			all = append(all, u...)
		}
		time.Sleep(3 * time.Second) // let the connects settle
		rss1, cpuIdle0 := procStat(b, pid)
		time.Sleep(20 * time.Second)
		_, cpuIdle1 := procStat(b, pid)
		idle := cpuIdle1 - cpuIdle0

		const window, every = 20 * time.Second, 2 * time.Second
		_, cpu0 := procStat(b, pid)
		var wg sync.WaitGroup
		sent := int64(0)
		var sentMu sync.Mutex
		shards := 50
		for s := range shards {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := int64(0)
				for round := 0; round < int(window/every); round++ {
					tick := time.Now()
					for i := s; i < len(all); i += shards {
						if all[i].Heartbeat(context.Background()) == nil {
							n++
						}
					}
					time.Sleep(every - time.Since(tick))
				}
				sentMu.Lock()
				sent += n
				sentMu.Unlock()
			}()
		}
		wg.Wait()
		_, cpu1 := procStat(b, pid)
		busy := cpu1 - cpu0 - idle
		b.ReportMetric(float64(len(all)), "devices")
		b.ReportMetric(float64(rss1-rss0)/float64(len(all)), "rss-bytes/device")
		b.ReportMetric(float64(rss1)/(1<<20), "serve-rss-MiB")
		b.ReportMetric(float64(busy.Microseconds())/float64(sent), "cpu-us/heartbeat")
		b.ReportMetric(idle.Seconds()/window.Seconds()*100, "idle-cpu-%")
		for _, dv := range all {
			dv.Close()
		}
	}
}
