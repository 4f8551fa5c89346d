package main

import (
	"context"
	"fmt"
	"io"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
)

// Catalog is what loading the world needs of the catalog store
// (sqlstore.Store).
type Catalog interface {
	PutRelease(ctx context.Context, p music.Publication) error
	Release(ctx context.Context, id string, v music.Visibility) (*music.Release, error)
}

// LoadCatalog writes the world's releases through the store's own
// PutRelease, one transaction each, and returns how many it wrote. A
// release already there is skipped, so a rerun (or a run after an
// interrupted one) writes only what is missing; when the last release is
// there the load was complete and nothing is read further.
func LoadCatalog(ctx context.Context, cat Catalog, w World, progress io.Writer) (int, error) {
	n := w.releases()
	if has, err := hasRelease(ctx, cat, w.releaseID(n-1)); has || err != nil {
		return 0, err
	}
	wrote := 0
	for r := range n {
		has, err := hasRelease(ctx, cat, w.releaseID(r))
		if err != nil {
			return wrote, err
		}
		if has {
			continue
		}
		if err := cat.PutRelease(ctx, w.Release(r)); err != nil {
			return wrote, err
		}
		wrote++
		if progress != nil && (r+1)%(n/20+1) == 0 {
			fmt.Fprintf(progress, "catalog: %d of %d releases\n", r+1, n)
		}
	}
	return wrote, nil
}

// hasRelease reports whether the catalog holds release id (ops view).
func hasRelease(ctx context.Context, cat Catalog, id string) (bool, error) {
	_, err := cat.Release(ctx, id, music.Visibility{})
	if music.ErrorCode(err) == music.ENOTFOUND {
		return false, nil
	}
	return err == nil, err
}

// SaveModel stores the world's model where the batch stores its own and
// points reco/latest.json at it, unless latest already names it; it
// reports whether it wrote.
func SaveModel(ctx context.Context, blobs music.BlobStore, w World, m func() *reco.Model) (bool, error) {
	key, err := reco.LatestModel(ctx, blobs)
	if err == nil && key == w.modelKey() {
		return false, nil
	}
	if err != nil && music.ErrorCode(err) != music.ENOTFOUND {
		return false, err
	}
	return true, reco.SaveModel(ctx, blobs, w.modelKey(), m())
}
