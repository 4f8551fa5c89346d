package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake/synth"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/workflows"
)

// modelRefresh is how often a serving process looks for a newer model.
const modelRefresh = 30 * time.Second

// liveModel starts keeping the newest trained model in memory for the
// seed-based recommendations route; it stops when the stack closes.
func (st *stack) liveModel() *reco.Live {
	live := &reco.Live{OnLoad: func(l reco.Loaded) {
		fmt.Fprintf(os.Stderr, "recommendation model %s: %d items, %s search, loaded in %s\n", l.Key, l.Items, l.Search, l.Took.Round(time.Millisecond))
	}}
	ctx, cancel := context.WithCancel(context.Background())
	st.closers = append(st.closers, func() error { cancel(); return nil })
	go live.Run(ctx, st.Blobs, modelRefresh, func(err error) {
		fmt.Fprintf(os.Stderr, "warning: recommendation model: %v (the previous one keeps serving)\n", err)
	})
	return live
}

func newRecommendCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "recommend", Short: "Run and evaluate the recommendation batch"}
	cmd.AddCommand(newRecommendRunCmd(cfg), newRecommendEvalCmd(cfg))
	return cmd
}

func newRecommendRunCmd(cfg *Config) *cobra.Command {
	var in workflows.RecommendationsInput
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the Recommendations workflow now and wait for it",
		Long: `run starts the Recommendations workflow on the Temporal cluster at
--temporal-address (an "up" process or a cluster) and waits: signals from
the lake and the catalog DB, the models, then every listener's lists into
the cache (Redis with --redis-url on the workers, else the catalog DB).
The schedules run it on their own: Discover Weekly on Mondays, Release
Radar on Fridays, Daily Mix every day.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRecommendations(cmd, cfg, in)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&in.Lists, "list", nil, "lists to build: discover_weekly, daily_mix, release_radar (default all)")
	f.StringVar(&in.AsOf, "as-of", "", "day the lists are for, YYYY-MM-DD (default today, UTC)")
	f.IntVar(&in.Days, "days", 90, "days of plays to learn from")
	f.IntVar(&in.Parts, "parts", workflows.DefaultParts, "user-hash ranges, one activity each")
	f.IntVar(&in.Factors, "factors", 64, "ALS factors")
	f.IntVar(&in.Iterations, "iterations", 15, "ALS iterations")
	cfg.BindJSON(f)
	return cmd
}

// runRecommendations starts the Recommendations workflow with in and
// prints its result.
func runRecommendations(cmd *cobra.Command, cfg *Config, in workflows.RecommendationsInput) error {
	ctx := cmd.Context()
	for _, l := range in.Lists {
		if !slices.Contains(reco.ListNames, l) {
			return fmt.Errorf("--list %q: want one of %s", l, strings.Join(reco.ListNames, ", "))
		}
	}
	tc, addr, err := dialClusterTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	id := "recommendations-now-" + time.Now().UTC().Format("20060102T150405")
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue}, workflows.Recommendations, in)
	if err != nil {
		return fmt.Errorf("start Recommendations on %s: %w", addr, err)
	}
	if !cfg.JSON {
		fmt.Fprintf(cmd.ErrOrStderr(), "workflow %s run %s on %s\n", run.GetID(), run.GetRunID(), addr)
	}
	var res workflows.RecommendationsResult
	if err := run.Get(ctx, &res); err != nil {
		return fmt.Errorf("the Recommendations workflow: %w", err)
	}
	return printRecommendations(cmd.OutOrStdout(), cfg.JSON, res)
}

func printRecommendations(w io.Writer, asJSON bool, res workflows.RecommendationsResult) error {
	if asJSON {
		return json.NewEncoder(w).Encode(res)
	}
	fmt.Fprintf(w, "as of %s: %d users, %d tracks, %d signals, %d playlists; wrote %d lists\n",
		res.AsOf, res.Users, res.Items, res.Signals, res.Train.Playlists, res.Lists)
	for _, step := range []string{"als", "cooccurrence", "playlist2vec", "content", "popularity"} {
		fmt.Fprintf(w, "  %-13s %7.2f s\n", step, res.Train.Seconds[step])
	}
	return nil
}

func newRecommendEvalCmd(cfg *Config) *cobra.Command {
	var tc synth.TasteConfig
	var lakeDir string
	var testUsers int
	var opts reco.TrainOptions
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate every model on a planted-taste world",
		Long: `eval writes a synthetic world with planted tastes into a lake (listeners
with hidden preferences over genre clusters, plays and playlists drawn from
them; see lake/synth/tastes.go), hides each listener's last 7 days, trains
on the rest and prints recall@10, NDCG@10, catalogue coverage and novelty
for each model and the blend, against popularity.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRecommendEval(cmd, cfg, lakeDir, tc, opts, testUsers)
		},
	}
	f := cmd.Flags()
	f.StringVar(&lakeDir, "lake", "", "write the world's lake here (default: a temporary directory, removed)")
	f.IntVar(&tc.Users, "users", 2000, "listeners")
	f.IntVar(&tc.Tracks, "tracks", 2000, "tracks")
	f.IntVar(&tc.Genres, "genres", 20, "taste clusters")
	f.IntVar(&tc.PlaysPerUser, "plays", 60, "plays per listener over the five weeks")
	f.IntVar(&tc.Playlists, "playlists", 0, "playlists (default users/10)")
	f.Uint64Var(&tc.Seed, "seed", 1, "random seed")
	f.IntVar(&testUsers, "test-users", 5000, "evaluate on at most this many listeners (0: all)")
	f.IntVar(&opts.ALS.Factors, "factors", 64, "ALS factors")
	f.IntVar(&opts.ALS.Iterations, "iterations", 15, "ALS iterations")
	cfg.BindJSON(f)
	return cmd
}

// runRecommendEval writes a planted-taste world from tc into lakeDir (a
// temporary directory when empty), evaluates the models on it and prints
// the report.
func runRecommendEval(cmd *cobra.Command, cfg *Config, lakeDir string, tc synth.TasteConfig, opts reco.TrainOptions, testUsers int) error {
	ctx := cmd.Context()
	if lakeDir == "" {
		dir, err := os.MkdirTemp("", "reco-eval-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		lakeDir = dir
	}
	store, err := filestore.Open(ctx, lakeDir)
	if err != nil {
		return err
	}
	tc.Start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	progress := func(s string) {
		if !cfg.JSON {
			fmt.Fprintf(cmd.ErrOrStderr(), "%s %s\n", time.Now().UTC().Format("15:04:05"), s)
		}
	}
	progress(fmt.Sprintf("writing the world: %d users, %d tracks", tc.Users, tc.Tracks))
	w, err := synth.GenerateTastes(ctx, store, tc)
	if err != nil {
		return err
	}
	opts.Progress = func(step string) { progress("training " + step) }
	rep, err := reco.EvaluateWorld(ctx, store, w, opts, testUsers)
	if err != nil {
		return err
	}
	if cfg.JSON {
		return json.NewEncoder(cmd.OutOrStdout()).Encode(rep)
	}
	return rep.WriteText(cmd.OutOrStdout())
}
