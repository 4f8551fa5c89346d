package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/royalty"
	"github.com/openmusic/music/workflows"
	"github.com/spf13/cobra"
)

// runRoyaltyWorkflow starts RoyaltyMonth for month on the cluster and
// waits for it. The workflow ID is the month's (workflows.RoyaltyMonthID),
// so a run of the same month that is going, by hand or by the schedule,
// is followed instead. A contracts file is uploaded to the blob store
// under its content hash first.
func runRoyaltyWorkflow(ctx context.Context, cfg *Config, w io.Writer, month, contracts string, force bool, count royalty.CountOptions) error {
	in := workflows.RoyaltyMonthInput{Month: month, Buckets: count.Buckets, Force: force}
	if contracts != "" {
		key, err := uploadContracts(ctx, cfg, contracts)
		if err != nil {
			return err
		}
		in.ContractsKey = key
	}
	tc, addr, err := dialClusterTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	run, err := workflows.StartRoyaltyMonth(ctx, tc, in)
	if err != nil {
		return fmt.Errorf("start RoyaltyMonth on %s: %w", addr, err)
	}
	fmt.Fprintf(w, "workflow %s run %s on %s\n", run.GetID(), run.GetRunID(), addr)
	var res workflows.RoyaltyMonthResult
	if err := run.Get(ctx, &res); err != nil {
		return fmt.Errorf("RoyaltyMonth %s: %w", month, err)
	}
	st := res.Stats
	fmt.Fprintf(w, "month %s: plays %d, short %d, streams %d, removed: hourly_volume %d, track_loop %d, fresh_account %d; counted %d\n",
		res.Month, st.Plays, st.Short, st.Streams, st.HourlyVolume, st.TrackLoop, st.FreshAccount, st.Counted)
	fmt.Fprintf(w, "ledger %d lines in the catalog DB; wrote %d objects under %s\n", res.LedgerLines, len(res.Keys), royalty.OutputPrefix(res.Month))
	return nil
}

// uploadContracts stores a checked contracts CSV under its content hash.
func uploadContracts(ctx context.Context, cfg *Config, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	key := "royalty/contracts/" + hex.EncodeToString(sum[:8]) + ".csv"
	return key, putContracts(ctx, cfg, path, data, key)
}

// putContracts checks a contracts CSV and stores it at key.
func putContracts(ctx context.Context, cfg *Config, path string, data []byte, key string) error {
	if _, err := royalty.ReadContracts(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return err
	}
	if _, err := blobs.Put(ctx, key, bytes.NewReader(data), music.PutOptions{ContentType: "text/csv"}); err != nil {
		return fmt.Errorf("upload %s: %w", path, err)
	}
	return nil
}

// newRoyaltyContractsCmd builds `royalty contracts set FILE`.
func newRoyaltyContractsCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "contracts", Short: "Manage the contracts the monthly schedule settles with"}
	cmd.AddCommand(&cobra.Command{
		Use:   "set FILE",
		Short: "Check a contracts CSV (track_id,holder_id,role,ppm) and store it where the monthly run reads it",
		Long: `The monthly RoyaltyMonth schedule reads its contracts from the blob store
at ` + workflows.DefaultContractsKey + ` and fails when there is none. To settle with no
contracts on purpose, set a file holding only the header line.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			if err := putContracts(cmd.Context(), cfg, args[0], data, workflows.DefaultContractsKey); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "stored %s as %s\n", args[0], workflows.DefaultContractsKey)
			return nil
		},
	})
	return cmd
}

// openPools is the catalog DB, or with dir the offline blob pools there.
func openPools(ctx context.Context, cfg *Config, dir string) (royalty.PoolStore, func(), error) {
	if dir != "" {
		out, err := filestore.Open(ctx, dir)
		return royalty.BlobPools{Store: out}, func() {}, err
	}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return cat, func() { cat.Close() }, nil
}

// keepSettledLedger refuses an offline run over a month whose outputs
// exist unless force, and then keeps the old ledger.csv under versions/.
func keepSettledLedger(ctx context.Context, out music.BlobStore, month string, force bool) error {
	key := royalty.OutputPrefix(month) + "ledger.csv"
	rc, _, err := out.Get(ctx, key)
	if music.ErrorCode(err) == music.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	if !force {
		return music.Errorf(music.ECONFLICT, "royalty %s is already settled (%s exists); settling it again needs --force, which keeps that ledger under %sversions/", month, key, royalty.OutputPrefix(month))
	}
	n := 0
	if err := out.List(ctx, royalty.OutputPrefix(month)+"versions/", func(music.BlobInfo) error { n++; return nil }); err != nil {
		return err
	}
	kept := fmt.Sprintf("%sversions/ledger-%d.csv", royalty.OutputPrefix(month), n+1)
	if _, err := out.Put(ctx, kept, rc, music.PutOptions{ContentType: "text/csv"}); err != nil {
		return fmt.Errorf("keep %s as %s: %w", key, kept, err)
	}
	return nil
}

// offlineUnpaid is the set of label and ops accounts from the catalog DB
// (--db, or the data dir's when it has one), whose plays an offline run
// never pays. Without a catalog it says so: every authenticated play pays.
func offlineUnpaid(ctx context.Context, cfg *Config, warn io.Writer) (map[string]bool, error) {
	if cfg.DB == "" {
		if _, err := os.Stat(cfg.DataPath("catalog.db")); err != nil {
			fmt.Fprintf(warn, "note: no catalog DB (--db, or %s): label and ops accounts cannot be told from listeners; every authenticated play counts\n", cfg.DataPath("catalog.db"))
			return nil, nil
		}
	}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer cat.Close()
	return workflows.UnpaidAccounts(ctx, cat)
}
