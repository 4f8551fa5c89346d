package main

import (
	"context"
	"fmt"

	"github.com/openmusic/music/temporalmetrics"
	"github.com/openmusic/music/workflows"
	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
)

func newWorkerCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run the Temporal workers against an external Temporal cluster",
		Long: `worker runs the platform's workflows and activities as a separate process,
for a scaled deployment: run as many as you need against one Temporal
cluster (--temporal-address), with the catalog (--db postgres://…) and blob
store (--blob s3://…) that every process shares. With --nats-url it also
runs the lake writer; one worker at a time holds its lease. With
--metrics-listen it serves its Prometheus metrics (docs/metrics.md). When
it polls it prints one line:

  ready worker temporal=ADDR queue=QUEUE metrics=ADDR|none`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWorker(cmd.Context(), cfg, cmd)
		},
	}
	cfg.BindLakeWriter(cmd.Flags())
	cfg.BindEventStream(cmd.Flags())
	cfg.BindPodcasts(cmd.Flags())
	cfg.BindMetricsListen(cmd.Flags())
	return cmd
}

func runWorker(ctx context.Context, cfg *Config, cmd *cobra.Command) error {
	st, err := openStack(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := instrumentWorkers(cfg, st); err != nil {
		return err
	}
	// With Elasticsearch every worker indexes what it publishes; a
	// Bleve index belongs to the one serve process (see reindex).
	if cfg.ESURL != "" {
		if err := st.openSearch(ctx, cfg); err != nil {
			return err
		}
	}
	metricsAddr, err := serveMetrics(ctx, cfg, st)
	if err != nil {
		return err
	}
	tc, addr, err := dialClusterTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	w, err := startWorker(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	defer w.Stop()
	if err := st.openEventLog(ctx, cfg, false); err != nil {
		return err
	}
	defer st.startLakeWriter(ctx, cfg)()
	fmt.Fprintf(cmd.OutOrStdout(), "ready worker temporal=%s queue=%s metrics=%s\n", addr, workflows.TaskQueue, metricsAddr)
	<-ctx.Done()
	return nil
}

// startWorker registers every workflow and activity, starts polling and
// makes sure the batch schedules exist.
func startWorker(ctx context.Context, cfg *Config, st *stack, tc client.Client) (worker.Worker, error) {
	if err := st.openWorkerState(ctx, cfg); err != nil {
		return nil, err
	}
	w := worker.New(tc, workflows.TaskQueue, worker.Options{
		Interceptors: []interceptor.WorkerInterceptor{&temporalmetrics.Interceptor{}},
	})
	acts := st.Activities()
	acts.Web = feedFetcher(cfg)
	acts.Feeds = workflows.PodcastPoller{Client: tc, Every: cfg.Podcast.Poll}
	workflows.Register(w, acts)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("temporal worker: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	if err := workflows.EnsureSchedules(ctx, tc); err != nil {
		w.Stop()
		return nil, err
	}
	return w, nil
}
