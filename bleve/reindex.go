package bleve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	music "github.com/openmusic/music"
)

// reindexBatch is how many source documents go into one Bleve batch. Each
// batch becomes a segment with its own term dictionaries, later merged:
// on 230,000 synthetic documents 10,000 built at 4,700-4,900 docs/s,
// 2,000 at 2,200-2,600 and 25,000 at 4,000 with 1.8x the memory
// (docs/benchmarks/search.md).
const reindexBatch = 10000

// Reindex builds a fresh index in a new directory from src while the
// current one keeps serving, then swaps: CURRENT is renamed into place and
// the serving pointer changes under a short exclusive lock. Documents
// written through Index or Delete during the build go to both indexes and
// win over the (older) source copy. On error the old index stays.
func (x *Index) Reindex(ctx context.Context, src music.DocSource) (music.ReindexStats, error) {
	x.reindexMu.Lock()
	defer x.reindexMu.Unlock()
	start := time.Now()
	var st music.ReindexStats

	next, err := createGeneration(x.dir, x.newName())
	if err != nil {
		return st, err
	}
	x.bmu.Lock()
	x.building, x.live = next, map[string]struct{}{}
	x.bmu.Unlock()
	abandon := func(err error) (music.ReindexStats, error) {
		x.bmu.Lock()
		x.building, x.live = nil, nil
		x.bmu.Unlock()
		next.close()
		os.RemoveAll(filepath.Join(x.dir, next.name))
		return st, err
	}

	type pendingDoc struct {
		typ music.DocType
		id  string
		doc indexDoc
	}
	var pending []pendingDoc
	b := next.newBatches()
	flush := func() error {
		x.bmu.Lock()
		defer x.bmu.Unlock()
		b.reset()
		for _, p := range pending {
			if _, ok := x.live[p.id]; ok {
				st.Skipped++ // a live write already replaced it
				continue
			}
			if err := b.add(p.typ, p.id, p.doc); err != nil {
				return fmt.Errorf("bleve reindex: %w", err)
			}
		}
		pending = pending[:0]
		return next.apply(b)
	}
	err = src(func(d music.SearchDoc) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id, doc, err := toIndexDoc(d)
		if err != nil {
			return err
		}
		pending = append(pending, pendingDoc{d.Type, id, doc})
		st.Docs++
		if len(pending) >= reindexBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = next.compact(ctx)
	}
	if err != nil {
		return abandon(fmt.Errorf("bleve reindex: %w", err))
	}
	st.Docs -= st.Skipped

	old, err := x.swap(next)
	if err != nil {
		return abandon(err)
	}
	old.close()
	os.RemoveAll(filepath.Join(x.dir, old.name))
	st.Duration = time.Since(start)
	st.Index = next.name
	return st, nil
}

// swap makes next the serving generation. Readers and writers in flight
// finish on the old one first; new ones see next.
func (x *Index) swap(next *generation) (*generation, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.cur == nil {
		return nil, music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	if err := x.writeCurrent(next.name); err != nil {
		return nil, err
	}
	old := x.cur
	x.cur = next
	x.bmu.Lock()
	x.building, x.live = nil, nil
	x.bmu.Unlock()
	return old, nil
}
