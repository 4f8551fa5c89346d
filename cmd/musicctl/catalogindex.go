package main

import (
	"context"
	"fmt"
	"os"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/workflows"
)

// catalogIndex loads the catalog's fingerprints into a private index in a
// temporary directory, for processes that identify but do not own the
// workers' index file (one writer only): serve, and the identify command.
// closeIndex removes it. The load reads every fingerprint, about 5 kB a
// track.
func catalogIndex(ctx context.Context, cat music.Catalog) (ix *fingerprint.Index, closeIndex func() error, err error) {
	dir, err := os.MkdirTemp("", "musicctl-fingerprints-")
	if err != nil {
		return nil, nil, fmt.Errorf("fingerprint index: %v", err)
	}
	ix, err = fingerprint.OpenIndex(ctx, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("fingerprint index: %v", err)
	}
	closeIndex = func() error { ix.Close(); return os.RemoveAll(dir) }
	if _, _, err := workflows.SyncFingerprints(ctx, cat, ix); err != nil {
		closeIndex()
		return nil, nil, fmt.Errorf("fingerprint index: sync from catalog: %v", err)
	}
	return ix, closeIndex, nil
}
