package workflows

import (
	"context"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
	"github.com/openmusic/music/webfetch"
)

// Activities holds what the activities work with. Workflows never touch
// these: they pass blob keys and catalog IDs to activities.
type Activities struct {
	Blobs   music.BlobStore
	Catalog music.Catalog
	// Users resolves the delivering label account from its token hash;
	// Owners and Reviews keep who owns what and the tracks held for
	// review. Without them every delivery is refused.
	Users   music.UserStore
	Owners  music.Ownership
	Reviews music.Reviews
	// Fingerprints is the dedup index (its own file under the data dir,
	// rebuilt from the catalog's fingerprints table by SyncFingerprints).
	Fingerprints *fingerprint.Index
	// Search indexes a published release; nil makes indexing a no-op
	// (a worker without a search engine of its own).
	Search ReleaseIndexer
	// Scratch is a local directory for masters being decoded and
	// renditions being encoded; each activity cleans up after itself.
	Scratch string
	// CPU bounds the decode-heavy activities running at once; nil means
	// one slot per core (see cpu.go).
	CPU *CPUSlots
	// Batches serves the royalty and rankings batches.
	Batches BatchStore
	// CountWorkers is each counting activity's parallelism (GOMAXPROCS if 0).
	CountWorkers int
	// Features stores measured audio features (the backfill).
	Features FeatureStore
	// Popularity stores the daily popularity figures.
	Popularity PopularityStore
	// Reco reads the recommendation batch's catalog signals; Cache takes
	// its lists.
	Reco  RecoStore
	Cache music.RecoCache
	// recoModel is the model this worker's lists activities share.
	recoModel sharedModel
	// Podcasts keeps shows and episodes; Web fetches their feeds and
	// enclosures (outsiders' URLs, so never the default HTTP client).
	Podcasts music.PodcastStore
	Web      *webfetch.Client
	// Feeds pauses the schedule of a show whose feed turned locked; nil
	// pauses nothing (the poll of a show taken down stops at once).
	Feeds FeedPauser
	// EnclosureLimit caps an episode's audio file; 0 is MaxEnclosureBytes.
	EnclosureLimit int64
	// Now stamps generated lists and feed polls; nil means time.Now.
	Now func() time.Time
	// Metrics times the ingest stages; nil records nothing.
	Metrics *IngestMetrics
}

// EpisodeIndexer puts a just-published podcast episode and its show into
// search. A ReleaseIndexer that is one too indexes episodes.
type EpisodeIndexer interface {
	IndexEpisode(ctx context.Context, episodeID string) error
}

// ReleaseIndexer puts a release's tracks, album and artists into catalog
// search after it is published (or removes them after a takedown).
type ReleaseIndexer interface {
	IndexRelease(ctx context.Context, releaseID string) error
}
