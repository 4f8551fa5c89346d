package workflows

import (
	"context"
	"sync"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
)

// sharedModel keeps the model a batch's lists activities share, so that a
// worker running several parts loads it once: each part holding its own
// copy (about 1 GB at 100,000 tracks) took a 1 M-user batch out of memory
// (docs/benchmarks/reco.md). It holds one model, the last asked for.
type sharedModel struct {
	mu    sync.Mutex
	key   string
	m     *reco.Model
	index map[string]int32 // item index by track ID
}

// get returns the model at key and its item index, loading it when it is
// not the one held. Concurrent callers wait for one load.
func (s *sharedModel) get(ctx context.Context, blobs music.BlobStore, key string) (*reco.Model, map[string]int32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m != nil && s.key == key {
		return s.m, s.index, nil
	}
	s.key, s.m, s.index = "", nil, nil // let the old model go before the new one loads
	m, err := reco.LoadModel(ctx, blobs, key)
	if err != nil {
		return nil, nil, err
	}
	index := make(map[string]int32, len(m.Items))
	for i, it := range m.Items {
		index[it.ID] = int32(i)
	}
	s.key, s.m, s.index = key, m, index
	return m, index, nil
}
