package music

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
)

// catalogPage is how many tracks CatalogDocs reads per catalog call.
const catalogPage = 1000

// CatalogDocs is the whole catalog as search documents, for Reindex: every
// published release's album and tracks, then every artist credited on a
// published release. It pages through Catalog.Tracks to find the releases
// and reads each release once (ops view). Memory grows with the number of
// releases and artists (their IDs and artist documents), not with tracks.
// Releases without tracks are not found.
func CatalogDocs(ctx context.Context, cat Catalog) DocSource {
	return func(yield func(SearchDoc) error) error {
		seen := map[string]bool{}
		artists := map[string]SearchDoc{}
		after := ""
		for {
			page, err := cat.Tracks(ctx, after, catalogPage)
			if err != nil {
				return fmt.Errorf("catalog docs: %w", err)
			}
			if len(page) == 0 {
				break
			}
			after = page[len(page)-1].ID
			for _, t := range page {
				if seen[t.ReleaseID] || t.ReleaseStatus != ReleasePublished {
					continue
				}
				seen[t.ReleaseID] = true
				r, err := cat.Release(ctx, t.ReleaseID, Visibility{})
				if err != nil {
					return fmt.Errorf("catalog docs: %w", err)
				}
				if r.Status != ReleasePublished {
					continue // taken down since the page was read
				}
				for _, d := range ReleaseSearchDocs(r) {
					if d.Type == DocArtist {
						artists[d.ID] = MergeArtistDoc(artists[d.ID], d)
						continue
					}
					if err := yield(d); err != nil {
						return err
					}
				}
			}
		}
		ids := make([]string, 0, len(artists))
		for id := range artists {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if err := yield(artists[id]); err != nil {
				return err
			}
		}
		return nil
	}
}

// CountingSource passes src through and adds one to n per document, so a
// caller can report the progress of a Reindex while it runs.
func CountingSource(src DocSource, n *atomic.Int64) DocSource {
	return func(yield func(SearchDoc) error) error {
		return src(func(d SearchDoc) error {
			n.Add(1)
			return yield(d)
		})
	}
}
