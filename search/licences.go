package search

import (
	"context"

	music "github.com/openmusic/music"
)

// FilterVisible drops from res every hit v may not see, asking lic once
// per kind, and picks Top again. Group totals count the index's matches
// before the licence check; only items are filtered.
func FilterVisible(ctx context.Context, lic music.Licences, res *music.SearchResults, v music.Visibility) error {
	for _, t := range music.DocTypes {
		g := res.Group(t)
		if g == nil || len(g.Items) == 0 {
			continue
		}
		keep, err := visibleHits(ctx, lic, t, g.Items, v)
		if err != nil {
			return err
		}
		g.Items = keep
	}
	pickTop(res)
	return nil
}

// FilterVisibleHits is FilterVisible for a list of mixed hits (suggest).
func FilterVisibleHits(ctx context.Context, lic music.Licences, hits []music.SearchHit, v music.Visibility) ([]music.SearchHit, error) {
	ok := map[string]bool{}
	for _, t := range music.DocTypes {
		var ids []string
		for _, h := range hits {
			if h.Type == t {
				ids = append(ids, h.ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		vis, err := lic.VisibleIDs(ctx, t, ids, v)
		if err != nil {
			return nil, err
		}
		for id := range vis {
			ok[string(t)+":"+id] = true
		}
	}
	out := hits[:0:0]
	for _, h := range hits {
		if ok[h.Key()] {
			out = append(out, h)
		}
	}
	return out, nil
}

func visibleHits(ctx context.Context, lic music.Licences, t music.DocType, hits []music.SearchHit, v music.Visibility) ([]music.SearchHit, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	vis, err := lic.VisibleIDs(ctx, t, ids, v)
	if err != nil {
		return nil, err
	}
	out := make([]music.SearchHit, 0, len(hits))
	for _, h := range hits {
		if vis[h.ID] {
			out = append(out, h)
		}
	}
	return out, nil
}
