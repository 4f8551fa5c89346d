package search

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	music "github.com/openmusic/music"
)

// catalogPage is how many tracks CatalogDocs reads per catalog call.
const catalogPage = 1000

// CatalogDocs is the whole catalog as search documents, for Reindex: every
// published release's album and tracks, then every artist credited on a
// published release. It pages through Catalog.Tracks to find the releases
// and reads each release once (ops view). Memory grows with the number of
// releases and artists (their IDs and artist documents), not with tracks.
// Releases without tracks are not found.
func CatalogDocs(ctx context.Context, cat music.Catalog) music.DocSource {
	return func(yield func(music.SearchDoc) error) error {
		seen := map[string]bool{}
		artists := map[string]music.SearchDoc{}
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
				if seen[t.ReleaseID] || t.ReleaseStatus != music.ReleasePublished {
					continue
				}
				seen[t.ReleaseID] = true
				r, err := cat.Release(ctx, t.ReleaseID, music.Visibility{})
				if err != nil {
					return fmt.Errorf("catalog docs: %w", err)
				}
				if r.Status != music.ReleasePublished {
					continue // taken down since the page was read
				}
				for _, d := range ReleaseDocs(r) {
					if d.Type == music.DocArtist {
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
func CountingSource(src music.DocSource, n *atomic.Int64) music.DocSource {
	return func(yield func(music.SearchDoc) error) error {
		return src(func(d music.SearchDoc) error {
			n.Add(1)
			return yield(d)
		})
	}
}
