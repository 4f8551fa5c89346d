package search

import (
	"context"
	"sync"

	music "github.com/openmusic/music"
)

// PerKind runs one search per kind q wants, concurrently, and gathers
// the groups; engines pass a function that searches one kind.
func PerKind(ctx context.Context, q music.SearchQuery, one func(context.Context, music.DocType) (*music.SearchGroup, error)) (*music.SearchResults, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	res := &music.SearchResults{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for _, t := range music.DocTypes {
		if !WantsType(q, t) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, err := one(ctx, t)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
			setGroup(res, t, g)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	pickTop(res)
	return res, nil
}

// Steps are an engine's parts of a search; Run puts them in the
// order both engines share.
type Steps struct {
	// Code searches an ISRC or UPC exactly.
	Code func(ctx context.Context, code string) (*music.SearchResults, error)
	// Text runs the word query, with the fuzzy clauses when fuzzy is set.
	Text func(ctx context.Context, fuzzy bool) (*music.SearchResults, error)
	// DidYouMean corrects unknown words, "" when all are known.
	DidYouMean func(ctx context.Context) (string, error)
}

// Run looks q up as a code first when it looks like one, and when no
// document has that code (or it is no code) runs the text query: the
// exact pass, then the fuzzy pass if NeedsFuzzyPass.
func (s Steps) Run(ctx context.Context, q music.SearchQuery) (*music.SearchResults, error) {
	if code, field, ok := CodeQuery(q.Text); ok {
		res, err := s.Code(ctx, code)
		if err != nil {
			return nil, err
		}
		if res.Top != nil {
			res.ExactCode = true
			ownerFirst(res, field)
			return res, nil
		}
	}
	res, err := s.Text(ctx, false)
	if err == nil && NeedsFuzzyPass(q.Text, Matched(res)) {
		res, err = s.Text(ctx, true)
	}
	if err != nil {
		return nil, err
	}
	if res.DidYouMean, err = s.DidYouMean(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// ownerFirst ranks the kind that owns a code above the others: a UPC
// names an album and an ISRC a track. Tracks carry their album's UPC too,
// and a popular track would otherwise outscore its album. Other kinds'
// scores are scaled to half the owner's best, keeping their own order.
func ownerFirst(r *music.SearchResults, codeField string) {
	owner := music.DocTrack
	if codeField == "upc" {
		owner = music.DocAlbum
	}
	og := r.Group(owner)
	if og == nil || len(og.Items) == 0 {
		return
	}
	for _, t := range music.DocTypes {
		g := r.Group(t)
		if t == owner || g == nil || len(g.Items) == 0 || g.Items[0].Score < og.Items[0].Score/2 {
			continue
		}
		scale := og.Items[0].Score / 2 / g.Items[0].Score
		for i := range g.Items {
			g.Items[i].Score *= scale
		}
	}
	pickTop(r)
}

// pickTop sets r.Top to the highest-scoring first item among the groups.
func pickTop(r *music.SearchResults) {
	r.Top = nil
	for _, t := range music.DocTypes {
		g := r.Group(t)
		if g == nil || len(g.Items) == 0 {
			continue
		}
		if h := g.Items[0]; r.Top == nil || h.Score > r.Top.Score {
			r.Top = &h
		}
	}
}
