package natslog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// LeaseTTL is how long a lake writer that stopped renewing (crashed,
// partitioned) keeps others from taking over.
const LeaseTTL = 15 * time.Second

// lease makes one process at a time the lake writer of a stream: file
// names are sequence ranges, and two writers interleaving deliveries
// would produce overlapping ranges. It is a key in a KV bucket whose
// entries expire after LeaseTTL unless the holder rewrites them.
type lease struct {
	kv  jetstream.KeyValue
	id  string
	mu  sync.Mutex // guards rev: hold renews while release may run
	rev uint64
}

const leaseKey = "holder"

// acquireLease blocks until this process (id) holds the writer lease.
func acquireLease(ctx context.Context, js jetstream.JetStream, stream, id string) (*lease, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      "music_lake_writer_" + stream,
		Description: "which process writes the lake from stream " + stream,
		TTL:         LeaseTTL,
		Storage:     jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("lake writer lease bucket: %w", err)
	}
	for {
		rev, err := kv.Create(ctx, leaseKey, []byte(id))
		if err == nil {
			return &lease{kv: kv, id: id, rev: rev}, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return nil, fmt.Errorf("lake writer lease: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(LeaseTTL / 3):
		}
	}
}

// hold renews the lease until ctx ends, and calls lost (then returns) the
// first time a renewal fails: someone else may hold it from then on.
func (l *lease) hold(ctx context.Context, lost func(error)) {
	t := time.NewTicker(LeaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, LeaseTTL/3)
		l.mu.Lock()
		rev, err := l.kv.Update(rctx, leaseKey, []byte(l.id), l.rev)
		if err == nil {
			l.rev = rev
		}
		l.mu.Unlock()
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				lost(fmt.Errorf("lake writer lease lost: %w", err))
			}
			return
		}
	}
}

// release gives the lease up so a successor need not wait for the TTL.
func (l *lease) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.kv.Delete(ctx, leaseKey, jetstream.LastRevision(l.rev))
}
