package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/plays"
	"github.com/openmusic/music/royalty"
)

// newRoyaltyCmd groups the royalty batch commands. They work on the
// platform's stores (pools and ledger in the catalog DB, outputs in the
// blob store, the month run as the RoyaltyMonth workflow), or offline on
// directories given with --lake/--out.
func newRoyaltyCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "royalty", Short: "Compute and inspect monthly royalties"}
	pool := &cobra.Command{Use: "pool", Short: "Manage monthly revenue pools"}
	pool.AddCommand(newRoyaltyPoolSetCmd(cfg))
	cmd.AddCommand(newRoyaltyRunCmd(cfg), pool, newRoyaltyReportCmd(cfg), newRoyaltyContractsCmd(cfg))
	return cmd
}

func newRoyaltyRunCmd(cfg *Config) *cobra.Command {
	var lakeDir, outDir, month, contracts string
	var force bool
	var count royalty.CountOptions
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Count a month's streams from the lake and write the ledger and statements",
		Long: `run settles a month. With --temporal-address (or MUSIC_TEMPORAL_ADDRESS)
and no --lake it starts the RoyaltyMonth workflow on the cluster and waits
for it: the lake and outputs are the platform's blob store, pools and the
ledger its catalog DB. With --lake it runs offline in this process on
directories, with pools from --out (see "royalty pool set --out").

A month that is already settled is not settled again unless --force is
given; the catalog DB then keeps the replaced ledger as a version (offline:
the replaced ledger.csv is kept under versions/ beside the outputs).`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRoyaltyRun(cmd, cfg, month, count, offlineRun{lakeDir, outDir, contracts, force})
		},
	}
	f := cmd.Flags()
	f.StringVar(&month, "month", "", "month, YYYY-MM")
	f.StringVar(&lakeDir, "lake", "", "offline: lake directory (a file blob store)")
	f.StringVar(&outDir, "out", "", "offline: output blob store directory (default: the lake's)")
	f.StringVar(&contracts, "contracts", "", "contracts CSV: track_id,holder_id,role,ppm")
	f.BoolVar(&force, "force", false, "settle a month that is already settled (the replaced ledger is kept as a version)")
	f.IntVar(&count.Buckets, "buckets", 256, "user-hash buckets")
	f.IntVar(&count.Workers, "workers", 0, "parallel workers (default GOMAXPROCS)")
	f.IntVar(&count.MemoryBudget, "memory", 1<<30, "bytes of routed reports held before spilling")
	cmd.MarkFlagRequired("month")
	return cmd
}

// runRoyaltyRun settles month on the platform's workflow or, with
// off.lakeDir, offline in this process.
func runRoyaltyRun(cmd *cobra.Command, cfg *Config, month string, count royalty.CountOptions, off offlineRun) error {
	ctx := cmd.Context()
	m, err := plays.ParseMonth(month)
	if err != nil {
		return err
	}
	if off.lakeDir == "" {
		if cfg.TemporalAddress == "" {
			return fmt.Errorf("royalty run: give --temporal-address (run the workflow on the platform) or --lake DIR (offline)")
		}
		return runRoyaltyWorkflow(ctx, cfg, cmd.OutOrStdout(), month, off.contracts, off.force, count)
	}
	return runRoyaltyOffline(ctx, cfg, cmd, royalty.RunConfig{Month: m, Count: count}, off)
}

