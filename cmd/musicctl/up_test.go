package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openmusic/music/internal/proctest"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// TestUpSurvivesKill9 is the platform's restart-durability check: run a
// workflow and create a user through `up`, kill -9 it, start it again on
// the same data dir, and find both the workflow history and the row.
func TestUpSurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	flags := []string{"--data-dir", dir, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "127.0.0.1:0"}
	p := startUp(t, flags...)
	for _, k := range []string{"http", "temporal", "ui"} {
		if p.ready[k] == "" || p.ready[k] == "none" {
			t.Fatalf("ready line lacks %s: %v", k, p.ready)
		}
	}

	out, errOut, code := run(t, "smoke", "--temporal-address", p.ready["temporal"], "--json")
	if code != 0 {
		t.Fatalf("smoke exit %d: %s", code, errOut)
	}
	var smoke struct {
		WorkflowID string `json:"workflow_id"`
		SHA256     string `json:"sha256"`
	}
	if err := json.Unmarshal([]byte(out), &smoke); err != nil || smoke.WorkflowID == "" || len(smoke.SHA256) != 64 {
		t.Fatalf("smoke output %q: %v", out, err)
	}
	token, errOut, code := run(t, "users", "add", "alice", "--role", "listener", "--data-dir", dir)
	if code != 0 || !strings.HasPrefix(token, "mt_") {
		t.Fatalf("users add: exit %d, out %q, err %s", code, token, errOut)
	}
	checkReady(t, p.ready["http"])
	checkCatalogRoutes(t, p.ready["http"], token)

	// up's child, musicctl-temporal, must end with it even on kill -9.
	kids := proctest.Children(p.cmd.Process.Pid)
	if len(kids) == 0 {
		t.Fatal("up runs no child process; where is the embedded Temporal server?")
	}
	p.kill(t)
	waitGone(t, kids, 30*time.Second)

	p2 := startUp(t, flags...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: p2.ready["temporal"]})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(ctx, smoke.WorkflowID, "")
	if err != nil {
		t.Fatalf("workflow %s lost after kill -9: %v", smoke.WorkflowID, err)
	}
	if st := desc.WorkflowExecutionInfo.Status; st != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Fatalf("workflow status after restart: %v", st)
	}
	list, _, code := run(t, "users", "list", "--json", "--data-dir", dir)
	if code != 0 || !strings.Contains(list, `"alice"`) {
		t.Fatalf("user row lost after kill -9: %s", list)
	}

	// A clean stop on SIGTERM exits 0.
	p2.cmd.Process.Signal(syscall.SIGTERM)
	if err := p2.wait(t); err != nil {
		t.Fatalf("up after SIGTERM: %v; stderr %s", err, p2.stderr.String())
	}
}

// waitGone waits until none of pids runs, or fails the test.
func waitGone(t *testing.T, pids []int, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for _, pid := range pids {
		for proctest.Alive(pid) {
			if time.Now().After(deadline) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("process %d still runs %v after up was killed", pid, limit)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func checkReady(t *testing.T, addr string) {
	t.Helper()
	resp, err := testHTTP.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/readyz %d: %s", resp.StatusCode, body)
	}
	for _, dep := range []string{`"catalog"`, `"blobstore"`, `"temporal"`} {
		if !strings.Contains(string(body), dep) {
			t.Fatalf("/readyz does not report %s: %s", dep, body)
		}
	}
	resp, err = testHTTP.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "go_goroutines") {
		t.Fatalf("/metrics is not Prometheus text: %.200s", body)
	}
}

// checkCatalogRoutes shows the catalog API is routed behind bearer auth:
// 401 without a token, and with alice's token a 404 for an album the
// empty catalog does not hold.
func checkCatalogRoutes(t *testing.T, addr, token string) {
	t.Helper()
	for _, tc := range []struct {
		auth string
		want int
	}{{"", http.StatusUnauthorized}, {"Bearer " + strings.TrimSpace(token), http.StatusNotFound}} {
		req, err := http.NewRequest("GET", "http://"+addr+"/api/v1/albums/no-such-album", nil)
		if err != nil {
			t.Fatal(err)
		}
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := testHTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || !strings.Contains(string(body), `"error"`) {
			t.Fatalf("GET /api/v1/albums/no-such-album (auth %t): %d %s, want %d", tc.auth != "", resp.StatusCode, body, tc.want)
		}
	}
}
