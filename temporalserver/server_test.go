package temporalserver

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

func double(ctx workflow.Context, n int) (int, error) { return 2 * n, nil }

func runDouble(t *testing.T, addr string, id string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: addr, Logger: sdkLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, "test", worker.Options{})
	w.RegisterWorkflow(double)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: "test"}, double, 21)
	if err != nil {
		t.Fatal(err)
	}
	var got int
	if err := run.Get(ctx, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestRestartKeepsHistory runs a workflow, stops the server, starts a new
// one on the same directory and finds the finished workflow there.
func TestRestartKeepsHistory(t *testing.T) {
	dir := t.TempDir()
	// Bounds the restart's dial and the wait for the old result.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	s, err := Start(ctx, Config{Dir: dir, FrontendAddr: "127.0.0.1:0", UIAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %v at %s, ui %s", time.Since(start), s.FrontendAddr(), s.UIAddr())
	if got := runDouble(t, s.FrontendAddr(), "wf-1"); got != 42 {
		t.Fatalf("double(21) = %d", got)
	}
	s.Stop()

	s2, err := Start(ctx, Config{Dir: dir, FrontendAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Stop()
	c, err := client.DialContext(ctx, client.Options{HostPort: s2.FrontendAddr(), Logger: sdkLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var got int
	if err := c.GetWorkflow(ctx, "wf-1", "").Get(ctx, &got); err != nil || got != 42 {
		t.Fatalf("after restart: result %d, err %v", got, err)
	}
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = Start(context.Background(), Config{Dir: t.TempDir(), FrontendAddr: ln.Addr().String()})
	if err == nil || !strings.Contains(err.Error(), "--temporal-listen") || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("want a clear port-in-use error, got %v", err)
	}
}
