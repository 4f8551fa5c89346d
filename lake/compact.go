package lake

import (
	"context"
	"fmt"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// CompactOptions tunes Compact.
type CompactOptions struct {
	// MinAge: only partitions whose hour ended at least this long ago are
	// touched, so the lake writer has acknowledged (and will never rewrite)
	// every batch in them. Default 2 h.
	MinAge time.Duration
	// TargetBytes: files at or above it are left alone, and a merge stops
	// growing once it reaches it. Default 256 MiB.
	TargetBytes int64
	// Now is the clock (time.Now if nil).
	Now    func() time.Time
	Writer WriterOptions
}

// CompactResult counts what Compact did.
type CompactResult struct {
	Partitions int      // partitions that had something to do
	Merged     int      // input files merged
	Deleted    int      // files deleted (merged inputs and leftovers)
	Written    []string // keys of new merged files
}

// Compact merges runs of small part files in each old-enough partition
// under prefix into one file per run.
//
// Crash safety without a manifest: the merged file's sequence range is the
// union of its inputs' ranges, so once it is in the store every input is
// superseded (ListFiles skips files contained in another file's range).
// The merged file is written first, atomically; the inputs are deleted
// after. A crash in between leaves superseded inputs that no reader counts
// and that the next Compact deletes. Re-running writes the same key with
// the same rows, so Compact is idempotent.
func Compact(ctx context.Context, store music.BlobStore, prefix string, opts CompactOptions) (CompactResult, error) {
	if opts.MinAge == 0 {
		opts.MinAge = 2 * time.Hour
	}
	if opts.TargetBytes == 0 {
		opts.TargetBytes = 256 << 20
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	cutoff := now().Add(-opts.MinAge)
	live, superseded, err := listPartitioned(ctx, store, prefix)
	if err != nil {
		return CompactResult{}, err
	}
	var res CompactResult
	old := func(p Partition) bool { return !p.Hour.Add(time.Hour).After(cutoff) }
	touched := map[time.Time]bool{}
	for _, f := range superseded {
		if !old(f.Partition) {
			continue
		}
		if err := store.Delete(ctx, f.Key); err != nil {
			return res, fmt.Errorf("compact: delete superseded %s: %w", f.Key, err)
		}
		res.Deleted++
		touched[f.Partition.Hour] = true
	}
	// live is in key order, which groups partitions and sorts ranges.
	for i := 0; i < len(live); {
		j := i
		for j < len(live) && live[j].Partition.Hour.Equal(live[i].Partition.Hour) {
			j++
		}
		if old(live[i].Partition) {
			n, err := compactPartition(ctx, store, live[i:j], opts, &res)
			if err != nil {
				return res, err
			}
			if n > 0 {
				touched[live[i].Partition.Hour] = true
			}
		}
		i = j
	}
	res.Partitions = len(touched)
	return res, nil
}

// compactPartition merges runs of small files of one partition.
func compactPartition(ctx context.Context, store music.BlobStore, files []FileInfo, opts CompactOptions, res *CompactResult) (int, error) {
	merged := 0
	for i := 0; i < len(files); {
		var size int64
		j := i
		for j < len(files) && files[j].Size < opts.TargetBytes && size < opts.TargetBytes {
			size += files[j].Size
			j++
		}
		if j-i < 2 {
			i = max(j, i+1)
			continue
		}
		if err := mergeFiles(ctx, store, files[i:j], opts.Writer, res); err != nil {
			return merged, err
		}
		merged += j - i
		i = j
	}
	return merged, nil
}

func mergeFiles(ctx context.Context, store music.BlobStore, in []FileInfo, wo WriterOptions, res *CompactResult) error {
	key := FileKey(in[0].Partition, SeqRange{in[0].Range.First, in[len(in)-1].Range.Last})
	fw := NewFileWriter(ctx, store, key, wo)
	buf := make([]plays.Event, 4096)
	for _, f := range in {
		if err := eachRows(ctx, store, f, buf, func(_ FileInfo, rows []plays.Event) error { return fw.Write(rows) }); err != nil {
			fw.Abort()
			return fmt.Errorf("compact into %s: %w", key, err)
		}
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	res.Written = append(res.Written, key)
	for _, f := range in {
		if err := store.Delete(ctx, f.Key); err != nil {
			return fmt.Errorf("compact: delete merged input %s: %w", f.Key, err)
		}
		res.Merged++
		res.Deleted++
	}
	return nil
}
