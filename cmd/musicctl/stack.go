package main

import (
	"context"
	"fmt"
	"os"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/blobstore"
	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/friends"
	"github.com/openmusic/music/metrics"
	"github.com/openmusic/music/natslog"
	"github.com/openmusic/music/redis"
	"github.com/openmusic/music/search"
	"github.com/openmusic/music/sqlstore"
	"github.com/openmusic/music/workflows"
	"github.com/prometheus/client_golang/prometheus"
)

// stack is the set of stores every long-running command shares, opened
// from one Config. Close releases them in reverse order.
type stack struct {
	Catalog      *sqlstore.Store
	Blobs        music.BlobStore
	Search       music.SearchIndex
	Log          *natslog.Log       // playback events; nil when not configured
	Fingerprints *fingerprint.Index // opened by openWorkerState
	// RecoCache holds the recommendation lists: Redis with --redis-url,
	// else the catalog DB.
	RecoCache music.RecoCache
	Players   connect.PlayerStore // Connect devices and player state
	Redis     *redis.Client       // --redis-url, shared by every part; nil without it
	Friends   *friends.Feed       // friend activity, fed from Log; nil without a log
	// Metrics is the process's Prometheus registry: /metrics of serve and
	// up, the worker's --metrics-listen.
	Metrics *prometheus.Registry
	ingest  *workflows.IngestMetrics // set by instrumentWorkers
	scratch string
	closers []func() error
}

// openStack opens the catalog database and the blob store. Each failure
// is one line that names the flag (or MUSIC_* variable) to fix.
func openStack(ctx context.Context, cfg *Config) (*stack, error) {
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, err
	}
	st := &stack{Metrics: metrics.NewRegistry()}
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
	if err := st.openRecoCache(ctx, cfg); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openRecoCache connects to --redis-url (st.Redis, which the rate limits
// and the player store share), or uses the catalog DB.
func (st *stack) openRecoCache(ctx context.Context, cfg *Config) error {
	if cfg.RedisURL == "" {
		st.RecoCache = st.Catalog
		return nil
	}
	c, err := redis.Open(ctx, cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("%s: %v", cfg.Source("redis-url"), err)
	}
	st.Redis = c
	st.closers = append(st.closers, c.Close)
	st.RecoCache = &redis.RecoCache{Client: c}
	return nil
}

// openServingStack opens what the processes that answer HTTP use (serve
// and up): the stores, the search index and the playback event log, with
// NATS embedded when embedNATS and no --nats-url is given.
func openServingStack(ctx context.Context, cfg *Config, embedNATS bool) (*stack, error) {
	st, err := openStack(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := st.openSearch(ctx, cfg); err != nil {
		st.Close()
		return nil, err
	}
	if err := st.openEventLog(ctx, cfg, embedNATS); err != nil {
		st.Close()
		return nil, err
	}
	if err := st.openPlayers(ctx, cfg); err != nil {
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
	if cfg.ESURL == "" {
		bleve.TuneGC()
	}
	st.Search = idx
	st.closers = append(st.closers, idx.Close)
	return nil
}

// openCatalog opens --db, defaulting to SQLite under the data dir.
func openCatalog(ctx context.Context, cfg *Config) (*sqlstore.Store, error) {
	dsn := cfg.DB
	if dsn == "" {
		if err := cfg.EnsureDataDir(); err != nil {
			return nil, err
		}
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
// MUSIC_S3_ACCESS_KEY/MUSIC_S3_SECRET_KEY (or files named by their _FILE
// variants) or the AWS SDK's default chain.
func openBlobs(ctx context.Context, cfg *Config) (music.BlobStore, error) {
	raw := cfg.Blob
	if raw == "" {
		if err := cfg.EnsureDataDir(); err != nil {
			return nil, err
		}
		raw = "file://" + cfg.DataPath("blobs")
	}
	creds, err := s3Credentials()
	if err != nil {
		return nil, err
	}
	s, err := blobstore.Open(ctx, raw, creds)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", cfg.Source("blob"), err)
	}
	return s, nil
}

// openWorkerState opens what only workers need: the fingerprint dedup
// index under the data dir, brought in line with the catalog, and an empty
// scratch directory (a killed worker may have left files there).
func (st *stack) openWorkerState(ctx context.Context, cfg *Config) error {
	ix, err := fingerprint.OpenIndex(ctx, cfg.DataPath("fingerprints"))
	if err != nil {
		return fmt.Errorf("fingerprint index: %v", err)
	}
	st.Fingerprints = ix
	st.closers = append(st.closers, ix.Close)
	_, bad, err := workflows.SyncFingerprints(ctx, st.Catalog, ix)
	if err != nil {
		return fmt.Errorf("fingerprint index: sync from catalog: %v", err)
	}
	if len(bad) > 0 {
		cfg.Logger.Warn("fingerprint index: catalog fingerprints that do not decode are not used for dedup", "count", len(bad), "first_track", bad[0])
	}
	st.scratch = cfg.DataPath("scratch")
	if err := os.RemoveAll(st.scratch); err != nil {
		return fmt.Errorf("scratch dir: %v", err)
	}
	return nil
}

// Activities builds the activity struct the workers register.
func (st *stack) Activities() *workflows.Activities {
	a := &workflows.Activities{
		Blobs:        st.Blobs,
		Catalog:      st.Catalog,
		Users:        st.Catalog,
		Owners:       st.Catalog,
		Reviews:      st.Catalog,
		Fingerprints: st.Fingerprints,
		Scratch:      st.scratch,
		CPU:          workflows.NewCPUSlots(0),
		Batches:      st.Catalog,
		Features:     st.Catalog,
		Popularity:   st.Catalog,
		Reco:         st.Catalog,
		Cache:        st.RecoCache,
		Podcasts:     st.Catalog,
		Metrics:      st.ingest,
	}
	if st.Search != nil {
		a.Search = releaseIndexer{cat: st.Catalog, pods: st.Catalog, idx: st.Search}
	}
	return a
}

// releaseIndexer indexes published releases into this process's search
// index. Only processes that hold the index have one (up, serve, or a
// worker given --es-url); elsewhere publishing skips search and
// `musicctl reindex` catches up.
type releaseIndexer struct {
	cat  music.Catalog
	pods music.PodcastStore
	idx  music.SearchIndex
}

func (r releaseIndexer) IndexRelease(ctx context.Context, releaseID string) error {
	return search.IndexRelease(ctx, r.cat, r.idx, releaseID)
}

// IndexEpisode makes releaseIndexer a workflows.EpisodeIndexer too.
func (r releaseIndexer) IndexEpisode(ctx context.Context, episodeID string) error {
	return search.IndexEpisode(ctx, r.pods, r.idx, episodeID)
}

// IndexShow makes releaseIndexer a workflows.ShowIndexer too.
func (r releaseIndexer) IndexShow(ctx context.Context, showID string) error {
	return search.IndexShow(ctx, r.pods, r.idx, showID)
}

// Close releases the stores.
func (st *stack) Close() {
	for i := len(st.closers) - 1; i >= 0; i-- {
		_ = st.closers[i]()
	}
}
