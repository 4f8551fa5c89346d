package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/workflows"
)

// identifyWith answers POST /api/v1/identify from a fingerprint index.
func identifyWith(ix *fingerprint.Index) serving.IdentifyFunc {
	return func(ctx context.Context, path string) (serving.Identified, error) {
		id, err := ix.IdentifyFile(ctx, path)
		if err != nil {
			return serving.Identified{}, err
		}
		return serving.Identified{TrackID: id.TrackID, OffsetSeconds: id.OffsetSeconds, BitErrorRate: id.BitErrorRate}, nil
	}
}

// serveFingerprintRefresh is how often serve brings its private index in
// line with the catalog; a track published since is not identified until
// then. Each refresh reads every catalog fingerprint (about 5 kB a track).
const serveFingerprintRefresh = 10 * time.Minute

// openServeFingerprints gives a serve process a fingerprint index of its
// own for identify: a worker's index file takes one writer, so serve
// builds a private copy from the catalog in a temporary directory.
func (st *stack) openServeFingerprints(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "musicctl-fingerprints-")
	if err != nil {
		return fmt.Errorf("fingerprint index for identify: %v", err)
	}
	ix, err := fingerprint.OpenIndex(ctx, dir)
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("fingerprint index for identify: %v", err)
	}
	st.Fingerprints = ix
	st.closers = append(st.closers, func() error { ix.Close(); return os.RemoveAll(dir) })
	if _, _, err := workflows.SyncFingerprints(ctx, st.Catalog, ix); err != nil {
		return fmt.Errorf("fingerprint index for identify: sync from catalog: %v", err)
	}
	go func() {
		t := time.NewTicker(serveFingerprintRefresh)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, _, err := workflows.SyncFingerprints(ctx, st.Catalog, ix); err != nil && ctx.Err() == nil {
					fmt.Fprintf(os.Stderr, "warning: identify index refresh: %v\n", err)
				}
			}
		}
	}()
	return nil
}
