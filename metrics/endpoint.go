package metrics

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/openmusic/music/internal/httprun"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler answers GET /metrics from g and GET /healthz with 200 while
// the process runs.
func Handler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"status":"ok"}`)
	})
	return mux
}

// Serve answers Handler(g) on ln until ctx ends.
func Serve(ctx context.Context, ln net.Listener, g prometheus.Gatherer) error {
	hs := &http.Server{Handler: Handler(g), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	return httprun.Serve(ctx, hs, ln, "metrics endpoint")
}
