package lake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/plays"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// sampleEvents makes n events spread over the given hours after t0.
func sampleEvents(n, hours int) []plays.Event {
	ev := make([]plays.Event, n)
	for i := range ev {
		ev[i] = plays.Event{
			EventID:            fmt.Sprintf("e%06d", i),
			UserID:             fmt.Sprintf("u%d", i%7),
			TrackID:            fmt.Sprintf("t%d", i%13),
			SessionID:          fmt.Sprintf("s%d", i%5),
			DeviceID:           "d1",
			PlayedAt:           t0.Add(time.Duration(i%hours)*time.Hour + time.Duration(i)*100*time.Millisecond).UnixMilli(),
			ReceivedAt:         t0.Add(time.Duration(hours) * time.Hour).UnixMilli(),
			DurationListenedMs: int64(i * 1000),
			Completed:          i%3 == 0,
			Quality:            "160kbps",
			Territory:          []string{"DE", "FR"}[i%2],
			UserCreatedAt:      t0.Add(-time.Duration(i%7) * time.Hour).UnixMilli(),
		}
	}
	return ev
}

func readAll(t *testing.T, store music.BlobStore, prefix string) []plays.Event {
	t.Helper()
	ctx := context.Background()
	files, err := ListFiles(ctx, store, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var out []plays.Event
	buf := make([]plays.Event, 7)
	for _, fi := range files {
		f, err := OpenFile(ctx, store, fi.Key)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rr := f.Rows()
		for {
			n, err := rr.Read(buf)
			out = append(out, buf[:n]...)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rr.Close()
	}
	return out
}

func byID(ev []plays.Event) map[string]plays.Event {
	m := map[string]plays.Event{}
	for _, e := range ev {
		m[e.EventID] = e
	}
	return m
}

func TestWriteBatchRoundTripAndRetry(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, t.TempDir())
	ev := sampleEvents(1000, 3)
	keys, err := WriteBatch(ctx, store, SeqRange{1, 1000}, ev, WriterOptions{RowGroupRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"lake/playback/date=2026-03-01/hour=10/part-00000000000000000001-00000000000000001000.parquet",
		"lake/playback/date=2026-03-01/hour=11/part-00000000000000000001-00000000000000001000.parquet",
		"lake/playback/date=2026-03-01/hour=12/part-00000000000000000001-00000000000000001000.parquet",
	}
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Fatalf("keys:\n%s\nwant:\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
	}
	// A retried flush of the same batch rewrites the same keys.
	if _, err := WriteBatch(ctx, store, SeqRange{1, 1000}, ev, WriterOptions{RowGroupRows: 100}); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, store, Prefix)
	if len(got) != len(ev) {
		t.Fatalf("read %d rows, want %d", len(got), len(ev))
	}
	m := byID(got)
	for _, e := range ev {
		if m[e.EventID] != e {
			t.Fatalf("row %s: got %+v want %+v", e.EventID, m[e.EventID], e)
		}
		if PartitionOf(e.PlayedAt) != PartitionOf(m[e.EventID].PlayedAt) {
			t.Fatal("partition mismatch")
		}
	}
}

func TestScanColumnsMatchesRows(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, t.TempDir())
	ev := sampleEvents(5000, 1)
	keys, err := WriteBatch(ctx, store, SeqRange{7, 9}, ev, WriterOptions{RowGroupRows: 1500})
	if err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(ctx, store, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cols Columns
	i, groups := 0, 0
	err = f.ScanColumns(ctx, &cols, func(c *Columns) error {
		groups++
		for r := 0; r < c.Rows; r++ {
			e := ev[i]
			got := plays.Event{
				UserID: string(c.User.Entry(int(c.User.Idx[r]))), TrackID: string(c.Track.Entry(int(c.Track.Idx[r]))),
				SessionID: string(c.Session.Entry(int(c.Session.Idx[r]))), Territory: string(c.Territory.Entry(int(c.Territory.Idx[r]))),
				PlayedAt: c.PlayedAt[r], UserCreatedAt: c.UserCreatedAt[r], DurationListenedMs: c.Duration[r], Completed: c.Completed[r],
			}
			w := plays.Event{UserID: e.UserID, TrackID: e.TrackID, SessionID: e.SessionID, Territory: e.Territory, PlayedAt: e.PlayedAt,
				UserCreatedAt: e.UserCreatedAt, DurationListenedMs: e.DurationListenedMs, Completed: e.Completed}
			if got != w {
				return fmt.Errorf("row %d: got %+v want %+v", i, got, w)
			}
			i++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if i != len(ev) || groups != 4 {
		t.Fatalf("scanned %d rows in %d groups, want %d in 4", i, groups, len(ev))
	}
}

func TestListFilesSupersedesAndRejectsOverlap(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, t.TempDir())
	ev := sampleEvents(10, 1)
	// A crashed flush wrote seqs 1..6; the retry after restart got 1..10.
	for _, r := range []SeqRange{{1, 6}, {1, 10}, {11, 20}} {
		if _, err := WriteBatch(ctx, store, r, ev[:r.Last-r.First+1], WriterOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := ListFiles(ctx, store, Prefix)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Range != (SeqRange{1, 10}) || files[1].Range != (SeqRange{11, 20}) {
		t.Fatalf("live files %+v", files)
	}
	if _, err := WriteBatch(ctx, store, SeqRange{5, 15}, ev, WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = ListFiles(ctx, store, Prefix)
	if music.ErrorCode(err) != music.ECONFLICT || !strings.Contains(err.Error(), "part-00000000000000000005-00000000000000000015") {
		t.Fatalf("overlap: got %v", err)
	}
}

func TestCompactCrashSafeAndIdempotent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := openStore(t, dir)
	ev := sampleEvents(3000, 2)
	for b := 0; b < 6; b++ {
		r := SeqRange{uint64(b*500 + 1), uint64(b*500 + 500)}
		if _, err := WriteBatch(ctx, store, r, ev[b*500:b*500+500], WriterOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return t0.Add(5 * time.Hour) }
	// Simulate a crash after the merged file was written: put the merged
	// file in place by hand while keeping the inputs.
	crash := openStore(t, dir)
	files, _ := ListFiles(ctx, crash, Prefix)
	var res CompactResult
	if err := mergeFilesNoDelete(ctx, crash, files[:6], &res); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, store, Prefix); len(got) != len(ev) || len(byID(got)) != len(ev) {
		t.Fatalf("after crash: %d rows (%d distinct), want %d", len(got), len(byID(got)), len(ev))
	}
	r1, err := Compact(ctx, store, Prefix, CompactOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(r1.Written) != 1 || r1.Deleted != 12 {
		t.Fatalf("compact: %+v", r1)
	}
	got := readAll(t, store, Prefix)
	if len(got) != len(ev) || len(byID(got)) != len(ev) {
		t.Fatalf("after compact: %d rows", len(got))
	}
	files, _ = ListFiles(ctx, store, Prefix)
	if len(files) != 2 {
		t.Fatalf("want one file per partition, got %+v", files)
	}
	r2, err := Compact(ctx, store, Prefix, CompactOptions{Now: now})
	if err != nil || r2.Deleted != 0 || len(r2.Written) != 0 {
		t.Fatalf("second compact: %+v %v", r2, err)
	}
	// Too-young partitions are left alone.
	if r, _ := Compact(ctx, store, Prefix, CompactOptions{Now: func() time.Time { return t0 }}); r.Partitions != 0 {
		t.Fatalf("young partitions compacted: %+v", r)
	}
}

// mergeFilesNoDelete is mergeFiles stopped before deleting its inputs.
func mergeFilesNoDelete(ctx context.Context, store music.BlobStore, in []FileInfo, res *CompactResult) error {
	var part []FileInfo
	for _, f := range in {
		if f.Partition == in[0].Partition {
			part = append(part, f)
		}
	}
	return mergeFiles(ctx, noDelete{store}, part, WriterOptions{}, res)
}

type noDelete struct{ music.BlobStore }

func (noDelete) Delete(context.Context, string) error { return nil }

func TestCorruptFileFailsLoudly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := openStore(t, dir)
	keys, err := WriteBatch(ctx, store, SeqRange{1, 1}, sampleEvents(2000, 1), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.FromSlash(keys[0]))
	data, _ := os.ReadFile(p)
	for name, mutate := range map[string]func([]byte) []byte{
		"flipped byte in pages": func(b []byte) []byte { c := bytes.Clone(b); c[len(c)/3] ^= 0xff; return c },
		"truncated":             func(b []byte) []byte { return b[:len(b)/2] },
		"not parquet":           func([]byte) []byte { return []byte("hello world, not parquet at all") },
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(p, mutate(data), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := OpenFile(ctx, store, keys[0])
			if err == nil {
				var cols Columns
				err = f.ScanColumns(ctx, &cols, func(*Columns) error { return nil })
				f.Close()
			}
			if err == nil || !strings.Contains(err.Error(), keys[0]) {
				t.Fatalf("want an error naming %s, got %v", keys[0], err)
			}
		})
	}
}

func TestParseFileKey(t *testing.T) {
	for _, k := range []string{
		"lake/playback/date=2026-13-01/hour=00/part-00000000000000000001-00000000000000000002.parquet",
		"lake/playback/date=2026-01-01/hour=24/part-00000000000000000001-00000000000000000002.parquet",
		"lake/playback/date=2026-01-01/hour=00/part-00000000000000000003-00000000000000000002.parquet",
		"lake/playback/date=2026-01-01/hour=00/part-1-2.parquet",
		"lake/playback/date=2026-01-01/hour=00/x.parquet",
		"other/key",
	} {
		if _, _, err := ParseFileKey(k); err == nil {
			t.Errorf("%s: accepted", k)
		}
	}
	p, r, err := ParseFileKey(FileKey(PartitionOf(t0.UnixMilli()), SeqRange{3, 99}))
	if err != nil || !p.Hour.Equal(t0) || r != (SeqRange{3, 99}) {
		t.Fatalf("round trip: %v %v %v", p, r, err)
	}
}

// openStore opens a real file blob store in dir.
func openStore(t testing.TB, dir string) music.BlobStore {
	t.Helper()
	s, err := filestore.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rangeOnly hides filestore's OpenFile, so reads go through GetRange as
// they do on S3.
type rangeOnly struct{ music.BlobStore }

func TestReadThroughGetRange(t *testing.T) {
	ctx := context.Background()
	store := openStore(t, t.TempDir())
	ev := sampleEvents(3000, 2)
	if _, err := WriteBatch(ctx, store, SeqRange{1, 3000}, ev, WriterOptions{RowGroupRows: 500}); err != nil {
		t.Fatal(err)
	}
	got := byID(readAll(t, rangeOnly{store}, Prefix))
	if len(got) != len(ev) {
		t.Fatalf("read %d rows, want %d", len(got), len(ev))
	}
	for _, e := range ev {
		if got[e.EventID] != e {
			t.Fatalf("row %s differs", e.EventID)
		}
	}
}
