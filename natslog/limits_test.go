package natslog

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmusic/music/filestore"
)

// TestSecurityDedupScopedPerUser: an event_id deduplicates one user's
// retries only; another user's event with the same event_id (guessed, or
// read off a shared device) is stored, not swallowed as a duplicate.
func TestSecurityDedupScopedPerUser(t *testing.T) {
	_, l := embedded(t)
	ctx := context.Background()
	a := events(1, "same")[0]
	b := a
	b.UserID = "someone-else"
	for i, tc := range []struct {
		who  string
		dup  bool
		user string
	}{{"alice", false, a.UserID}, {"another user, same event_id", false, b.UserID}, {"alice's retry", true, a.UserID}} {
		e := a
		e.UserID = tc.user
		dup, err := l.Append(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if dup != tc.dup {
			t.Errorf("append %d (%s): duplicate=%v, want %v", i, tc.who, dup, tc.dup)
		}
	}
	if n, _ := l.Count(ctx); n != 2 {
		t.Errorf("stream holds %d events, want 2 (one per user)", n)
	}
}

func TestStreamLimitsNeverShrink(t *testing.T) {
	for _, tc := range []struct {
		haveR int
		haveB int64
		wantR int
		wantB int64
		gotR  int
		gotB  int64
		why   string
	}{
		{3, 1 << 30, 3, 1 << 20, 3, 1 << 30, "restart with a smaller cap keeps the storage"},
		{1, 1 << 20, 3, 1 << 30, 3, 1 << 30, "growing is applied"},
		{1, -1, 1, 1 << 20, 1, -1, "an unlimited stream stays unlimited"},
		{1, 1 << 20, 1, -1, 1, -1, "asking for no limit lifts it"},
	} {
		r, b, err := streamLimits(tc.haveR, tc.haveB, tc.wantR, tc.wantB)
		if err != nil || r != tc.gotR || b != tc.gotB {
			t.Errorf("%s: have %d/%d, want %d/%d: got %d/%d, want %d/%d", tc.why, tc.haveR, tc.haveB, tc.wantR, tc.wantB, r, b, tc.gotR, tc.gotB)
		}
	}
}

// TestFewerReplicasRefused: a process asking for fewer replicas than the
// stream has is misconfigured, and says so instead of starting.
func TestFewerReplicasRefused(t *testing.T) {
	_, _, err := streamLimits(3, -1, 1, -1)
	if !errors.Is(err, ErrReplicas) || !strings.Contains(err.Error(), "the stream has 3 replicas, this process asks for 1") {
		t.Fatalf("got %v", err)
	}
}

// TestReplicasBeyondTheServerRefused: a single server cannot hold a stream
// of 3 replicas, and the error says so.
func TestReplicasBeyondTheServerRefused(t *testing.T) {
	srv, l := embedded(t)
	l.Close()
	_, err := srv.Connect(context.Background(), Options{Stream: "WIDE", Replicas: 3})
	if !errors.Is(err, ErrReplicas) || !strings.Contains(err.Error(), "3 replicas asked for") {
		t.Fatalf("got %v", err)
	}
}

// TestSecurityMaxBytesNotShrunkOnRestart: a stream opened with a storage
// cap keeps it when a later process opens it with a smaller one.
func TestSecurityMaxBytesNotShrunkOnRestart(t *testing.T) {
	srv, l := embedded(t)
	ctx := context.Background()
	l.Close()
	big, err := srv.Connect(ctx, Options{Stream: "CAPPED", MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	big.Close()
	small, err := srv.Connect(ctx, Options{Stream: "CAPPED", MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	s, err := small.js.Stream(ctx, small.stream)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config.MaxBytes; got != 1<<30 {
		t.Errorf("stream MaxBytes after a restart asking for 1 MiB: %d, want the 1 GiB it had", got)
	}
}

// TestLakeLag: the lag counts what the lake writer has not committed, and
// falls to zero once it has.
func TestLakeLag(t *testing.T) {
	_, l := embedded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, e := range events(40, "lag") {
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := l.Lag(ctx); err != nil || n != 40 {
		t.Fatalf("lag before any writer: %d, %v; want 40", n, err)
	}
	store, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.RunLakeWriter(ctx, store, WriterOptions{FlushEvery: 100 * time.Millisecond, Exclusive: true, ID: "t"})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := l.Lag(ctx)
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lag still %d (%v) 20s after the writer started", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	wg.Wait()
}
