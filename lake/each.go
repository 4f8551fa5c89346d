package lake

import (
	"context"
	"errors"
	"io"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// Each calls fn with the rows of every live part file under prefix, a
// slice at a time (valid only during the call), in key order. It is for
// tools and checks that need whole rows; the batches read projected
// columns instead.
func Each(ctx context.Context, store music.BlobStore, prefix string, fn func(FileInfo, []plays.Event) error) error {
	files, err := ListFiles(ctx, store, prefix)
	if err != nil {
		return err
	}
	buf := make([]plays.Event, 4096)
	for _, fi := range files {
		if err := eachRows(ctx, store, fi, buf, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachRows(ctx context.Context, store music.BlobStore, fi FileInfo, buf []plays.Event, fn func(FileInfo, []plays.Event) error) error {
	f, err := OpenFile(ctx, store, fi.Key)
	if err != nil {
		return err
	}
	defer f.Close()
	rr := f.Rows()
	defer rr.Close()
	for {
		n, err := rr.Read(buf)
		if n > 0 {
			if ferr := fn(fi, buf[:n]); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err // RowReader names the file
		}
	}
}
