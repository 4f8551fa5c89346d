package bleve

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/search"
)

// rerankWindow is how many top text matches per kind are re-scored with
// search.RankFactor. Popularity and recency can only reorder hits inside it.
const rerankWindow = 100

// Search runs q against the serving index. An ISRC or UPC is looked up
// exactly first; text falls back to the word query.
func (x *Index) Search(ctx context.Context, q music.SearchQuery) (*music.SearchResults, error) {
	unlock, err := x.rlock(q)
	if err != nil {
		return nil, err
	}
	defer unlock()
	release := func() {}
	defer func() { release() }()
	words := sync.OnceValues(func() ([]wordTerms, error) {
		ws, rel, err := x.expandWords(q.Text)
		if err == nil {
			release = rel
		}
		return ws, err
	})
	return search.Steps{
		Code: func(ctx context.Context, code string) (*music.SearchResults, error) {
			cq := query.NewTermQuery(code)
			cq.SetField(fieldCode)
			return x.grouped(ctx, func(music.DocType) (query.Query, error) { return cq, nil }, q)
		},
		Text: func(ctx context.Context, fuzzy bool) (*music.SearchResults, error) {
			ws, err := words()
			if err != nil {
				return nil, err
			}
			return x.grouped(ctx, textQueries(ws, fuzzy), q)
		},
		DidYouMean: func(context.Context) (string, error) {
			ws, err := words()
			if err != nil {
				return "", err
			}
			return didYouMean(ws)
		},
	}.Run(ctx, q)
}

// textQueries builds each kind's text query from the looked-up words.
func textQueries(ws []wordTerms, fuzzy bool) func(music.DocType) (query.Query, error) {
	return func(t music.DocType) (query.Query, error) { return textQuery(ws, t, true, fuzzy) }
}

// Suggest returns the best hits of any wanted kind for a partial query:
// each kind's best, merged by score. Like Search, it matches the exact
// words first and makes the fuzzy pass only when search.NeedsFuzzyPass.
func (x *Index) Suggest(ctx context.Context, q music.SearchQuery) ([]music.SearchHit, error) {
	unlock, err := x.rlock(q)
	if err != nil {
		return nil, err
	}
	defer unlock()
	page := q
	page.Offset = 0
	ws, release, err := x.expandWords(q.Text)
	if err != nil {
		return nil, err
	}
	defer release()
	res, err := x.grouped(ctx, textQueries(ws, false), page)
	if err == nil && search.NeedsFuzzyPass(q.Text, search.Matched(res)) {
		res, err = x.grouped(ctx, textQueries(ws, true), page)
	}
	if err != nil {
		return nil, err
	}
	var hits []music.SearchHit
	for _, t := range music.DocTypes {
		if g := res.Group(t); g != nil {
			hits = append(hits, g.Items...)
		}
	}
	sortHits(hits)
	return hits[:min(len(hits), q.Limit)], nil
}

// grouped runs each wanted kind's query on that kind's index. A kind
// whose query is nil matches nothing and is not searched.
func (x *Index) grouped(ctx context.Context, kindQuery func(music.DocType) (query.Query, error), q music.SearchQuery) (*music.SearchResults, error) {
	gen := x.cur
	return search.PerKind(ctx, q, func(ctx context.Context, t music.DocType) (*music.SearchGroup, error) {
		base, err := kindQuery(t)
		if err != nil || base == nil {
			return &music.SearchGroup{Items: []music.SearchHit{}}, err
		}
		hits, total, err := x.ranked(ctx, gen.kinds[t], filtered(base, q.Genre), q.Offset, q.Limit)
		if err != nil {
			return nil, err
		}
		return &music.SearchGroup{Total: total, Items: hits}, nil
	})
}

// ranked fetches the top text matches in idx, multiplies each score by
// search.RankFactor and returns the page [from, from+size).
func (x *Index) ranked(ctx context.Context, idx bleve.Index, q query.Query, from, size int) ([]music.SearchHit, uint64, error) {
	req := bleve.NewSearchRequestOptions(q, max(rerankWindow, from+size), 0, false)
	req.Fields = []string{fieldDoc}
	sr, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("bleve search: %w", err)
	}
	now := x.now()
	hits := make([]music.SearchHit, 0, len(sr.Hits))
	for _, h := range sr.Hits {
		raw, _ := h.Fields[fieldDoc].(string)
		var d music.SearchDoc
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			return nil, 0, fmt.Errorf("bleve search: stored doc %s: %w", h.ID, err)
		}
		hits = append(hits, music.SearchHit{SearchDoc: d, Score: h.Score * search.RankFactor(d.Popularity, d.ReleaseDate, now)})
	}
	sortHits(hits)
	if from >= len(hits) {
		return []music.SearchHit{}, sr.Total, nil
	}
	return hits[from:min(from+size, len(hits))], sr.Total, nil
}

// sortHits orders hits best first, ties by key so pages are stable.
func sortHits(hits []music.SearchHit) {
	slices.SortStableFunc(hits, func(a, b music.SearchHit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Key(), b.Key()))
	})
}

// rlock checks q and holds the serving index for one read.
func (x *Index) rlock(q music.SearchQuery) (unlock func(), err error) {
	if err := search.CheckQuery(q); err != nil {
		return nil, err
	}
	x.mu.RLock()
	if x.cur == nil {
		x.mu.RUnlock()
		return nil, music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	return x.mu.RUnlock, nil
}
