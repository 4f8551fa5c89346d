package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/openmusic/music/workflows"
	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
)

func newSmokeCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "smoke",
		Short: "Run the Smoke workflow to prove Temporal, a worker and the blob store work",
		Long: `smoke starts the Smoke workflow on a running platform (musicctl up, or
a Temporal cluster with workers) and waits for it: one activity writes a
blob and reads it back verified.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSmoke(cmd, cfg)
		},
	}
	cfg.BindJSON(cmd.Flags())
	return cmd
}

// runSmoke runs the Smoke workflow, waits for it and prints what it proved.
func runSmoke(cmd *cobra.Command, cfg *Config) error {
	ctx := cmd.Context()
	tc, _, err := dialClusterTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	id := "smoke-" + time.Now().UTC().Format("20060102T150405.000000000")
	start := time.Now()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue, WorkflowExecutionTimeout: time.Minute,
	}, workflows.Smoke, workflows.SmokeInput{Name: id})
	if err != nil {
		return fmt.Errorf("start smoke workflow: %w", err)
	}
	var res workflows.SmokeResult
	if err := run.Get(ctx, &res); err != nil {
		return fmt.Errorf("smoke workflow %s: %w", id, err)
	}
	elapsed := time.Since(start)
	out := cmd.OutOrStdout()
	if cfg.JSON {
		return json.NewEncoder(out).Encode(map[string]any{
			"workflow_id": id, "run_id": run.GetRunID(), "key": res.Key,
			"sha256": res.SHA256, "bytes": res.Bytes, "elapsed_ms": elapsed.Milliseconds(),
		})
	}
	fmt.Fprintf(out, "smoke ok workflow=%s blob=%s sha256=%s in %v\n", id, res.Key, res.SHA256, elapsed.Round(time.Millisecond))
	return nil
}