func newRoyaltyPoolSetCmd(cfg *Config) *cobra.Command {
	var outDir, month, territory, amount string
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Set a territory's revenue pool for a month (decimal amount, exact)",
		Long: `pool set stores the pool in the catalog DB (--db), where the RoyaltyMonth
workflow reads it; with --out DIR it stores it for an offline run instead.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := plays.ParseMicros(amount)
			if err != nil {
				return err
			}
			pools, closePools, err := openPools(cmd.Context(), cfg, outDir)
			if err != nil {
				return err
			}
			defer closePools()
			if err := pools.SetPool(cmd.Context(), month, territory, a); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pool %s %s = %s\n", month, territory, a)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&outDir, "out", "", "offline: royalty blob store directory (default: the catalog DB)")
	f.StringVar(&month, "month", "", "month, YYYY-MM")
	f.StringVar(&territory, "territory", "", "ISO 3166-1 alpha-2 code")
	f.StringVar(&amount, "amount", "", "pool, e.g. 125000.50")
	for _, n := range []string{"month", "territory", "amount"} {
		cmd.MarkFlagRequired(n)
	}
	return cmd
}

func newRoyaltyReportCmd(cfg *Config) *cobra.Command {
	var outDir, month string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Show a computed month: counts, fraud removals and pools",
		RunE: func(cmd *cobra.Command, _ []string) error {
			var out music.BlobStore
			var err error
			if outDir != "" {
				out, err = filestore.Open(cmd.Context(), outDir)
			} else {
				out, err = openBlobs(cmd.Context(), cfg)
			}
			if err != nil {
				return err
			}
			s, err := royalty.ReadSettlement(cmd.Context(), out, month)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if cfg.JSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			printSettlement(w, s)
			return nil
		},
	}
	cmd.Flags().StringVar(&outDir, "out", "", "offline: royalty blob store directory (default: the platform's blob store, --blob)")
	cmd.Flags().StringVar(&month, "month", "", "month, YYYY-MM")
	cfg.BindJSON(cmd.Flags())
	cmd.MarkFlagRequired("month")
	return cmd
}

// printSettlement writes a settled month for people.
func printSettlement(w io.Writer, s royalty.Settlement) {
	st := s.Stats
	fmt.Fprintf(w, "month %s\nrows %d  anonymous %d  reports %d  duplicates %d  plays %d  short %d\n", s.Month, st.Rows, st.Anonymous, st.Reports, st.Duplicates, st.Plays, st.Short)
	fmt.Fprintf(w, "removed  hourly_volume %d  track_loop %d  fresh_account %d\ncounted %d streams by %d listeners\n", st.HourlyVolume, st.TrackLoop, st.FreshAccount, st.Counted, st.Listeners)
	eligible := 0
	for _, t := range s.Tracks {
		if t.Eligible {
			eligible++
		}
	}
	fmt.Fprintf(w, "tracks %d, eligible %d\n", len(s.Tracks), eligible)
	for _, p := range s.Pools {
		fmt.Fprintf(w, "%-12s %s pool %s allocated %s unallocated %s\n", p.Model, p.Territory, plays.Micros(p.Pool), plays.Micros(p.Allocated), plays.Micros(p.Unallocated))
	}
}

// offlineRun is where `royalty run --lake` reads and writes.
type offlineRun struct {
	lakeDir, outDir, contracts string
	force                      bool
}

// runRoyaltyOffline settles rc.Month in this process on directories: the
// lake in lakeDir, pools and outputs in outDir (default: lakeDir).
func runRoyaltyOffline(ctx context.Context, cfg *Config, cmd *cobra.Command, rc royalty.RunConfig, o offlineRun) error {
	lakeStore, err := filestore.Open(ctx, o.lakeDir)
	if err != nil {
		return err
	}
	out, err := filestore.Open(ctx, cmp.Or(o.outDir, o.lakeDir))
	if err != nil {
		return err
	}
	if err := keepSettledLedger(ctx, out, rc.Month.Format("2006-01"), o.force); err != nil {
		return err
	}
	if rc.Count.Unpaid, err = offlineUnpaid(ctx, cfg, cmd.ErrOrStderr()); err != nil {
		return err
	}
	rc.Lake, rc.Out, rc.Pools = lakeStore, out, royalty.BlobPools{Store: out}
	if rc.Contracts, err = readContracts(o.contracts); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	res, err := royalty.Run(ctx, rc)
	if err != nil {
		return err
	}
	st := res.Counts.Stats
	fmt.Fprintf(w, "month %s: %d rows counted in %s (%.2f M rows/s)\n", res.Settlement.Month, st.Rows, res.CountDuration.Round(time.Millisecond), float64(st.Rows)/res.CountDuration.Seconds()/1e6)
	fmt.Fprintf(w, "plays %d, short %d, streams %d, removed: hourly_volume %d, track_loop %d, fresh_account %d; counted %d\n",
		st.Plays, st.Short, st.Streams, st.HourlyVolume, st.TrackLoop, st.FreshAccount, st.Counted)
	if len(res.MissingPrior) > 0 {
		fmt.Fprintf(w, "no totals for %d earlier months (counted as zero for eligibility)\n", len(res.MissingPrior))
	}
	fmt.Fprintf(w, "wrote %d objects under %s\n", len(res.Keys), royalty.OutputPrefix(res.Settlement.Month))
	return nil
}

// readContracts reads a contracts CSV; no path means no contracts.
func readContracts(path string) (map[string][]royalty.Share, error) {
	if path == "" {
		return map[string][]royalty.Share{}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	shares, err := royalty.ReadContracts(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return shares, nil
}
