package reco

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	music "github.com/openmusic/music"
)

// Live is the serving process's current model: Refresh swaps in the
// newest one the batch stored, readers take whichever is current.
type Live struct {
	cur atomic.Pointer[Online]
	mu  sync.Mutex // one refresh at a time
	key string
	// OnLoad, if set, hears of every model Refresh installs: operators
	// (and the 1 M-track benchmark) see its size, search and load time.
	OnLoad func(Loaded)
}

// Loaded describes a model Refresh installed.
type Loaded struct {
	Key    string
	Items  int
	Search string        // as Online.Search describes it
	Took   time.Duration // reading, decoding and indexing it
}

// Get returns the current model, nil before one is loaded.
func (l *Live) Get() *Online { return l.cur.Load() }

// Set installs m (tests, benchmarks).
func (l *Live) Set(m *Model) { l.cur.Store(NewOnline(m)) }

// Refresh loads the newest model if it changed. No model yet is not an
// error.
func (l *Live) Refresh(ctx context.Context, blobs music.BlobStore) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	key, err := LatestModel(ctx, blobs)
	if music.ErrorCode(err) == music.ENOTFOUND || err == nil && key == l.key {
		return nil
	}
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := LoadModel(ctx, blobs, key)
	if err != nil {
		return err
	}
	o := NewOnline(m)
	l.cur.Store(o)
	l.key = key
	if l.OnLoad != nil {
		l.OnLoad(Loaded{Key: key, Items: len(m.Items), Search: o.Search(), Took: time.Since(start)})
	}
	return nil
}

// Run refreshes every interval until ctx ends, reporting failures to
// onErr (the previous model keeps serving).
func (l *Live) Run(ctx context.Context, blobs music.BlobStore, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := l.Refresh(ctx, blobs); err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
