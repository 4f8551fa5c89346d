// Package connecttest is the conformance suite of connect.PlayerStore and of
// the Connect service on top of it. Every store runs it: connect.Memory
// (one process) and redis.PlayerStore (many). A backend hands out two
// handles on the same data, standing for two serving processes.
package connecttest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
)

// Backend opens stores for the suite.
type Backend struct {
	// Pair returns two handles on one fresh, empty store (two processes'
	// views of it). now is the clock a store uses for what it times itself
	// (tickets, device owners); the suite moves it.
	Pair func(t *testing.T, now func() time.Time) (a, b connect.PlayerStore)
}

// Clock is a settable test clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at a fixed instant.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// RunStore runs the store contract tests.
func RunStore(t *testing.T, b Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, clock *Clock, a, b connect.PlayerStore)
	}{
		{"StateVersions", testStateVersions},
		{"ConcurrentUpdatesAcrossProcesses", testConcurrentUpdates},
		{"FanOutAcrossProcesses", testFanOut},
		{"Devices", testDevices},
		{"DeviceOwners", testDeviceOwners},
		{"Tickets", testTickets},
		{"UsersAreIsolated", testIsolation},
		{"LargeState", testLargeState},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := NewClock()
			a, bb := b.Pair(t, clock.Now)
			tc.fn(t, clock, a, bb)
		})
	}
}

var bg = context.Background()

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := music.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func testStateVersions(t *testing.T, _ *Clock, a, _ connect.PlayerStore) {
	st, err := a.State(bg, "u1")
	if err != nil || st.Version != 0 || st.TrackID != "" {
		t.Fatalf("fresh state = %+v, %v; want version 0", st, err)
	}
	ev, err := a.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
		st.TrackID, st.Playing, st.DeviceID = "t1", true, "d1"
		return connect.StateChange{Commands: map[string]connect.PlayerCommand{"d1": {Action: connect.ActionPlay, TrackID: "t1"}}}, nil
	})
	if err != nil || ev.State.Version != 1 || ev.UserID != "u1" || ev.Commands["d1"].TrackID != "t1" {
		t.Fatalf("first update = %+v, %v", ev, err)
	}
	_, err = a.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
		st.TrackID = "t-bad"
		return connect.StateChange{}, music.Errorf(music.EUNPROCESSABLE, "no")
	})
	wantCode(t, "failing change", err, music.EUNPROCESSABLE)
	st, err = a.State(bg, "u1")
	if err != nil || st.Version != 1 || st.TrackID != "t1" || !st.Playing {
		t.Errorf("after a failed change: %+v, %v; want version 1 with t1 playing", st, err)
	}
	// The change sees the stored state and its version.
	_, err = a.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
		if st.Version != 1 || st.TrackID != "t1" {
			t.Errorf("change saw %+v, want version 1 with t1", st)
		}
		return connect.StateChange{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Many writers on two processes: no update is lost and versions count
// every one.
func testConcurrentUpdates(t *testing.T, _ *Clock, a, b connect.PlayerStore) {
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := s.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
					st.PositionMS++
					st.Queue = append(st.Queue, fmt.Sprint(w))
					return connect.StateChange{}, nil
				}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st, err := b.State(bg, "u1")
	if err != nil || st.PositionMS != writers*each || st.Version != writers*each || len(st.Queue) != writers*each {
		t.Errorf("after %d updates: position %d, version %d, queue %d, %v", writers*each, st.PositionMS, st.Version, len(st.Queue), err)
	}
}

// waitEvents collects n events from ch, failing after a bound.
func waitEvents(t *testing.T, ch <-chan connect.PlayerEvent, n int) []connect.PlayerEvent {
	t.Helper()
	var out []connect.PlayerEvent
	timeout := time.After(5 * time.Second)
	for len(out) < n {
		select {
		case ev := <-ch:
			out = append(out, ev)
		case <-timeout:
			t.Fatalf("got %d of %d events in 5 s", len(out), n)
		}
	}
	return out
}

