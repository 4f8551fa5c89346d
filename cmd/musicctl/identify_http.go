package main

import (
	"context"
	"log/slog"
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

// openServeFingerprints gives a serve process its own fingerprint index
// for identify, loaded from the catalog at start and refreshed every
// serveFingerprintRefresh.
func (st *stack) openServeFingerprints(ctx context.Context, log *slog.Logger) error {
	ix, closeIx, err := catalogIndex(ctx, st.Catalog)
	if err != nil {
		return err
	}
	st.Fingerprints = ix
	st.closers = append(st.closers, closeIx)
	go func() {
		t := time.NewTicker(serveFingerprintRefresh)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, _, err := workflows.SyncFingerprints(ctx, st.Catalog, ix); err != nil && ctx.Err() == nil {
					log.Warn("identify index refresh failed; the previous index keeps answering", "err", err)
				}
			}
		}
	}()
	return nil
}
