package main

import (
	"context"

	"github.com/openmusic/music/metrics"
	"github.com/openmusic/music/temporalmetrics"
	"github.com/openmusic/music/workflows"
	"github.com/spf13/pflag"
)

// BindMetricsListen declares the worker's metrics endpoint.
func (c *Config) BindMetricsListen(fs *pflag.FlagSet) {
	fs.StringVar(&c.MetricsListen, "metrics-listen", "", "serve /metrics and /healthz at this address, e.g. 127.0.0.1:9464 (port 0 picks one; the ready line names it); empty: no endpoint")
}

// instrumentWorkers makes the Temporal clients dialled next, and the
// activities, record on the stack's registry (worker and up).
func instrumentWorkers(cfg *Config, st *stack) error {
	h, err := temporalmetrics.NewHandler(st.Metrics)
	if err != nil {
		return err
	}
	if st.ingest, err = workflows.NewIngestMetrics(st.Metrics); err != nil {
		return err
	}
	cfg.TemporalMetrics = h
	return nil
}

// serveMetrics serves the stack's registry at --metrics-listen until ctx
// ends; it returns the address bound, or "none".
func serveMetrics(ctx context.Context, cfg *Config, st *stack) (string, error) {
	if cfg.MetricsListen == "" {
		return "none", nil
	}
	ln, err := listen(cfg, "metrics-listen", cfg.MetricsListen)
	if err != nil {
		return "", err
	}
	go func() {
		if err := metrics.Serve(ctx, ln, st.Metrics); err != nil {
			cfg.Logger.Error("metrics endpoint stopped", "err", err)
		}
	}()
	return ln.Addr().String(), nil
}
