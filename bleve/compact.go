package bleve

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"

	music "github.com/openmusic/music"
)

// compact merges each kind's index of g into one segment. Every query
// term is looked up in every segment's dictionary and every posting list
// is walked segment by segment, so a freshly built track index of 18
// segments paid that 18 times per term. Reindex compacts the new
// generation before swapping it in; live writes add small segments again,
// which Bleve's merger folds in as usual.
func (g *generation) compact(ctx context.Context) error {
	for t, idx := range g.kinds {
		adv, err := idx.Advanced()
		if err != nil {
			return fmt.Errorf("bleve compact %s/%s: %w", g.name, t, err)
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			continue
		}
		// One force merge merges at most ten segments per task, so a
		// round can leave a few; at most three rounds are needed.
		for range 3 {
			n, err := segments(s)
			if err != nil || n <= 1 {
				if err != nil {
					return fmt.Errorf("bleve compact %s/%s: %w", g.name, t, err)
				}
				break
			}
			if err := s.ForceMerge(ctx, nil); err != nil { // nil: into one
				return fmt.Errorf("bleve compact %s/%s: %w", g.name, t, err)
			}
		}
	}
	return ctx.Err()
}

// segments is how many segments s's current snapshot has.
func segments(s *scorch.Scorch) (int, error) {
	r, err := s.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil
	}
	return len(snap.Segments()), nil
}

// Compact merges the serving index's segments into one per kind (see
// generation.compact). Searches and writes continue meanwhile.
func (x *Index) Compact(ctx context.Context) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return music.Errorf(music.EUNAVAILABLE, "search index is closed")
	}
	return x.cur.compact(ctx)
}
