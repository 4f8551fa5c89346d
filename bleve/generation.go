package bleve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"

	music "github.com/openmusic/music"
)

// generation is one complete index: a directory idx-<time>/ holding one
// Bleve index per document kind (track/, artist/, album/). Kinds live
// apart so a search of one kind never walks the others' postings: with a
// shared index, the type filter of a track search over a million tracks
// cost more than the text clauses. Reindex builds a new generation and
// swaps it in whole.
type generation struct {
	name  string
	kinds map[music.DocType]bleve.Index
}

// runtimeConfig makes opening an index that another process holds fail
// after a second instead of waiting for the lock forever: Bleve admits one
// process per index. Bleve writes into the map, so each index gets its own.
func runtimeConfig() map[string]any { return map[string]any{"bolt_timeout": "1s"} }

// createGeneration makes an empty generation under dir.
func createGeneration(dir, name string) (*generation, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("bleve mapping: %w", err)
	}
	g := &generation{name: name, kinds: map[music.DocType]bleve.Index{}}
	for _, t := range music.DocTypes {
		idx, err := bleve.NewUsing(filepath.Join(dir, name, string(t)), m, scorch.Name, scorch.Name, runtimeConfig())
		if err != nil {
			g.close()
			return nil, fmt.Errorf("bleve create %s/%s: %w", name, t, err)
		}
		g.kinds[t] = idx
	}
	return g, nil
}

// validName reports whether name (read from CURRENT) can name a
// generation directory.
func validName(name string) bool {
	return strings.HasPrefix(name, "idx-") && !strings.ContainsAny(name, `/\`) && name != ".."
}

// oldLayout reports whether dir/name is one Bleve index for all kinds, as
// before kinds were split.
func oldLayout(dir, name string) bool {
	if !validName(name) {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, name, "index_meta.json"))
	return err == nil
}

// openGeneration opens the generation dir/name.
func openGeneration(dir, name string) (*generation, error) {
	if !validName(name) {
		return nil, fmt.Errorf("bleve open %s: %s names %q, not an index", dir, currentFile, name)
	}
	g := &generation{name: name, kinds: map[music.DocType]bleve.Index{}}
	for _, t := range music.DocTypes {
		idx, err := bleve.OpenUsing(filepath.Join(dir, name, string(t)), runtimeConfig())
		if errors.Is(err, bolterrors.ErrTimeout) {
			g.close()
			return nil, music.Errorf(music.EUNAVAILABLE,
				"search index %s is in use by another process (a running `musicctl up` or `serve`)", dir)
		}
		if err != nil {
			g.close()
			return nil, fmt.Errorf("bleve open %s/%s: %w", name, t, err)
		}
		g.kinds[t] = idx
	}
	return g, nil
}

// close closes every kind's index.
func (g *generation) close() error {
	var errs []error
	for _, idx := range g.kinds {
		errs = append(errs, idx.Close())
	}
	return errors.Join(errs...)
}

// docCount sums the kinds' document counts.
func (g *generation) docCount() (uint64, error) {
	var n uint64
	for _, idx := range g.kinds {
		c, err := idx.DocCount()
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// batches holds one Bleve batch per kind for a write spanning kinds.
type batches map[music.DocType]*bleve.Batch

// newBatches starts an empty batch for each kind of g.
func (g *generation) newBatches() batches {
	b := batches{}
	for t, idx := range g.kinds {
		b[t] = idx.NewBatch()
	}
	return b
}

// add indexes doc under id in its kind's batch.
func (b batches) add(t music.DocType, id string, doc indexDoc) error {
	if err := b[t].Index(id, doc); err != nil {
		return fmt.Errorf("bleve index %s: %w", id, err)
	}
	return nil
}

// apply runs each non-empty batch on its kind's index of g. Every
// generation has the same mapping, so batches made by one apply to another
// (live writes during a Reindex go to both).
func (g *generation) apply(b batches) error {
	for t, batch := range b {
		if batch.Size() == 0 {
			continue
		}
		if err := g.kinds[t].Batch(batch); err != nil {
			return fmt.Errorf("bleve batch %s/%s: %w", g.name, t, err)
		}
	}
	return nil
}

// reset empties every batch for reuse.
func (b batches) reset() {
	for _, batch := range b {
		batch.Reset()
	}
}