func subscribe(t *testing.T, s connect.PlayerStore, user string) (<-chan connect.PlayerEvent, func()) {
	t.Helper()
	ch := make(chan connect.PlayerEvent, 100)
	cancel, err := s.Subscribe(bg, user, func(ev connect.PlayerEvent) { ch <- ev })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return ch, cancel
}

func testFanOut(t *testing.T, _ *Clock, a, b connect.PlayerStore) {
	onA, _ := subscribe(t, a, "u1")
	onB, cancelB := subscribe(t, b, "u1")
	otherOnB, _ := subscribe(t, b, "u2")
	for i := range 5 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if _, err := s.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
			st.TrackID = fmt.Sprint("t", i)
			return connect.StateChange{Commands: map[string]connect.PlayerCommand{"d1": {Action: connect.ActionPlay, TrackID: st.TrackID}},
				Registered: &connect.DeviceConnection{DeviceID: "d1", Conn: fmt.Sprint("c", i)}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for name, ch := range map[string]<-chan connect.PlayerEvent{"a": onA, "b": onB} {
		evs := waitEvents(t, ch, 5)
		for i, ev := range evs {
			want := fmt.Sprint("t", i)
			if ev.State.Version != int64(i+1) || ev.State.TrackID != want || ev.UserID != "u1" ||
				ev.Commands["d1"].TrackID != want || ev.Registered == nil || ev.Registered.Conn != fmt.Sprint("c", i) {
				t.Errorf("process %s event %d = %+v, want version %d playing %s", name, i, ev, i+1, want)
			}
		}
	}
	cancelB()
	if _, err := a.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) { return connect.StateChange{}, nil }); err != nil {
		t.Fatal(err)
	}
	waitEvents(t, onA, 1)
	select {
	case ev := <-onB:
		t.Errorf("cancelled subscriber got %+v", ev)
	case ev := <-otherOnB:
		t.Errorf("another user's subscriber got %+v", ev)
	case <-time.After(200 * time.Millisecond): // a delivery would have come by now
	}
}

func testDevices(t *testing.T, clock *Clock, a, b connect.PlayerStore) {
	now := clock.Now()
	for _, d := range []connect.Device{{ID: "phone", Name: "Phone", Type: "smartphone"}, {ID: "laptop", Name: "Laptop", Type: "computer"}} {
		d.LastSeen = now
		if err := a.PutDevice(bg, "u1", d); err != nil {
			t.Fatal(err)
		}
	}
	devs, err := b.Devices(bg, "u1", now)
	if err != nil || len(devs) != 2 || devs[0].ID != "laptop" || devs[1].ID != "phone" || devs[1].Name != "Phone" ||
		devs[1].Type != "smartphone" || !devs[1].LastSeen.Equal(now) {
		t.Fatalf("Devices = %+v, %v", devs, err)
	}
	// The phone heartbeats; the laptop goes quiet past the expiry.
	later := now.Add(connect.DeviceExpiry - time.Second)
	if err := b.PutDevice(bg, "u1", connect.Device{ID: "phone", Name: "Phone", Type: "smartphone", LastSeen: later}); err != nil {
		t.Fatal(err)
	}
	devs, err = a.Devices(bg, "u1", now.Add(connect.DeviceExpiry+time.Second))
	if err != nil || len(devs) != 1 || devs[0].ID != "phone" {
		t.Errorf("after the laptop's expiry: %+v, %v; want only the phone", devs, err)
	}
	// Forgotten, not just hidden: it does not come back at an earlier now.
	devs, _ = a.Devices(bg, "u1", now)
	if len(devs) != 1 {
		t.Errorf("expired device came back: %+v", devs)
	}
	if err := a.RemoveDevice(bg, "u1", "phone"); err != nil {
		t.Fatal(err)
	}
	if devs, err := b.Devices(bg, "u1", later); err != nil || len(devs) != 0 {
		t.Errorf("after RemoveDevice: %+v, %v", devs, err)
	}
	if devs, err := b.Devices(bg, "nobody", later); err != nil || len(devs) != 0 {
		t.Errorf("a user with no devices: %+v, %v", devs, err)
	}
}

