package search

import (
	"context"
	"fmt"

	music "github.com/openmusic/music"
)

// IndexRelease brings the search index in line with one release as the
// catalog holds it (ops view): a published release's album, tracks and
// artists are indexed; for a pending or taken-down one they are deleted,
// except artists who still have another published release, whose
// documents are rewritten from those. The ingest workflow calls it on
// publish and on takedown; calling it twice changes nothing.
//
// An artist's popularity is recomputed over all their published releases,
// so this reads each of them: cost grows with the credited artists'
// discographies, which is fine at publish rate.
func IndexRelease(ctx context.Context, cat music.Catalog, idx music.SearchIndex, releaseID string) error {
	r, err := cat.Release(ctx, releaseID, music.Visibility{})
	if err != nil {
		return fmt.Errorf("index release %s: %w", releaseID, err)
	}
	var index []music.SearchDoc
	published := r.Status == music.ReleasePublished
	for _, d := range ReleaseDocs(r) {
		if d.Type == music.DocArtist {
			merged, ok, err := artistSearchDoc(ctx, cat, d.ID)
			if err != nil {
				return fmt.Errorf("index release %s: %w", releaseID, err)
			}
			if ok {
				index = append(index, merged)
				continue
			}
		} else if published {
			index = append(index, d)
			continue
		}
		if err := idx.Delete(ctx, d.Type, d.ID); err != nil {
			return fmt.Errorf("index release %s: %w", releaseID, err)
		}
	}
	if len(index) > 0 {
		if err := idx.Index(ctx, index...); err != nil {
			return fmt.Errorf("index release %s: %w", releaseID, err)
		}
	}
	return nil
}

// artistSearchDoc builds an artist's document over every published release
// crediting them; ok is false when there is none.
func artistSearchDoc(ctx context.Context, cat music.Catalog, artistID string) (doc music.SearchDoc, ok bool, err error) {
	_, rels, err := cat.Artist(ctx, artistID, music.Visibility{})
	if err != nil {
		return doc, false, fmt.Errorf("artist %s: %w", artistID, err)
	}
	for _, rel := range rels {
		if rel.Status != music.ReleasePublished {
			continue
		}
		full, err := cat.Release(ctx, rel.ID, music.Visibility{})
		if err != nil {
			return doc, false, fmt.Errorf("artist %s: %w", artistID, err)
		}
		for _, d := range ReleaseDocs(full) {
			if d.Type == music.DocArtist && d.ID == artistID {
				doc, ok = MergeArtistDoc(doc, d), true
			}
		}
	}
	return doc, ok, nil
}
