package main

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/openmusic/music/temporalserver"
)

// TestWorkerLogsSDKWarnings provokes a Temporal SDK warning in `musicctl
// worker` (its pollers lose the server) and finds it on the worker's
// stderr, in the JSON log --log-format asks for.
func TestWorkerLogsSDKWarnings(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := temporalserver.Start(ctx, temporalserver.Config{Dir: t.TempDir(), FrontendAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.Stop()
		}
	}()

	cmd := musicctl("worker", "--data-dir", t.TempDir(), "--temporal-address", srv.FrontendAddr(), "--log-format", "json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
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
	logLines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logLines <- sc.Text()
		}
		close(logLines)
	}()
	select {
	case line := <-ready:
		if !strings.HasPrefix(line, "ready worker ") {
			t.Fatalf("worker printed %q", line)
		}
	case <-ctx.Done():
		t.Fatal("worker not ready after 2 minutes")
	}

	srv.Stop() // the worker's pollers now fail: the SDK warns
	stopped = true
	var seen []string
	for {
		select {
		case line, ok := <-logLines:
			if !ok {
				t.Fatalf("worker stderr ended without an SDK warning:\n%s", strings.Join(seen, "\n"))
			}
			seen = append(seen, line)
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("stderr line is not JSON: %q", line)
			}
			if rec["level"] == "WARN" && rec["component"] == "temporal-sdk" && strings.Contains(rec["msg"].(string), "Failed to poll") {
				t.Logf("worker logged: %s", line)
				return
			}
		case <-ctx.Done():
			t.Fatalf("no SDK warning on the worker's stderr within 2 minutes:\n%s", strings.Join(seen, "\n"))
		}
	}
}
