package lake

import (
	"context"
	"fmt"
	"io"

	music "github.com/openmusic/music"
)

// blobReaderAt adapts BlobStore.GetRange to io.ReaderAt, which parquet-go
// needs to read a footer and then just the projected column chunks.
type blobReaderAt struct {
	ctx   context.Context
	store music.BlobStore
	key   string
}

// NewReaderAt returns an io.ReaderAt over one stored object and its size.
// ctx bounds every read made through it (parquet-go's ReaderAt has no
// context of its own).
func NewReaderAt(ctx context.Context, store music.BlobStore, key string) (io.ReaderAt, int64, error) {
	info, err := store.Stat(ctx, key)
	if err != nil {
		return nil, 0, fmt.Errorf("stat %s: %w", key, err)
	}
	return &blobReaderAt{ctx: ctx, store: store, key: key}, info.Size, nil
}

func (r *blobReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	rc, _, err := r.store.GetRange(r.ctx, r.key, off, int64(len(p)))
	if err != nil {
		return 0, fmt.Errorf("read %s at %d: %w", r.key, off, err)
	}
	defer rc.Close()
	n, err := io.ReadFull(rc, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}
