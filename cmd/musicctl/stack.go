package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobstore"
	"github.com/openmusic/music/natslog"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/workflows"
)

// stack is the set of stores every long-running command shares, opened
// from one Config. Close releases them in reverse order.
type stack struct {
	Catalog *sqlstore.Store
	Blobs   music.BlobStore
	Search  music.SearchIndex
	Log     *natslog.Log // playback events; nil when not configured
	closers []func() error
}

// openStack opens the catalog database and the blob store. Each failure
// is one line that names the flag (or MUSIC_* variable) to fix.
func openStack(ctx context.Context, cfg *Config) (*stack, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: %v", cfg.Source("data-dir"), cfg.DataDir, errors.Unwrap(err))
	}
	st := &stack{}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return nil, err
	}
	st.Catalog = cat
	st.closers = append(st.closers, cat.Close)
	if st.Blobs, err = openBlobs(ctx, cfg); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openSearch opens the search index for the processes that serve search.
// Workers do not: an embedded Bleve index admits one process at a time.
func (st *stack) openSearch(ctx context.Context, cfg *Config) error {
	idx, err := openSearchIndex(ctx, cfg)
	if err != nil {
		return fmt.Errorf("search index: %v", err)
	}
	st.Search = idx
	st.closers = append(st.closers, idx.Close)
	return nil
}

// openCatalog opens --db, defaulting to SQLite under the data dir.
func openCatalog(ctx context.Context, cfg *Config) (*sqlstore.Store, error) {
	dsn := cfg.DB
	if dsn == "" {
		dsn = cfg.DataPath("catalog.db")
	}
	s, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", cfg.Source("db"), err)
	}
	return s, nil
}

// openBlobs opens --blob (see package blobstore for the URL forms),
// defaulting to a directory under the data dir. S3 credentials come from
// MUSIC_S3_ACCESS_KEY/MUSIC_S3_SECRET_KEY or the AWS SDK's default chain.
func openBlobs(ctx context.Context, cfg *Config) (music.BlobStore, error) {
	raw := cfg.Blob
	if raw == "" {
		raw = "file://" + cfg.DataPath("blobs")
	}
	s, err := blobstore.Open(ctx, raw, blobstore.Credentials{
		AccessKey: os.Getenv("MUSIC_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("MUSIC_S3_SECRET_KEY"),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", cfg.Source("blob"), err)
	}
	return s, nil
}

// Activities builds the activity struct the workers register.
func (st *stack) Activities() *workflows.Activities {
	return &workflows.Activities{Blobs: st.Blobs, Catalog: st.Catalog, Batches: st.Catalog}
}

// Close releases the stores.
func (st *stack) Close() {
	for i := len(st.closers) - 1; i >= 0; i-- {
		_ = st.closers[i]()
	}
}
