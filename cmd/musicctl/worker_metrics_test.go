package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/temporalserver"
)

// TestWorkerServesMetrics starts `musicctl worker --metrics-listen
// 127.0.0.1:0`, reads the address from its ready line and scrapes it:
// /healthz answers, /metrics has the Go runtime and the Temporal SDK's
// worker slots through the Prometheus handler.
func TestWorkerServesMetrics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := temporalserver.Start(ctx, temporalserver.Config{Dir: t.TempDir(), FrontendAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	cmd := musicctl("worker", "--data-dir", t.TempDir(), "--temporal-address", srv.FrontendAddr(), "--metrics-listen", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
	}()
	var addr string
	select {
	case line := <-ready:
		_, addr, _ = strings.Cut(strings.TrimSpace(line), " metrics=")
		if !strings.HasPrefix(line, "ready worker ") || addr == "" || addr == "none" {
			t.Fatalf("worker printed %q", line)
		}
	case <-ctx.Done():
		t.Fatal("worker not ready after 2 minutes")
	}
	get := func(path string) string {
		resp, err := testHTTP.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	get("/healthz")
	body := get("/metrics")
	for _, want := range []string{"go_goroutines", "music_temporal_worker_task_slots_available{"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, body)
		}
	}
}
