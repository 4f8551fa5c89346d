package workflows

import (
	music "github.com/openmusic/music"
)

// Activities holds what the activities need. cmd/musicctl builds one from
// the config and registers it with the worker.
type Activities struct {
	Blobs music.BlobStore
	// Catalog and Batches serve the royalty and rankings batches.
	Catalog music.Catalog
	Batches BatchStore
	// CountWorkers is each counting activity's parallelism (GOMAXPROCS if 0).
	CountWorkers int
}