func testDeviceOwners(t *testing.T, clock *Clock, a, b connect.PlayerStore) {
	d := connect.Device{ID: "shared-id", Name: "Mine", Type: "web", LastSeen: clock.Now()}
	if err := a.PutDevice(bg, "alice", d); err != nil {
		t.Fatal(err)
	}
	err := b.PutDevice(bg, "mallory", d)
	wantCode(t, "another user's device ID", err, music.EFORBIDDEN)
	if devs, _ := b.Devices(bg, "mallory", clock.Now()); len(devs) != 0 {
		t.Errorf("mallory got the device: %+v", devs)
	}
	// Removing it from the list keeps the ID the owner's.
	if err := a.RemoveDevice(bg, "alice", d.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "a removed device of another user", b.PutDevice(bg, "mallory", d), music.EFORBIDDEN)
	if err := b.PutDevice(bg, "alice", d); err != nil {
		t.Errorf("owner re-registering: %v", err)
	}
}

func testTickets(t *testing.T, clock *Clock, a, b connect.PlayerStore) {
	u := music.User{ID: "u1", Name: "alice", Role: music.RoleListener, Country: "GB", Plan: music.PlanFree}
	if err := a.PutTicket(bg, "h1", u, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	got, err := b.TakeTicket(bg, "h1")
	if err != nil || got.ID != "u1" || got.Plan != music.PlanFree || got.Country != "GB" || got.Role != music.RoleListener {
		t.Fatalf("TakeTicket = %+v, %v", got, err)
	}
	_, err = a.TakeTicket(bg, "h1")
	wantCode(t, "a used ticket", err, music.EUNAUTHORIZED)
	_, err = a.TakeTicket(bg, "never")
	wantCode(t, "an unknown ticket", err, music.EUNAUTHORIZED)

	if err := a.PutTicket(bg, "h2", u, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	time.Sleep(300 * time.Millisecond) // a store on a real clock (Redis TTL)
	_, err = b.TakeTicket(bg, "h2")
	wantCode(t, "an expired ticket", err, music.EUNAUTHORIZED)
}

func testIsolation(t *testing.T, clock *Clock, a, b connect.PlayerStore) {
	if _, err := a.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
		st.TrackID = "mine"
		return connect.StateChange{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	st, err := b.State(bg, "u2")
	if err != nil || st.Version != 0 || st.TrackID != "" {
		t.Errorf("u2 sees %+v, %v", st, err)
	}
	if err := a.PutDevice(bg, "u1", connect.Device{ID: "d", Name: "D", Type: "web", LastSeen: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if devs, _ := b.Devices(bg, "u2", clock.Now()); len(devs) != 0 {
		t.Errorf("u2 sees u1's devices: %+v", devs)
	}
}

// A 10,000-track context with its shuffled order round-trips whole.
func testLargeState(t *testing.T, _ *Clock, a, b connect.PlayerStore) {
	const n = 10000
	if _, err := a.UpdateState(bg, "u1", func(st *connect.PlayerState) (connect.StateChange, error) {
		st.Tracks = make([]string, n)
		st.Order = make([]int, n)
		for i := range n {
			st.Tracks[i] = fmt.Sprintf("track-%05d", i)
			st.Order[i] = n - 1 - i
		}
		st.Shuffle, st.ShuffleSeed = true, 1<<63+12345
		return connect.StateChange{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	st, err := b.State(bg, "u1")
	if err != nil || len(st.Tracks) != n || st.Tracks[n-1] != "track-09999" || st.Order[0] != n-1 || st.ShuffleSeed != 1<<63+12345 {
		t.Errorf("large state: %d tracks, seed %d, %v", len(st.Tracks), st.ShuffleSeed, err)
	}
}
