package music

import "context"

// Licences tells which search results a listener may see: search indexes
// hold every published release, and licences (deals per territory and
// time) are checked against the catalog, the record of truth, for each
// page of results. Implementation: sqlstore.
type Licences interface {
	// VisibleIDs returns the subset of ids of kind t that v may see:
	// tracks and albums of published releases with a deal in force in
	// v's territory at v.At, artists credited on such a release.
	VisibleIDs(ctx context.Context, t DocType, ids []string, v Visibility) (map[string]bool, error)
}

// FilterVisible drops from res every hit v may not see, asking lic once
// per kind, and picks Top again. Group totals count the index's matches
// before the licence check; only items are filtered.
func FilterVisible(ctx context.Context, lic Licences, res *SearchResults, v Visibility) error {
	for _, t := range DocTypes {
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
	res.PickTop()
	return nil
}

// FilterVisibleHits is FilterVisible for a list of mixed hits (suggest).
func FilterVisibleHits(ctx context.Context, lic Licences, hits []SearchHit, v Visibility) ([]SearchHit, error) {
	ok := map[string]bool{}
	for _, t := range DocTypes {
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

func visibleHits(ctx context.Context, lic Licences, t DocType, hits []SearchHit, v Visibility) ([]SearchHit, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	vis, err := lic.VisibleIDs(ctx, t, ids, v)
	if err != nil {
		return nil, err
	}
	out := make([]SearchHit, 0, len(hits))
	for _, h := range hits {
		if vis[h.ID] {
			out = append(out, h)
		}
	}
	return out, nil
}
