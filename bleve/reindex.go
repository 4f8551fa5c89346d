package bleve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"

	music "github.com/openmusic/music"
)

// reindexBatch is how many source documents go into one Bleve batch.
const reindexBatch = 2000

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

	name := x.newName()
	next, err := x.create(name)
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
		next.Close()
		os.RemoveAll(filepath.Join(x.dir, name))
		return st, err
	}

	type pendingDoc struct {
		id  string
		doc indexDoc
	}
	var pending []pendingDoc
	flush := func() error {
		x.bmu.Lock()
		defer x.bmu.Unlock()
		batch := next.NewBatch()
		for _, p := range pending {
			if _, ok := x.live[p.id]; ok {
				st.Skipped++ // a live write already replaced it
				continue
			}
			if err := batch.Index(p.id, p.doc); err != nil {
				return fmt.Errorf("bleve reindex %s: %w", p.id, err)
			}
		}
		pending = pending[:0]
		return next.Batch(batch)
	}
	err = src(func(d music.SearchDoc) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id, doc, err := toIndexDoc(d)
		if err != nil {
			return err
		}
		pending = append(pending, pendingDoc{id, doc})
		st.Docs++
		if len(pending) >= reindexBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return abandon(fmt.Errorf("bleve reindex: %w", err))
	}
	st.Docs -= st.Skipped

	old, oldName, err := x.swap(next, name)
	if err != nil {
		return abandon(err)
	}
	old.Close()
	os.RemoveAll(filepath.Join(x.dir, oldName))
	st.Duration = time.Since(start)
	st.Index = name
	return st, nil
}

// swap makes next the serving index. Readers and writers in flight finish
// on the old one first; new ones see next.
func (x *Index) swap(next bleve.Index, name string) (bleve.Index, string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.cur == nil {
		return nil, "", music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	if err := x.writeCurrent(name); err != nil {
		return nil, "", err
	}
	old, oldName := x.cur, x.name
	x.cur, x.name = next, name
	x.bmu.Lock()
	x.building, x.live = nil, nil
	x.bmu.Unlock()
	return old, oldName, nil
}
