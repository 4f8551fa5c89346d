package redis

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
)

// ownRedis runs a redis-server of this test alone on a free port, with
// the append-only file fsynced on every write (the configuration
// docs/connect.md asks for), so it can be killed and restarted without
// touching the machine's Redis.
type ownRedis struct {
	t    *testing.T
	dir  string
	port int
	cmd  *exec.Cmd
}

func startOwnRedis(t *testing.T) *ownRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("no redis-server binary (make redis installs it)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := &ownRedis{t: t, dir: t.TempDir(), port: port}
	r.start()
	t.Cleanup(func() { r.kill() })
	return r
}

func (r *ownRedis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *ownRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", fmt.Sprint(r.port), "--dir", r.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no", "--loglevel", "warning")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", r.port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("own redis-server on %d not up in 10 s", r.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill is kill -9.
func (r *ownRedis) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
	}
}

// TestRedisRestartKeepsAcknowledgedChanges: kill -9 Redis after a run of
// acknowledged changes, restart it on the same files, and every
// acknowledged change is there; changes while it is down fail with
// EUNAVAILABLE (so nothing is acknowledged that is not stored); the
// fan-out resubscribes and hands subscribers the current state.
func TestRedisRestartKeepsAcknowledgedChanges(t *testing.T) {
	r := startOwnRedis(t)
	ctx := context.Background()
	c1, err := Open(ctx, r.url())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := Open(ctx, r.url())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	writer, reader := NewPlayerStore(c1, "", nil), NewPlayerStore(c2, "", nil)
	defer writer.Close()
	defer reader.Close()
	events := make(chan connect.PlayerEvent, 1000)
	cancel, err := reader.Subscribe(ctx, "u1", func(ev connect.PlayerEvent) { events <- ev })
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()

	const n = 200
	var acked int64
	for i := range n {
		ev, err := writer.UpdateState(ctx, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
			st.PositionMS++
			st.Queue = append(st.Queue, fmt.Sprint("t", i))
			return connect.StateChange{}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		acked = ev.State.Version
	}
	r.kill()
	_, err = writer.UpdateState(ctx, "u1", func(st *connect.PlayerState) (connect.StateChange, error) { return connect.StateChange{}, nil })
	if music.ErrorCode(err) != music.EUNAVAILABLE {
		t.Errorf("a change while Redis is down: %v (code %q), want %s", err, music.ErrorCode(err), music.EUNAVAILABLE)
	}
	r.start()

	st, err := writer.State(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != acked || st.PositionMS != n || len(st.Queue) != n {
		t.Errorf("after kill -9 and restart: version %d, %d changes, queue %d; acknowledged version %d, %d changes", st.Version, st.PositionMS, len(st.Queue), acked, n)
	}
	// The subscriber is back: it gets the current state, then new events.
	if _, err := writer.UpdateState(ctx, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
		st.TrackID = "after-restart"
		return connect.StateChange{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.State.TrackID == "after-restart" {
				if ev.State.Version != acked+1 {
					t.Errorf("first change after the restart has version %d, want %d", ev.State.Version, acked+1)
				}
				return
			}
		case <-deadline:
			t.Fatal("no event after the restart within 15 s")
		}
	}
}
