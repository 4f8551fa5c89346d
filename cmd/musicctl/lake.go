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
	cmd.AddCommand(newLakeCompactCmd(), newLakeSynthCmd())
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
