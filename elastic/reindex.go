package elastic

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	music "github.com/openmusic/music"
)

// Reindex bulk-loads src into a new concrete index while the alias keeps
// serving the old one, replays the writes made meanwhile, refreshes, and
// moves the alias in one atomic _aliases call. The old index is deleted
// after the swap; on error the new one is deleted and nothing changes.
func (x *Index) Reindex(ctx context.Context, src music.DocSource) (music.ReindexStats, error) {
	x.reindexMu.Lock()
	defer x.reindexMu.Unlock()
	start := time.Now()
	var st music.ReindexStats
	name, err := x.createIndex(ctx)
	if err != nil {
		return st, err
	}
	x.bmu.Lock()
	x.building, x.live = name, map[string]*music.SearchDoc{}
	x.bmu.Unlock()
	fail := func(err error) (music.ReindexStats, error) {
		x.bmu.Lock()
		x.building, x.live = "", nil
		x.bmu.Unlock()
		x.deleteIndex(context.WithoutCancel(ctx), name)
		return st, err
	}

	// The source runs in its own goroutine and hands documents over one by
	// one, so bulk can pull them.
	docs, srcErr := make(chan music.SearchDoc, 256), make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(docs)
		srcErr <- src(func(d music.SearchDoc) error {
			select {
			case docs <- d:
				return nil
			case <-stop:
				return context.Canceled
			}
		})
	}()
	err = x.bulk(ctx, name, "false", func() (op, bool, error) {
		d, ok := <-docs
		if !ok {
			return op{}, false, <-srcErr
		}
		st.Docs++
		return op{key: d.Key(), doc: &d}, true, nil
	})
	close(stop)
	if err != nil {
		return fail(fmt.Errorf("elastic reindex: %w", err))
	}

	x.mu.Lock() // no live writes from here to the swap
	defer x.mu.Unlock()
	x.bmu.Lock()
	replay := make([]op, 0, len(x.live))
	for k, d := range x.live {
		replay = append(replay, op{key: k, doc: d})
	}
	x.building, x.live = "", nil
	x.bmu.Unlock()
	st.Skipped = len(replay)
	st.Docs -= min(st.Docs, st.Skipped)
	if err := x.bulk(ctx, name, "false", ops(replay)); err != nil {
		return fail(err)
	}
	if err := x.do(ctx, "refresh "+name, func() (*esapi.Response, error) {
		return x.es.Indices.Refresh(x.es.Indices.Refresh.WithIndex(name), x.es.Indices.Refresh.WithContext(ctx))
	}, nil); err != nil {
		return fail(err)
	}
	old, err := x.aliasTargets(ctx)
	if err != nil {
		return fail(err)
	}
	actions := []string{fmt.Sprintf(`{"add":{"index":%q,"alias":%q}}`, name, x.alias)}
	for _, o := range old {
		actions = append(actions, fmt.Sprintf(`{"remove":{"index":%q,"alias":%q}}`, o, x.alias))
	}
	body := `{"actions":[` + strings.Join(actions, ",") + `]}`
	if err := x.do(ctx, "swap alias", func() (*esapi.Response, error) {
		return x.es.Indices.UpdateAliases(strings.NewReader(body), x.es.Indices.UpdateAliases.WithContext(ctx))
	}, nil); err != nil {
		return fail(err)
	}
	for _, o := range old {
		x.deleteIndex(ctx, o)
	}
	st.Duration, st.Index = time.Since(start), name
	return st, nil
}

// aliasTargets lists the concrete indexes behind the alias.
func (x *Index) aliasTargets(ctx context.Context) ([]string, error) {
	var out map[string]any
	if err := x.do(ctx, "get alias", func() (*esapi.Response, error) {
		return x.es.Indices.GetAlias(x.es.Indices.GetAlias.WithName(x.alias), x.es.Indices.GetAlias.WithContext(ctx))
	}, &out); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	return names, nil
}

// deleteIndex removes a concrete index, best effort: a leftover index
// costs disk space, not correctness.
func (x *Index) deleteIndex(ctx context.Context, name string) {
	res, err := x.es.Indices.Delete([]string{name}, x.es.Indices.Delete.WithContext(ctx))
	if err == nil {
		res.Body.Close()
	}
}

// Drop deletes every index behind the alias, and with them the alias.
func (x *Index) Drop(ctx context.Context) error {
	names, err := x.aliasTargets(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		x.deleteIndex(ctx, n)
	}
	return nil
}
