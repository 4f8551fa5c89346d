package natslog

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/testwait"
)

// steal takes up to n deliveries of the lake writer's consumer named name
// and never acknowledges them, as a dropped connection would leave them:
// delivered as far as the server knows, never received by the writer.
func steal(l *Log, name string, n int, wait time.Duration) (int, error) {
	ctx := context.Background()
	c, err := l.js.Consumer(ctx, l.stream, name)
	if err != nil {
		return 0, err
	}
	got, err := c.Fetch(n, jetstream.FetchMaxWait(wait))
	if err != nil {
		return 0, err
	}
	stolen := 0
	for range got.Messages() {
		stolen++
	}
	return stolen, nil
}

func mustSteal(t *testing.T, l *Log, name string, n int) {
	t.Helper()
	got, err := steal(l, name, n, time.Second)
	if err != nil || got != n {
		t.Fatalf("stole %d deliveries (%v), want %d", got, err, n)
	}
}

func appendEvents(t *testing.T, l *Log, n int, prefix string) {
	t.Helper()
	for _, e := range events(n, prefix) {
		if _, err := l.Append(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCollectNoticesLostDeliveries: deliveries the writer never received,
// at the head of a batch or after its last message, fail the batch.
func TestCollectNoticesLostDeliveries(t *testing.T) {
	opts := WriterOptions{MaxEvents: 100, FlushEvery: 200 * time.Millisecond, Exclusive: true}
	opts.defaults()
	ctx := context.Background()

	t.Run("a gap", func(t *testing.T) {
		_, l := embedded(t)
		appendEvents(t, l, 10, "gap")
		cons, committed, err := freshConsumer(ctx, l.js, l.stream, l.subject, 200)
		if err != nil {
			t.Fatal(err)
		}
		mustSteal(t, l, cons.CachedInfo().Name, 3)
		_, err = collect(ctx, &reader{cons: cons}, committed, opts)
		if !errors.Is(err, errLostDelivery) || !strings.Contains(err.Error(), "delivery 4 arrived after 0") {
			t.Fatalf("collect after 3 lost deliveries: %v, want errLostDelivery naming delivery 4", err)
		}
	})

	t.Run("the tail", func(t *testing.T) {
		_, l := embedded(t)
		appendEvents(t, l, 5, "head")
		cons, committed, err := freshConsumer(ctx, l.js, l.stream, l.subject, 200)
		if err != nil {
			t.Fatal(err)
		}
		rd := &reader{cons: cons}
		b, err := collect(ctx, rd, committed, opts)
		if err != nil || len(b.events) != 5 {
			t.Fatalf("first batch: %v events, err %v; want 5, nil", batchLen(b), err)
		}
		appendEvents(t, l, 3, "tail")
		mustSteal(t, l, cons.CachedInfo().Name, 3)
		_, err = collect(ctx, rd, b.r.Last, opts)
		if !errors.Is(err, errLostDelivery) || !strings.Contains(err.Error(), "made 8 deliveries, 5 arrived") {
			t.Fatalf("collect after the tail was lost: %v, want errLostDelivery (8 made, 5 arrived)", err)
		}
	})
}

func batchLen(b *batch) int {
	if b == nil {
		return -1
	}
	return len(b.events)
}

// TestLakeWriterRecoversLostDeliveries: deliveries lost between the
// server and the running writer still reach the lake, once each, and
// promptly (not after AckWait), because the writer replays from its
// committed position instead of acknowledging past them.
func TestLakeWriterRecoversLostDeliveries(t *testing.T) {
	_, l := embedded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.RunLakeWriter(ctx, store, WriterOptions{MaxEvents: 5, FlushEvery: 100 * time.Millisecond, Exclusive: true})
	}()
	ev := events(40, "lost")
	for _, e := range ev[:20] {
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if ids := waitLake(t, store, 20); len(ids) != 20 {
		t.Fatalf("lake holds %d events before the theft, want 20", len(ids))
	}
	name := writerConsumer(t, l)
	type theft struct {
		n   int
		err error
	}
	stolen := make(chan theft, 1)
	go func() {
		n, err := steal(l, name, 3, 5*time.Second)
		stolen <- theft{n, err}
	}()
	time.Sleep(200 * time.Millisecond) // the thief's pull waits beside the writer's
	for _, e := range ev[20:] {
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if got := testwait.Recv(t, stolen, 10*time.Second, "the thief's fetch"); got.err != nil || got.n == 0 {
		t.Fatalf("the thief received %d deliveries (%v): nothing was lost, so the test proves nothing", got.n, got.err)
	}
	started := time.Now()
	ids := waitLake(t, store, len(ev))
	t.Logf("all %d events in the lake %v after the loss", len(ev), time.Since(started).Round(time.Millisecond))
	cancel()
	testwait.Recv(t, stopped, writerStopTimeout, "the lake writer's return after cancel")
	checkExactlyOnce(t, ids, ev)
}

// writerConsumer names the lake writer's current consumer generation.
func writerConsumer(t *testing.T, l *Log) string {
	t.Helper()
	s, err := l.js.Stream(context.Background(), l.stream)
	if err != nil {
		t.Fatal(err)
	}
	names := s.ConsumerNames(context.Background())
	for n := range names.Name() {
		if strings.HasPrefix(n, consumerPrefix) {
			return n
		}
	}
	t.Fatalf("no lake writer consumer on %s (%v)", l.stream, names.Err())
	return ""
}
