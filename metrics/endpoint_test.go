package metrics

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestServeAnswersMetricsAndHealth serves a registry on a real listener
// and reads a counter it moved, then stops with the context.
func TestServeAnswersMetricsAndHealth(t *testing.T) {
	reg := NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "music_test_events_total", Help: "test"})
	reg.MustRegister(c)
	c.Add(3)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, reg) }()
	hc := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) string {
		resp, err := hc.Get("http://" + ln.Addr().String() + path)
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
	if body := get("/metrics"); !strings.Contains(body, "music_test_events_total 3") || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics lacks the counter or the Go collector:\n%s", body)
	}
	if body := get("/healthz"); !strings.Contains(body, `"ok"`) {
		t.Fatalf("/healthz: %s", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return 10 s after its context ended")
	}
}
