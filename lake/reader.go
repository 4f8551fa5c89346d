package lake

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/parquet-go/parquet-go"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// readBufferSize is parquet-go's read granularity: each GetRange fetches
// at least this much, so a column chunk costs few store round trips.
const readBufferSize = 1 << 20

// FileInfo is one live part file.
type FileInfo struct {
	Key       string
	Partition Partition
	Range     SeqRange
	Size      int64
}

// ListFiles returns the live part files under prefix, in key order. A file
// whose sequence range lies inside another file's range of the same
// partition is superseded (an earlier flush of a retried batch, or an
// input of a compaction that crashed before deleting it) and is left out,
// so no row is ever read twice. Two files whose ranges overlap without
// nesting break the writer's invariant: that is an ECONFLICT error naming
// both, never a guess.
func ListFiles(ctx context.Context, store music.BlobStore, prefix string) ([]FileInfo, error) {
	live, _, err := listPartitioned(ctx, store, prefix)
	return live, err
}

// listPartitioned returns the live files and the superseded ones.
func listPartitioned(ctx context.Context, store music.BlobStore, prefix string) (live, superseded []FileInfo, err error) {
	var all []FileInfo
	err = store.List(ctx, prefix, func(b music.BlobInfo) error {
		p, r, err := ParseFileKey(b.Key)
		if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		all = append(all, FileInfo{Key: b.Key, Partition: p, Range: r, Size: b.Size})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// Sort by partition, then First ascending and Last descending, so a
	// covering file comes before what it covers.
	slices.SortFunc(all, func(a, b FileInfo) int {
		return cmp.Or(a.Partition.Hour.Compare(b.Partition.Hour),
			cmp.Compare(a.Range.First, b.Range.First), cmp.Compare(b.Range.Last, a.Range.Last))
	})
	var cover FileInfo
	for i, f := range all {
		if i == 0 || !f.Partition.Hour.Equal(cover.Partition.Hour) || f.Range.First > cover.Range.Last {
			live = append(live, f)
			cover = f
			continue
		}
		if cover.Range.Contains(f.Range) {
			superseded = append(superseded, f)
			continue
		}
		return nil, nil, music.Errorf(music.ECONFLICT, "lake files %s and %s overlap without one containing the other", cover.Key, f.Key)
	}
	slices.SortFunc(live, func(a, b FileInfo) int { return cmp.Compare(a.Key, b.Key) })
	return live, superseded, nil
}

// FilesBetween returns the live part files whose partition hour lies in
// [from, to).
func FilesBetween(ctx context.Context, store music.BlobStore, from, to time.Time) ([]FileInfo, error) {
	from = from.UTC().Truncate(time.Hour)
	var out []FileInfo
	for day := from.Truncate(24 * time.Hour); day.Before(to); day = day.Add(24 * time.Hour) {
		files, err := ListFiles(ctx, store, DayPrefix(day))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if !f.Partition.Hour.Before(from) && f.Partition.Hour.Before(to) {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// File is one opened part file. Errors from it name the key.
type File struct {
	Key    string
	pf     *parquet.File
	closer io.Closer
}

// localFiles is implemented by blob stores whose objects are plain local
// files (filestore): one open file then serves every read of a part file,
// instead of one GetRange per read.
type localFiles interface {
	OpenFile(ctx context.Context, key string) (*os.File, music.BlobInfo, error)
}

// OpenFile opens the part file key: only the footer is read. A damaged
// footer is an EINVALID error naming the file. Close it after use.
func OpenFile(ctx context.Context, store music.BlobStore, key string) (*File, error) {
	var ra io.ReaderAt
	var size int64
	var closer io.Closer
	if lf, ok := store.(localFiles); ok {
		f, info, err := lf.OpenFile(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", key, err)
		}
		ra, size, closer = f, info.Size, f
	} else {
		var err error
		if ra, size, err = NewReaderAt(ctx, store, key); err != nil {
			return nil, err
		}
	}
	pf, err := parquet.OpenFile(ra, size, parquet.ReadBufferSize(readBufferSize), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		if closer != nil {
			closer.Close()
		}
		return nil, corrupt(key, err)
	}
	return &File{Key: key, pf: pf, closer: closer}, nil
}

// Close releases the file.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// NumRows is the file's row count from its footer.
func (f *File) NumRows() int64 { return f.pf.NumRows() }

// RowReader streams a file's rows; memory is bounded by one row group's
// pages, whatever the file size.
type RowReader struct {
	key string
	r   *parquet.GenericReader[row]
	buf []row // rows read, before conversion to events
}

// Rows starts reading f from its first row.
func (f *File) Rows() *RowReader {
	return &RowReader{key: f.Key, r: parquet.NewGenericReader[row](f.pf)}
}

// Read fills buf and returns how many rows it read; io.EOF after the last.
// A damaged page (bad checksum, bad encoding) is an error naming the file.
func (r *RowReader) Read(buf []plays.Event) (int, error) {
	if cap(r.buf) < len(buf) {
		r.buf = make([]row, len(buf))
	}
	n, err := r.r.Read(r.buf[:len(buf)])
	for i := range n {
		buf[i] = plays.Event(r.buf[i])
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return n, corrupt(r.key, err)
	}
	return n, err
}

// Close releases the reader.
func (r *RowReader) Close() error { return r.r.Close() }

// corrupt wraps a Parquet decoding failure so it names the file and is
// never mistaken for an empty file.
func corrupt(key string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("lake file %s: %w", key, err)
	}
	return fmt.Errorf("%w: %v", music.Errorf(music.EINVALID, "lake file %s is not a readable Parquet playback file", key), err)
}
