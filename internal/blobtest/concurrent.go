package blobtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/testwait"
)

// suiteWait bounds the wait for a suite's concurrent workers: far more
// than they need on a loaded machine, far less than go test's timeout.
const suiteWait = 5 * time.Minute

// testConcurrentWriters races writers of one key against readers: every
// read must see one writer's whole object or no object, never a mix.
func testConcurrentWriters(t *testing.T, s music.BlobStore) {
	const writers, rounds, readers = 4, 4, 2
	versions := make(map[string][]byte) // digest → body
	bodies := make([][]byte, writers)
	for w := range bodies {
		bodies[w] = bytes.Repeat([]byte{byte('A' + w)}, 64<<10+w*40<<10)
		versions[digest(bodies[w])] = bodies[w]
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	var done atomic.Bool
	errs := make(chan error, writers+readers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				if _, err := s.Put(ctx, "race/key", bytes.NewReader(bodies[w]), music.PutOptions{}); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		}()
	}
	var seen atomic.Int64
	var rwg sync.WaitGroup
	for r := 0; r < readers; r++ {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for !done.Load() {
				if err := readOneVersion(ctx, s, versions); err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				seen.Add(1)
			}
		}()
	}
	testwait.Group(t, &wg, suiteWait, "the concurrent writers")
	done.Store(true)
	testwait.Group(t, &rwg, suiteWait, "the concurrent readers")
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := readOneVersion(ctx, s, versions); err != nil {
		t.Fatalf("final read: %v", err)
	}
	t.Logf("%d reads raced %d writes", seen.Load(), writers*rounds)
}

// readOneVersion reads the key once; a missing object is fine (no writer
// finished yet), anything else must be exactly one known version.
func readOneVersion(ctx context.Context, s music.BlobStore, versions map[string][]byte) error {
	rc, info, err := s.Get(ctx, "race/key")
	if music.ErrorCode(err) == music.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	want, ok := versions[info.SHA256]
	if !ok {
		return fmt.Errorf("get reported unknown digest %s", info.SHA256)
	}
	if !bytes.Equal(got, want) || info.Size != int64(len(want)) {
		return fmt.Errorf("read %d bytes that are not the %d-byte version its digest names", len(got), len(want))
	}
	return nil
}
