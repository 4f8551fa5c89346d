package lake

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/parquet-go/parquet-go"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// DefaultRowGroupRows sizes row groups: ~256 Ki rows is 8–12 MB of
// compressed columns for this schema, big enough for efficient scans and
// column statistics, small enough that a writer buffers little and a
// reader decodes one row group at a time in a few tens of MB.
const DefaultRowGroupRows = 256 << 10

// WriterOptions tunes the Parquet files written.
type WriterOptions struct {
	// RowGroupRows caps rows per row group (DefaultRowGroupRows if 0).
	RowGroupRows int64
}

func (o WriterOptions) parquetOptions() []parquet.WriterOption {
	n := o.RowGroupRows
	if n <= 0 {
		n = DefaultRowGroupRows
	}
	return []parquet.WriterOption{
		parquet.MaxRowsPerRowGroup(n),
		parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy("musicctl-lake", "1", ""),
	}
}

// FileWriter streams rows into one Parquet object. The object appears in
// the store only when Close succeeds (BlobStore.Put is atomic), so a crash
// never leaves a partial file under a part key.
type FileWriter struct {
	key  string
	w    *parquet.GenericWriter[row]
	buf  []row // events converted to rows for w
	pw   *io.PipeWriter
	done chan error
	rows int64
}

// NewFileWriter starts writing the object key. Call Close to publish it or
// Abort to drop it.
func NewFileWriter(ctx context.Context, store music.BlobStore, key string, opts WriterOptions) *FileWriter {
	pr, pw := io.Pipe()
	fw := &FileWriter{key: key, pw: pw, done: make(chan error, 1)}
	go func() {
		_, err := store.Put(ctx, key, pr, music.PutOptions{ContentType: "application/vnd.apache.parquet"})
		pr.CloseWithError(err) // unblock the writer if Put gave up early
		fw.done <- err
	}()
	fw.w = parquet.NewGenericWriter[row](pw, opts.parquetOptions()...)
	return fw
}

// Write appends events as rows.
func (fw *FileWriter) Write(events []plays.Event) error {
	fw.buf = fw.buf[:0]
	for _, e := range events {
		fw.buf = append(fw.buf, row(e))
	}
	n, err := fw.w.Write(fw.buf)
	fw.rows += int64(n)
	if err != nil {
		return fmt.Errorf("write %s: %w", fw.key, err)
	}
	return nil
}

// Rows is how many rows were written so far.
func (fw *FileWriter) Rows() int64 { return fw.rows }

// Close finishes the file and waits until the store holds it.
func (fw *FileWriter) Close() error {
	err := fw.w.Close()
	if err != nil {
		fw.pw.CloseWithError(err)
	} else {
		fw.pw.Close()
	}
	if perr := <-fw.done; err == nil && perr != nil {
		err = perr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", fw.key, err)
	}
	return nil
}

// Abort drops the file: the pipe fails, so Put stores nothing.
func (fw *FileWriter) Abort() {
	fw.pw.CloseWithError(fmt.Errorf("write %s: aborted", fw.key))
	<-fw.done
}

// WriteBatch writes the events of one log batch, whose sequence numbers
// span r, as one part file per hour partition, and returns the keys in
// order. It is idempotent: a retry of the same batch rewrites the same
// keys with the same rows. The caller acknowledges the batch in the log
// only after WriteBatch returns nil.
func WriteBatch(ctx context.Context, store music.BlobStore, r SeqRange, events []plays.Event, opts WriterOptions) ([]string, error) {
	if r.First > r.Last {
		return nil, music.Errorf(music.EINVALID, "lake batch: sequence range %d-%d is reversed", r.First, r.Last)
	}
	order := make([]int32, len(events))
	for i := range order {
		order[i] = int32(i)
	}
	// Group by hour, keeping log order inside an hour (stable sort).
	hour := func(i int32) int64 { return floorDiv(events[i].PlayedAt, 3_600_000) }
	slices.SortStableFunc(order, func(a, b int32) int { return int(hour(a) - hour(b)) })
	var keys []string
	buf := make([]plays.Event, 0, 1024)
	for start := 0; start < len(order); {
		end := start
		for end < len(order) && hour(order[end]) == hour(order[start]) {
			end++
		}
		key := FileKey(PartitionOf(events[order[start]].PlayedAt), r)
		fw := NewFileWriter(ctx, store, key, opts)
		for i := start; i < end; i++ {
			buf = append(buf, events[order[i]])
			if len(buf) == cap(buf) || i == end-1 {
				if err := fw.Write(buf); err != nil {
					fw.Abort()
					return keys, err
				}
				buf = buf[:0]
			}
		}
		if err := fw.Close(); err != nil {
			return keys, err
		}
		keys = append(keys, key)
		start = end
	}
	return keys, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
