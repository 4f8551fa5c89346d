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
)

// runRoyaltyWorkflow starts RoyaltyMonth for month on the cluster and
// waits for it. The workflow ID is the month's (workflows.RoyaltyMonthID),
// so a run of the same month that is going, by hand or by the schedule,
// is followed instead. A contracts file is uploaded to the blob store
// under its content hash first.
func runRoyaltyWorkflow(ctx context.Context, cfg *Config, w io.Writer, month, contracts string, count royalty.CountOptions) error {
	in := workflows.RoyaltyMonthInput{Month: month, Buckets: count.Buckets}
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

func uploadContracts(ctx context.Context, cfg *Config, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if _, err := royalty.ReadContracts(bytes.NewReader(data)); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	key := "royalty/contracts/" + hex.EncodeToString(sum[:8]) + ".csv"
	if _, err := blobs.Put(ctx, key, bytes.NewReader(data), music.PutOptions{ContentType: "text/csv"}); err != nil {
		return "", fmt.Errorf("upload %s: %w", path, err)
	}
	return key, nil
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
