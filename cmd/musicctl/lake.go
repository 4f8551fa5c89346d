package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/lake/synth"

	"github.com/openmusic/music/plays"
)

// newLakeCmd groups the playback lake's maintenance commands.
func newLakeCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "lake", Short: "Maintain the Parquet playback lake"}
	cmd.AddCommand(newLakeCompactCmd(), newLakeSynthCmd(), newLakeTastesCmd(cfg))
	return cmd
}

func newLakeCompactCmd() *cobra.Command {
	var dir string
	var opts lake.CompactOptions
	cmd := &cobra.Command{
		Use:   "compact",
		Short: "Merge small part files of closed partitions (idempotent, crash-safe)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := filestore.Open(cmd.Context(), dir)
			if err != nil {
				return err
			}
			res, err := lake.Compact(cmd.Context(), store, lake.Prefix, opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "partitions %d, merged %d files into %d, deleted %d\n", res.Partitions, res.Merged, len(res.Written), res.Deleted)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "lake", "", "lake directory (a file blob store)")
	cmd.Flags().DurationVar(&opts.MinAge, "min-age", 2*time.Hour, "only partitions whose hour ended this long ago")
	cmd.Flags().Int64Var(&opts.TargetBytes, "target-bytes", 256<<20, "merged file size to aim for")
	cmd.MarkFlagRequired("lake")
	return cmd
}

func newLakeSynthCmd() *cobra.Command {
	var dir, month string
	var c synth.Config
	cmd := &cobra.Command{
		Use:   "synth",
		Short: "Write a synthetic month of playback events (benchmarks, demos)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := plays.ParseMonth(month)
			if err != nil {
				return err
			}
			c.Month = m
			store, err := filestore.Open(cmd.Context(), dir)
			if err != nil {
				return err
			}
			t0 := time.Now()
			st, err := synth.Generate(cmd.Context(), store, c)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d events, %d sessions, %d files in %s\n", st.Events, st.Sessions, st.Files, time.Since(t0).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "lake", "", "lake directory (a file blob store)")
	f.StringVar(&month, "month", "", "month to fill, YYYY-MM")
	f.IntVar(&c.Events, "events", 1_000_000, "approximate number of events")
	f.IntVar(&c.Users, "users", 0, "listeners (default events/25)")
	f.IntVar(&c.Tracks, "tracks", 0, "tracks (default events/100)")
	f.Uint64Var(&c.Seed, "seed", 1, "random seed")
	cmd.MarkFlagRequired("lake")
	cmd.MarkFlagRequired("month")
	return cmd
}

func newLakeTastesCmd(cfg *Config) *cobra.Command {
	var tc synth.TasteConfig
	var asOf string
	var recentEvery int
	cmd := &cobra.Command{
		Use:   "tastes",
		Short: "Write a planted-taste world into the data dir's lake and catalog (batch benchmarks)",
		Long: `tastes writes the world of "recommend eval" (lake/synth/tastes.go) where
up and worker read it: its plays, over the --days before --as-of, into the
lake of the blob store, and its tracks into the catalog DB as published
releases, one per artist, every --recent-every-th artist released three
days before --as-of. Its playlists are left out (they need accounts).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLakeTastes(cmd, cfg, tc, asOf, recentEvery)
		},
	}
	f := cmd.Flags()
	f.IntVar(&tc.Users, "users", 1000, "listeners")
	f.IntVar(&tc.Tracks, "tracks", 1000, "tracks")
	f.IntVar(&tc.Genres, "genres", 20, "taste clusters")
	f.IntVar(&tc.PlaysPerUser, "plays", 20, "plays per listener over --days")
	f.IntVar(&tc.Days, "days", 28, "days of plays, ending the day before --as-of")
	f.Uint64Var(&tc.Seed, "seed", 1, "random seed")
	f.StringVar(&asOf, "as-of", "", "day the batch will run for, YYYY-MM-DD (default today, UTC)")
	f.IntVar(&recentEvery, "recent-every", 100, "every Nth artist has a new release (0: none)")
	return cmd
}

// runLakeTastes writes the world into cfg's blob store and catalog DB.
func runLakeTastes(cmd *cobra.Command, cfg *Config, tc synth.TasteConfig, asOf string, recentEvery int) error {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	if asOf != "" {
		var err error
		if day, err = time.Parse(time.DateOnly, asOf); err != nil {
			return fmt.Errorf("--as-of %q: want YYYY-MM-DD", asOf)
		}
	}
	tc.Start = day.AddDate(0, 0, -tc.Days)
	st, err := openStack(cmd.Context(), cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	t0 := time.Now()
	w, err := synth.WriteTasteWorld(cmd.Context(), st.Blobs, st.Catalog, tc, recentEvery, day.AddDate(0, 0, -3).Format(time.DateOnly))
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d users, %d tracks, %d plays from %s in %s\n",
		len(w.Users), len(w.Tracks), w.Events, tc.Start.Format(time.DateOnly), time.Since(t0).Round(time.Millisecond))
	return nil
}
