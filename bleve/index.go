// Package bleve is the embedded catalog search engine: a music.SearchIndex
// kept in a directory on local disk with Bleve v2 (scorch, BM25 scoring).
package bleve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// currentFile names the file in the index directory that holds the name of
// the serving index; Reindex replaces it atomically.
const currentFile = "CURRENT"

// Options tune an Index. The zero value is usable.
type Options struct {
	// Now is the clock used for recency ranking; time.Now when nil.
	Now func() time.Time
}

// Index is the Bleve-backed music.SearchIndex. It is safe for concurrent
// use; Reindex may run while searches and writes continue.
type Index struct {
	dir string
	now func() time.Time

	// mu guards cur: searches and writes hold it shared, the swap at the
	// end of Reindex holds it exclusively.
	mu  sync.RWMutex
	cur *generation

	reindexMu sync.Mutex // one Reindex at a time

	// bmu guards the generation being rebuilt and the keys written live
	// into it, which the rebuild must not overwrite with older source data.
	bmu      sync.Mutex
	building *generation
	live     map[string]struct{}
}

var _ music.SearchIndex = (*Index)(nil)

// Open opens the index kept in dir, creating an empty one if there is none.
func Open(dir string, opts Options) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("bleve open %s: %w", dir, err)
	}
	x := &Index{dir: dir, now: opts.Now}
	if x.now == nil {
		x.now = time.Now
	}
	name, err := os.ReadFile(filepath.Join(dir, currentFile))
	n := strings.TrimSpace(string(name))
	switch {
	case errors.Is(err, os.ErrNotExist) || (err == nil && oldLayout(dir, n)):
		// The index is derived data: an index of the earlier single-index
		// layout is replaced by an empty one, which `musicctl reindex` fills.
		if x.cur, err = createGeneration(dir, x.newName()); err != nil {
			return nil, err
		}
		if err := x.writeCurrent(x.cur.name); err != nil {
			x.cur.close()
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("bleve open %s: %w", dir, err)
	default:
		if x.cur, err = openGeneration(dir, n); err != nil {
			return nil, err
		}
	}
	x.removeStale()
	return x, nil
}

// Name is the directory name of the index now serving.
func (x *Index) Name() string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return ""
	}
	return x.cur.name
}

// newName picks a fresh directory name. It uses the wall clock (not the
// injected one, which tests freeze) and never reuses an existing name.
func (x *Index) newName() string {
	base := "idx-" + time.Now().UTC().Format("20060102T150405.000000000")
	name := base
	for i := 1; ; i++ {
		if _, err := os.Stat(filepath.Join(x.dir, name)); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// writeCurrent points CURRENT at name with a rename, so a crash leaves
// either the old or the new pointer, never a torn one.
func (x *Index) writeCurrent(name string) error {
	tmp := filepath.Join(x.dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o644); err != nil {
		return fmt.Errorf("bleve write %s: %w", currentFile, err)
	}
	if err := os.Rename(tmp, filepath.Join(x.dir, currentFile)); err != nil {
		return fmt.Errorf("bleve write %s: %w", currentFile, err)
	}
	return nil
}

// removeStale deletes index directories left by an interrupted Reindex.
func (x *Index) removeStale() {
	entries, _ := os.ReadDir(x.dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "idx-") && e.Name() != x.cur.name {
			os.RemoveAll(filepath.Join(x.dir, e.Name()))
		}
	}
}

// Index adds or replaces docs. While a Reindex runs they also go to the
// generation being built.
func (x *Index) Index(ctx context.Context, docs ...music.SearchDoc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	b := x.cur.newBatches()
	keys := make([]string, 0, len(docs))
	for _, d := range docs {
		id, doc, err := toIndexDoc(d)
		if err != nil {
			return err
		}
		if err := b.add(d.Type, id, doc); err != nil {
			return err
		}
		keys = append(keys, id)
	}
	if err := x.cur.apply(b); err != nil {
		return err
	}
	x.bmu.Lock()
	defer x.bmu.Unlock()
	if x.building == nil {
		return nil
	}
	for _, k := range keys {
		x.live[k] = struct{}{}
	}
	return x.building.apply(b)
}

// Delete removes one document; a missing one is not an error.
func (x *Index) Delete(ctx context.Context, t music.DocType, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := search.CheckDelete(t, id); err != nil {
		return err
	}
	key := music.SearchDoc{Type: t, ID: id}.Key()
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	if err := x.cur.kinds[t].Delete(key); err != nil {
		return fmt.Errorf("bleve delete %s: %w", key, err)
	}
	x.bmu.Lock()
	defer x.bmu.Unlock()
	if x.building != nil {
		x.live[key] = struct{}{}
		if err := x.building.kinds[t].Delete(key); err != nil {
			return fmt.Errorf("bleve delete %s (rebuild): %w", key, err)
		}
	}
	return nil
}

// Close closes the serving index.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.cur == nil {
		return nil
	}
	err := x.cur.close()
	x.cur = nil
	return err
}

// DocCount is the number of documents in the serving index.
func (x *Index) DocCount() (uint64, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return 0, music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	return x.cur.docCount()
}

func toIndexDoc(d music.SearchDoc) (string, indexDoc, error) {
	if err := search.CheckDoc(d); err != nil {
		return "", indexDoc{}, err
	}
	d.ISRC, d.UPC = search.NormalizeCode(d.ISRC), search.NormalizeCode(d.UPC)
	raw, err := json.Marshal(d)
	if err != nil {
		return "", indexDoc{}, fmt.Errorf("encode %s: %w", d.Key(), err)
	}
	doc := indexDoc{Name: d.Title, Album: d.Album, Genre: d.Genre, Doc: string(raw)}
	doc.Artists = append(append(doc.Artists, d.Artists...), d.Featured...)
	if d.Type == music.DocArtist {
		doc.Artists = append(doc.Artists, d.Title)
	}
	for _, c := range []string{d.ISRC, d.UPC} {
		if c != "" {
			doc.Codes = append(doc.Codes, c)
		}
	}
	return d.Key(), doc, nil
}
