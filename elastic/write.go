package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/elastic/go-elasticsearch/v8/esutil"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// op is one bulk action: index doc, or delete key when doc is nil.
type op struct {
	key string
	doc *music.SearchDoc
}

// bulk sends ops to index through a BulkIndexer and fails if any item
// failed. refresh "wait_for" makes live writes visible before returning.
func (x *Index) bulk(ctx context.Context, index, refresh string, next func() (op, bool, error)) error {
	var mu sync.Mutex
	var errs []error
	bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client: x.es, Index: index, Refresh: refresh, NumWorkers: 2, FlushBytes: 5 << 20,
		OnError: func(_ context.Context, err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		},
	})
	if err != nil {
		return fmt.Errorf("elastic bulk: %w", err)
	}
	onFail := func(_ context.Context, it esutil.BulkIndexerItem, r esutil.BulkIndexerResponseItem, err error) {
		if it.Action == "delete" && r.Status == 404 {
			return // deleting a missing document is fine
		}
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			err = fmt.Errorf("%s %s: %s: %s", it.Action, it.DocumentID, r.Error.Type, r.Error.Reason)
		}
		errs = append(errs, err)
	}
	for {
		o, ok, err := next()
		if err != nil || !ok {
			if cerr := bi.Close(ctx); err == nil {
				err = cerr
			}
			if err == nil {
				err = errors.Join(errs...)
			}
			if err != nil {
				return fmt.Errorf("elastic bulk into %s: %w", index, err)
			}
			return nil
		}
		it := esutil.BulkIndexerItem{Action: "delete", DocumentID: o.key, OnFailure: onFail}
		if o.doc != nil {
			e, err := toESDoc(*o.doc)
			if err != nil {
				bi.Close(ctx)
				return err
			}
			body, err := json.Marshal(e)
			if err != nil {
				bi.Close(ctx)
				return fmt.Errorf("elastic encode %s: %w", o.key, err)
			}
			it.Action, it.Body = "index", bytes.NewReader(body)
		}
		if err := bi.Add(ctx, it); err != nil {
			bi.Close(ctx)
			return fmt.Errorf("elastic bulk add %s: %w", o.key, err)
		}
	}
}

// ops iterates a slice of operations for bulk.
func ops(list []op) func() (op, bool, error) {
	i := 0
	return func() (op, bool, error) {
		if i == len(list) {
			return op{}, false, nil
		}
		i++
		return list[i-1], true, nil
	}
}

// write applies list through the alias and, during a Reindex, to the
// index being built too, remembering it for the replay before the swap.
func (x *Index) write(ctx context.Context, list []op) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if err := x.bulk(ctx, x.alias, "wait_for", ops(list)); err != nil {
		return err
	}
	x.bmu.Lock()
	defer x.bmu.Unlock()
	if x.building == "" {
		return nil
	}
	for _, o := range list {
		x.live[o.key] = o.doc
	}
	return x.bulk(ctx, x.building, "false", ops(list))
}

// Index adds or replaces docs.
func (x *Index) Index(ctx context.Context, docs ...music.SearchDoc) error {
	list := make([]op, len(docs))
	for i := range docs {
		if err := search.CheckDoc(docs[i]); err != nil {
			return err
		}
		list[i] = op{key: docs[i].Key(), doc: &docs[i]}
	}
	return x.write(ctx, list)
}

// Delete removes one document; a missing one is not an error.
func (x *Index) Delete(ctx context.Context, t music.DocType, id string) error {
	if err := search.CheckDelete(t, id); err != nil {
		return err
	}
	return x.write(ctx, []op{{key: music.SearchDoc{Type: t, ID: id}.Key()}})
}
