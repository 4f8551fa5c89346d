package fingerprint

import (
	"context"
	"fmt"
	"github.com/openmusic/music/internal/durable"
	"os"
)

// Dead is the number of removed or replaced entries whose records and
// postings Compact would reclaim.
func (ix *Index) Dead() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.dead
}

// Compact rewrites the index file with only the live tracks and rebuilds
// the postings. The new file replaces the old one atomically (write,
// fsync, rename, fsync of the directory), so a crash leaves one or the
// other. Queries wait while it runs.
func (ix *Index) Compact(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	tmpPath := indexPath(ix.dir) + ".compact"
	tmp, err := os.OpenFile(tmpPath, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("fingerprint index: compact: %w", err)
	}
	fresh := &Index{dir: ix.dir, f: tmp, slotOf: map[string]uint32{}, hashOf: map[[32]byte]uint32{}}
	var entries []uint64
	for _, t := range ix.tracks {
		if !t.alive {
			continue
		}
		if err := ctx.Err(); err != nil {
			tmp.Close()
			os.Remove(tmpPath)
			return err
		}
		items, err := ix.items(t)
		if err != nil {
			tmp.Close()
			os.Remove(tmpPath)
			return err
		}
		rec, at := encodeRecord(opAdd, t.id, t.hash, items)
		if _, err := tmp.WriteAt(rec, fresh.size); err != nil {
			tmp.Close()
			os.Remove(tmpPath)
			return fmt.Errorf("fingerprint index: compact: %w", err)
		}
		entries = fresh.apply(logRecord{op: opAdd, id: t.id, hash: t.hash, items: items, itemsAt: fresh.size + int64(at)}, entries)
		fresh.size += int64(len(rec))
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmpPath)
		return fmt.Errorf("fingerprint index: compact: %w", err)
	}
	if err := os.Rename(tmpPath, indexPath(ix.dir)); err != nil {
		tmp.Close()
		os.Remove(tmpPath)
		return fmt.Errorf("fingerprint index: compact: %w", err)
	}
	if err := durable.SyncDir(ix.dir); err != nil {
		return fmt.Errorf("fingerprint index: compact: %w", err)
	}
	ix.f.Close()
	fresh.post.bulk(entries)
	ix.f, ix.size, ix.tracks, ix.slotOf, ix.hashOf, ix.post, ix.dead =
		fresh.f, fresh.size, fresh.tracks, fresh.slotOf, fresh.hashOf, fresh.post, 0
	return nil
}
