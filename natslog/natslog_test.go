package natslog

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/testwait"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

var t0 = time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)

// events makes n valid events over two hours (two partitions).
func events(n int, prefix string) []plays.Event {
	out := make([]plays.Event, n)
	for i := range out {
		played := t0.Add(time.Duration(i%2)*time.Hour + time.Duration(i)*time.Millisecond)
		out[i] = plays.Event{
			EventID: fmt.Sprintf("%s-%06d", prefix, i), UserID: fmt.Sprintf("u%d", i%5), TrackID: fmt.Sprintf("t%d", i%11),
			SessionID: "s1", DeviceID: "d1", PlayedAt: played.UnixMilli(), ReceivedAt: played.Add(time.Minute).UnixMilli(),
			DurationListenedMs: 45_000, Quality: "320kbps", Territory: "GB", UserCreatedAt: t0.AddDate(-1, 0, 0).UnixMilli(),
		}
	}
	return out
}

// embedded starts an in-process server in a temp dir and opens the log.
func embedded(t *testing.T) (*Embedded, *Log) {
	t.Helper()
	srv, err := StartEmbedded(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	l, err := srv.Connect(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return srv, l
}

// external opens the log on this machine's nats-server (127.0.0.1:4222)
// with a stream of its own, removed afterwards.
func external(t *testing.T) *Log {
	t.Helper()
	url := os.Getenv("MUSIC_NATS_URL")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name := fmt.Sprintf("TEST_%d", time.Now().UnixNano())
	l, err := Connect(ctx, url, Options{Stream: name})
	if err != nil {
		t.Fatalf("external nats at %s (this machine runs one): %v", url, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = l.js.DeleteStream(ctx, name)
		_ = l.js.DeleteKeyValue(ctx, "music_lake_writer_"+name)
		l.Close()
	})
	return l
}

func TestAppendDeduplicatesEventID(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) *Log
	}{
		{"embedded", func(t *testing.T) *Log { _, l := embedded(t); return l }},
		{"external", external},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.open(t)
			ctx := context.Background()
			ev := events(3, tc.name)
			for i, e := range append(ev, ev[1]) {
				dup, err := l.Append(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				if want := i == 3; dup != want {
					t.Fatalf("append %d (%s): duplicate=%v, want %v", i, e.EventID, dup, want)
				}
			}
			info, err := l.js.Stream(ctx, l.stream)
			if err != nil {
				t.Fatal(err)
			}
			if n := info.CachedInfo().State.Msgs; n != 3 {
				t.Fatalf("stream holds %d messages, want 3", n)
			}
		})
	}
}

func TestAppendUnavailableWhenServerDown(t *testing.T) {
	srv, l := embedded(t)
	srv.Stop()
	_, err := l.Append(context.Background(), events(1, "down")[0])
	if music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Fatalf("append with the server down: %v, want code %s", err, music.EUNAVAILABLE)
	}
}

// lakeIDs counts how often each event_id is in the lake.
func lakeIDs(t *testing.T, store music.BlobStore) map[string]int {
	t.Helper()
	ids := map[string]int{}
	err := lake.Each(context.Background(), store, lake.Prefix, func(_ lake.FileInfo, rows []plays.Event) error {
		for _, e := range rows {
			ids[e.EventID]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// writerStopTimeout bounds how long a lake writer may take to return
// once its context has ended.
const writerStopTimeout = 30 * time.Second

// waitLake polls until the lake holds want distinct events.
func waitLake(t *testing.T, store music.BlobStore, want int) map[string]int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ids := lakeIDs(t, store)
		if len(ids) >= want || time.Now().After(deadline) {
			return ids
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func checkExactlyOnce(t *testing.T, ids map[string]int, want []plays.Event) {
	t.Helper()
	for _, e := range want {
		if ids[e.EventID] != 1 {
			t.Fatalf("%s is in the lake %d times, want 1", e.EventID, ids[e.EventID])
		}
	}
	if len(ids) != len(want) {
		t.Fatalf("lake holds %d distinct events, want %d", len(ids), len(want))
	}
}

// TestLakeWriterRecoversUnackedBatch plays a crash between the Parquet
// put and the ack: a batch's files are in the store but the log never
// heard of it. The restarted writer rewrites that batch (superseding its
// files) and every event ends up in the lake exactly once.
func TestLakeWriterRecoversUnackedBatch(t *testing.T) {
	for _, tc := range []struct {
		name      string
		open      func(t *testing.T) *Log
		exclusive bool
	}{
		{"embedded", func(t *testing.T) *Log { _, l := embedded(t); return l }, true},
		{"external", external, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.open(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			store, err := filestore.Open(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			ev := events(500, tc.name)
			for _, e := range ev[:300] {
				if _, err := l.Append(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			opts := WriterOptions{MaxEvents: 120, FlushEvery: 200 * time.Millisecond, Exclusive: tc.exclusive, ID: "test"}
			opts.defaults()

			// The crashed writer: one batch written, never acknowledged.
			cons, committed, err := freshConsumer(ctx, l.js, l.stream, l.subject, 2*opts.MaxEvents)
			if err != nil {
				t.Fatal(err)
			}
			b, err := collect(ctx, &reader{cons: cons}, committed, opts)
			if err != nil {
				t.Fatal(err)
			}
			if b.r.First != 1 || len(b.events) != 120 {
				t.Fatalf("first batch %d-%d with %d events, want 1-120 with 120", b.r.First, b.r.Last, len(b.events))
			}
			if err := writeBatch(ctx, store, b, opts); err != nil {
				t.Fatal(err)
			}

			stopped := make(chan struct{})
			go func() { defer close(stopped); l.RunLakeWriter(ctx, store, opts) }()
			for _, e := range append(ev[300:], ev[:10]...) { // with client retries
				if _, err := l.Append(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			ids := waitLake(t, store, len(ev))
			cancel()
			testwait.Recv(t, stopped, writerStopTimeout, "the lake writer's return after cancel")
			checkExactlyOnce(t, ids, ev)
			if _, err := lake.ListFiles(context.Background(), store, lake.Prefix); err != nil {
				t.Fatalf("lake after recovery: %v", err)
			}
		})
	}
}

// TestLakeWriterDeadLetters keeps a message that is not an event in the
// store, instead of dropping it or blocking the lake.
func TestLakeWriterDeadLetters(t *testing.T) {
	_, l := embedded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.js.Publish(ctx, l.subject, []byte(`{"event_id":`), jetstream.WithMsgID("junk")); err != nil {
		t.Fatal(err)
	}
	ev := events(5, "dl")
	for _, e := range ev {
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.RunLakeWriter(ctx, store, WriterOptions{FlushEvery: 100 * time.Millisecond, Exclusive: true})
	}()
	checkExactlyOnce(t, waitLake(t, store, len(ev)), ev)
	cancel()
	testwait.Recv(t, done, writerStopTimeout, "the lake writer's return after cancel")
	if _, err := store.Stat(context.Background(), fmt.Sprintf("%s%020d.json", DeadLetterPrefix, 1)); err != nil {
		t.Fatalf("dead letter for sequence 1: %v", err)
	}
}
