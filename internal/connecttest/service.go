package connecttest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/shuffle"
)

// Library is an in-memory connect.Tracks: tracks t1…tN of 200 s each and
// albums of them.
type Library struct {
	ByID   map[string]connect.TrackInfo
	Albums map[string][]string
}

// NewLibrary makes n tracks (t1…tn, artist a(i%3), 200 s) and album:all.
func NewLibrary(n int) *Library {
	l := &Library{ByID: map[string]connect.TrackInfo{}, Albums: map[string][]string{}}
	for i := 1; i <= n; i++ {
		id := fmt.Sprint("t", i)
		l.ByID[id] = connect.TrackInfo{ID: id, DurationMS: 200000, Track: shuffle.Track{ArtistID: fmt.Sprint("a", i%3)}}
		l.Albums["album:all"] = append(l.Albums["album:all"], id)
	}
	return l
}

// Tracks implements connect.Tracks.
func (l *Library) Tracks(ctx context.Context, u *music.User, ids []string) ([]connect.TrackInfo, error) {
	out := make([]connect.TrackInfo, len(ids))
	for i, id := range ids {
		t, ok := l.ByID[id]
		if !ok {
			return nil, music.Errorf(music.ENOTFOUND, "no track %q", id)
		}
		out[i] = t
	}
	return out, nil
}

// Context implements connect.Tracks.
func (l *Library) Context(ctx context.Context, u *music.User, uri string, limit int) ([]connect.TrackInfo, error) {
	ids, ok := l.Albums[uri]
	if !ok {
		return nil, music.Errorf(music.ENOTFOUND, "no %s", uri)
	}
	if len(ids) > limit {
		return nil, music.Errorf(music.EUNPROCESSABLE, "%s has %d tracks, at most %d", uri, len(ids), limit)
	}
	return l.Tracks(ctx, u, ids)
}

// world is two serving processes (services on the two store handles).
type world struct {
	t      *testing.T
	clock  *Clock
	lib    *Library
	a, b   *connect.Service
	stores [2]connect.PlayerStore
}

func newWorld(t *testing.T, be Backend) *world {
	clock := NewClock()
	sa, sb := be.Pair(t, clock.Now)
	lib := NewLibrary(12)
	w := &world{t: t, clock: clock, lib: lib, stores: [2]connect.PlayerStore{sa, sb}}
	seed := uint64(0)
	for i, s := range []connect.PlayerStore{sa, sb} {
		svc := connect.New(s, lib)
		svc.Now = clock.Now
		svc.Rand = func() uint64 { seed += 0x9e3779b97f4a7c15; return seed + uint64(i) }
		if i == 0 {
			w.a = svc
		} else {
			w.b = svc
		}
	}
	return w
}

var (
	premium = &music.User{ID: "u-premium", Name: "pam", Role: music.RoleListener, Country: "GB", Plan: music.PlanPremium}
	free    = &music.User{ID: "u-free", Name: "fred", Role: music.RoleListener, Country: "GB", Plan: music.PlanFree}
	other   = &music.User{ID: "u-other", Name: "mallory", Role: music.RoleListener, Country: "GB", Plan: music.PlanPremium}
)

// RunService runs the service tests: devices on two processes, commands
// through either.
func RunService(t *testing.T, be Backend) {
	tests := []struct {
		name string
		fn   func(w *world)
	}{
		{"TransferAcrossProcesses", testTransfer},
		{"TransferToAMissingDevice", testTransferMissing},
		{"FreeSecondPlayPausesFirst", testFreeTier},
		{"PremiumPlaysBeside", testPremiumBeside},
		{"QueueChangeReachesEveryDevice", testQueueFanOut},
		{"NextPreviousEndedRepeat", testSkipping},
		{"ShuffleOrderInState", testShuffleState},
		{"SeekBounds", testSeek},
		{"QueueAndRequestLimits", testLimits},
		{"BadMessages", testBadMessages},
		{"HeartbeatTimeout", testHeartbeatTimeout},
		{"HeartbeatFlood", testHeartbeatFlood},
		{"ReplacedConnection", testReplaced},
		{"GoodbyeAndDrop", testGoodbyeAndDrop},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(newWorld(t, be)) })
	}
}

func (w *world) state(u *music.User) *connect.PlayerState {
	w.t.Helper()
	st, err := w.a.State(bg, u)
	if err != nil {
		w.t.Fatal(err)
	}
	return st
}

func (w *world) must(ev *connect.PlayerEvent, err error) *connect.PlayerEvent {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	return ev
}

func testTransfer(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	laptop := Connect(t, w.b, premium, "laptop")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", ContextURI: "album:all"}))
	first := phone.Command(connect.ActionPlay)
	if first.Command.TrackID != "t1" || first.Command.PositionMS != 0 || first.Command.SessionID == "" {
		t.Fatalf("phone play command: %+v", *first.Command)
	}
	w.clock.Advance(30250 * time.Millisecond)
	ev := w.must(w.b.Transfer(bg, premium, "laptop", false))
	got := laptop.Command(connect.ActionPlay)
	if got.Command.TrackID != "t1" || got.Command.PositionMS != 30250 || got.Command.SessionID == first.Command.SessionID ||
		got.Version != ev.State.Version {
		t.Errorf("laptop after transfer: %+v version %d; want t1 at 30250 ms in a new session, version %d", *got.Command, got.Version, ev.State.Version)
	}
	paused := phone.Command(connect.ActionPause)
	if paused.Version != ev.State.Version || paused.State.Device.ID != "laptop" || paused.State.ProgressMS != 30250 {
		t.Errorf("phone after transfer: %+v", paused)
	}
	st := w.state(premium)
	if st.DeviceID != "laptop" || st.SessionID != got.Command.SessionID || !st.Playing || connect.PositionAt(st, w.clock.Now()) != 30250 {
		t.Errorf("state after transfer: %+v", st)
	}
	// Transfer of a paused player moves it without playing, unless asked.
	w.must(w.a.Pause(bg, premium, ""))
	laptop.Command(connect.ActionPause)
	w.must(w.a.Transfer(bg, premium, "phone", false))
	laptop.Command(connect.ActionPause)
	phone.Quiet(100 * time.Millisecond)
	w.must(w.a.Transfer(bg, premium, "laptop", true))
	if c := laptop.Command(connect.ActionPlay); c.Command.PositionMS != 30250 {
		t.Errorf("transfer with play: %+v", *c.Command)
	}
}

func testTransferMissing(w *world) {
	t := w.t
	Connect(t, w.a, premium, "phone")
	Connect(t, w.a, other, "mallory-phone")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", ContextURI: "album:all"}))
	before := w.state(premium).Version
	for _, id := range []string{"nope", "mallory-phone", ""} {
		_, err := w.b.Transfer(bg, premium, id, true)
		wantCode(t, "transfer to "+id, err, music.ENOTFOUND)
		_, err = w.b.Play(bg, premium, connect.PlayRequest{DeviceID: id + "x"})
		wantCode(t, "play on "+id+"x", err, music.ENOTFOUND)
	}
	if st := w.state(premium); st.Version != before || st.DeviceID != "phone" {
		t.Errorf("a failed transfer changed the state: %+v", st)
	}
	if st := w.state(other); st.Version != 1 { // only mallory's own registration
		t.Errorf("mallory's state changed: version %d", st.Version)
	}
	// An expired device is gone too.
	w.clock.Advance(connect.DeviceExpiry + time.Second)
	_, err := w.a.Transfer(bg, premium, "phone", true)
	wantCode(t, "transfer to an expired device", err, music.ENOTFOUND)
}

func testFreeTier(w *world) {
	t := w.t
	phone := Connect(t, w.a, free, "free-phone")
	laptop := Connect(t, w.b, free, "free-laptop")
	w.must(w.a.Play(bg, free, connect.PlayRequest{DeviceID: "free-phone", ContextURI: "album:all"}))
	session := phone.Command(connect.ActionPlay).Command.SessionID
	// The laptop's own play button: the server pauses the phone.
	laptop.SendJSON(map[string]any{"type": "playing", "track_id": "t5", "position_ms": 1000})
	p := phone.Command(connect.ActionPause)
	if p.State.Device.ID != "free-laptop" || p.State.Item.ID != "t5" || !p.State.IsPlaying || p.State.SessionID == session {
		t.Errorf("phone told to pause with state %+v", p.State)
	}
	st := w.state(free)
	if st.DeviceID != "free-laptop" || st.TrackID != "t5" || len(st.AlsoPlaying) != 0 {
		t.Errorf("free state: %+v", st)
	}
	// And a REST play on the phone pauses the laptop.
	w.must(w.b.Play(bg, free, connect.PlayRequest{DeviceID: "free-phone", URIs: []string{"track:t2"}}))
	laptop.Command(connect.ActionPause)
	phone.Command(connect.ActionPlay)
}

func testPremiumBeside(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	laptop := Connect(t, w.b, premium, "laptop")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", ContextURI: "album:all"}))
	phone.Command(connect.ActionPlay)
	laptop.SendJSON(map[string]any{"type": "playing", "track_id": "t5", "position_ms": 0})
	ev := phone.Until("also_playing", func(m connect.ServerMessage) bool {
		return m.State != nil && slices.Contains(m.State.AlsoPlaying, "laptop")
	})
	if ev.Command != nil || ev.State.Device.ID != "phone" || !ev.State.IsPlaying {
		t.Errorf("premium: the phone should play on: %+v", ev)
	}
	w.must(w.a.Pause(bg, premium, "laptop"))
	laptop.Command(connect.ActionPause)
	if st := w.state(premium); len(st.AlsoPlaying) != 0 || !st.Playing {
		t.Errorf("after pausing the laptop: %+v", st)
	}
}

func testQueueFanOut(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	laptop := Connect(t, w.b, premium, "laptop")
	for i, svc := range []*connect.Service{w.a, w.b} {
		ev := w.must(svc.AddToQueue(bg, premium, fmt.Sprint("track:t", 3+i)))
		for _, d := range []*Device{phone, laptop} {
			if m := d.Version(ev.State.Version); m.State.QueueLength != i+1 {
				t.Errorf("%s after queue add %d through process %d: queue_length %d", d.ID, i+1, i, m.State.QueueLength)
			}
		}
	}
	_, err := w.a.AddToQueue(bg, premium, "track:nope")
	wantCode(t, "queue an unknown track", err, music.ENOTFOUND)
	_, err = w.a.AddToQueue(bg, premium, "album:all")
	wantCode(t, "queue an album URI", err, music.EINVALID)
}

func testSkipping(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	w.lib.Albums["album:three"] = []string{"t1", "t2", "t3"}
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", ContextURI: "album:three", OffsetIndex: ptr(1)}))
	expect := func(track string) {
		t.Helper()
		if c := phone.Command(connect.ActionPlay); c.Command.TrackID != track {
			t.Fatalf("playing %s, want %s", c.Command.TrackID, track)
		}
	}
	expect("t2")
	w.must(w.a.AddToQueue(bg, premium, "track:t9"))
	w.must(w.b.Next(bg, premium))
	expect("t9") // the queue comes first
	phone.SendJSON(map[string]any{"type": "ended", "track_id": "t9"})
	expect("t3")
	phone.SendJSON(map[string]any{"type": "ended", "track_id": "t1"}) // stale
	if m := phone.Until("error", func(m connect.ServerMessage) bool { return m.Type == connect.MsgError }); m.Code != music.EUNPROCESSABLE {
		t.Errorf("stale ended: %+v", m)
	}
	phone.SendJSON(map[string]any{"type": "ended", "track_id": "t3"})
	if c := phone.Command(connect.ActionPause); c.State.IsPlaying {
		t.Errorf("end of the album without repeat should stop: %+v", c.State)
	}
	w.must(w.a.SetRepeat(bg, premium, connect.RepeatContext))
	w.must(w.a.Next(bg, premium))
	expect("t1") // wrapped
	w.must(w.a.Previous(bg, premium))
	expect("t3") // wraps back under repeat context
	w.clock.Advance(5 * time.Second)
	w.must(w.a.Previous(bg, premium))
	if c := phone.Command(connect.ActionPlay); c.Command.TrackID != "t3" || c.Command.PositionMS != 0 {
		t.Errorf("previous after 5 s should restart: %+v", *c.Command)
	}
	w.must(w.a.SetRepeat(bg, premium, connect.RepeatTrack))
	phone.SendJSON(map[string]any{"type": "ended", "track_id": "t3"})
	if c := phone.Command(connect.ActionPlay); c.Command.TrackID != "t3" || c.Command.PositionMS != 0 {
		t.Errorf("repeat track: %+v", *c.Command)
	}
	_, err := w.a.SetRepeat(bg, premium, "forever")
	wantCode(t, "repeat forever", err, music.EINVALID)
	q, err := w.b.Queue(bg, premium)
	if err != nil || q.Current == nil || q.Current.ID != "t3" {
		t.Fatalf("queue: %+v, %v", q, err)
	}
}

func ptr[T any](v T) *T { return &v }

func testShuffleState(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", ContextURI: "album:all", OffsetIndex: ptr(4)}))
	phone.Command(connect.ActionPlay)
	ev := w.must(w.b.SetShuffle(bg, premium, true))
	st := ev.State
	if !st.Shuffle || st.ShuffleSeed == 0 || len(st.Order) != 12 || st.Order[0] != 4 || st.Index != 0 || st.TrackID != "t5" {
		t.Fatalf("shuffled state: %+v", st)
	}
	infos, _ := w.lib.Tracks(bg, premium, st.Tracks)
	if want := connect.ShuffledOrder(infos, st.ShuffleSeed, 4); !slices.Equal(want, st.Order) {
		t.Errorf("stored order %v is not the seed's order %v", st.Order, want)
	}
	// A device that joins now sees the same seed.
	late := Connect(t, w.b, premium, "late")
	if late.Welcome.State.ShuffleSeed != st.ShuffleSeed || !late.Welcome.State.ShuffleState {
		t.Errorf("late device welcome: %+v", late.Welcome.State)
	}
	q, err := w.a.Queue(bg, premium)
	if err != nil || len(q.Next) != 11 || q.Next[0].ID != st.Tracks[st.Order[1]] {
		t.Errorf("up next under shuffle: %+v, %v", q, err)
	}
	w.must(w.a.Next(bg, premium))
	want := st.Tracks[st.Order[1]]
	if c := phone.Command(connect.ActionPlay); c.Command.TrackID != want {
		t.Errorf("next under shuffle played %s, want %s", c.Command.TrackID, want)
	}
	ev = w.must(w.a.SetShuffle(bg, premium, false))
	if ev.State.Shuffle || ev.State.Order != nil || ev.State.Tracks[ev.State.Index] != want {
		t.Errorf("unshuffled: index %d of %v, want at %s", ev.State.Index, ev.State.Tracks, want)
	}
}

func testSeek(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	_, err := w.a.Seek(bg, premium, 1000)
	wantCode(t, "seek with nothing playing", err, music.ENOTFOUND)
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", URIs: []string{"t1"}}))
	phone.Command(connect.ActionPlay)
	before := w.state(premium).Version
	_, err = w.b.Seek(bg, premium, 200000)
	wantCode(t, "seek to the end", err, music.EUNPROCESSABLE)
	_, err = w.b.Seek(bg, premium, -1)
	wantCode(t, "seek before the start", err, music.EINVALID)
	if v := w.state(premium).Version; v != before {
		t.Errorf("failed seeks changed the version %d → %d", before, v)
	}
	w.must(w.b.Seek(bg, premium, 199000))
	if c := phone.Command(connect.ActionSeek); c.Command.PositionMS != 199000 {
		t.Errorf("seek command: %+v", *c.Command)
	}
	_, err = w.a.Play(bg, premium, connect.PlayRequest{URIs: []string{"t1"}, PositionMS: ptr(int64(250000))})
	wantCode(t, "play past the end", err, music.EUNPROCESSABLE)
}

func testLimits(w *world) {
	t := w.t
	Connect(t, w.a, premium, "phone")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", URIs: []string{"t1"}}))
	// 999 entries in one write, the 1,000th through the service.
	w.must(w.stores[1].UpdateState(bg, premium.ID, func(st *connect.PlayerState) (connect.StateChange, error) {
		for len(st.Queue) < connect.MaxQueue-1 {
			st.Queue = append(st.Queue, "t2")
		}
		return connect.StateChange{}, nil
	}))
	w.must(w.a.AddToQueue(bg, premium, "track:t2"))
	_, err := w.b.AddToQueue(bg, premium, "track:t3")
	wantCode(t, "the 1,001st queue entry", err, music.EUNPROCESSABLE)
	for _, n := range []int{connect.MaxURIs + 1, 10000} {
		uris := make([]string, n)
		for i := range uris {
			uris[i] = "track:t1"
		}
		_, err = w.a.Play(bg, premium, connect.PlayRequest{URIs: uris})
		wantCode(t, fmt.Sprint("play ", n, " uris"), err, music.EINVALID)
	}
	big := make([]string, connect.MaxContext+1)
	for i := range big {
		big[i] = "t1"
	}
	w.lib.Albums["album:huge"] = big
	_, err = w.a.Play(bg, premium, connect.PlayRequest{ContextURI: "album:huge"})
	wantCode(t, "a context over the limit", err, music.EUNPROCESSABLE)
	_, err = w.a.Play(bg, premium, connect.PlayRequest{URIs: []string{"t1", "nope"}})
	wantCode(t, "an unknown track", err, music.ENOTFOUND)
	_, err = w.a.Play(bg, premium, connect.PlayRequest{URIs: []string{"album:x"}})
	wantCode(t, "an album in uris", err, music.EINVALID)
	_, err = w.a.Play(bg, premium, connect.PlayRequest{ContextURI: "album:all", URIs: []string{"t1"}})
	wantCode(t, "context and uris", err, music.EINVALID)
	_, err = w.a.Play(bg, premium, connect.PlayRequest{ContextURI: "album:all", OffsetIndex: ptr(12)})
	wantCode(t, "offset past the end", err, music.EINVALID)
	_, err = w.a.Play(bg, premium, connect.PlayRequest{ContextURI: "album:all", OffsetURI: "track:t99"})
	wantCode(t, "offset not in the context", err, music.EUNPROCESSABLE)
}

func testBadMessages(w *world) {
	t := w.t
	alice := Connect(t, w.a, premium, "alice-phone")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "alice-phone", URIs: []string{"t1"}}))
	alice.Command(connect.ActionPlay)
	before := w.state(premium).Version
	cases := []struct {
		name string
		msgs []string
		code int
	}{
		{"not JSON", []string{"{nope"}, connect.CloseBadMessage},
		{"unknown type", []string{`{"type":"reboot"}`}, connect.CloseBadMessage},
		{"unknown field", []string{`{"type":"heartbeat","x":1}`}, connect.CloseBadMessage},
		{"register twice", []string{`{"type":"register","device":{"device_id":"m2","name":"M","type":"web"}}`}, connect.CloseBadMessage},
		{"ended without track", []string{`{"type":"ended"}`}, connect.CloseBadMessage},
		{"negative position", []string{`{"type":"paused","position_ms":-5}`}, connect.CloseBadMessage},
	}
	for _, c := range cases {
		d := Connect(t, w.b, other, "m-"+strings.ReplaceAll(c.name, " ", "-"))
		for _, m := range c.msgs {
			d.Send([]byte(m))
		}
		if got := d.WaitClosed(); got != c.code {
			t.Errorf("%s: closed with %d (%s), want %d", c.name, got, d.CloseReason(), c.code)
		}
	}
	// Before registering.
	for name, first := range map[string]string{
		"heartbeat first": `{"type":"heartbeat"}`,
		"bad device id":   `{"type":"register","device":{"device_id":"no spaces","name":"M","type":"web"}}`,
		"bad device type": `{"type":"register","device":{"device_id":"m9","name":"M","type":"toaster"}}`,
	} {
		d := &Device{t: t, ID: name, p: newPipe(), done: make(chan struct{})}
		go func() { defer close(d.done); w.a.ServeDevice(bg, other, d.p) }()
		d.Send([]byte(first))
		if got := d.WaitClosed(); got != connect.CloseBadMessage {
			t.Errorf("%s: closed with %d, want %d", name, got, connect.CloseBadMessage)
		}
	}
	// Alice's device id, from mallory's account.
	stolen := Connect(t, w.b, other, "alice-phone")
	if got := stolen.WaitClosed(); got != connect.CloseForbidden {
		t.Errorf("another user's device id: closed with %d, want %d", got, connect.CloseForbidden)
	}
	if st := w.state(premium); st.Version != before || st.DeviceID != "alice-phone" || !st.Playing {
		t.Errorf("mallory's bad input changed alice's state: %+v", st)
	}
	alice.Quiet(50 * time.Millisecond)
}

func testHeartbeatTimeout(w *world) {
	w.a.HeartbeatTimeout = 150 * time.Millisecond
	d := Connect(w.t, w.a, premium, "sleepy")
	if d.Welcome.ExpiryMS != 150 {
		w.t.Errorf("welcome expiry_ms %d", d.Welcome.ExpiryMS)
	}
	if got := d.WaitClosed(); got != connect.CloseTimeout {
		w.t.Errorf("silent device closed with %d, want %d", got, connect.CloseTimeout)
	}
}

func testHeartbeatFlood(w *world) {
	d := Connect(w.t, w.a, premium, "flood")
	other := Connect(w.t, w.a, premium, "calm")
	before := w.state(premium).Version
	for range 25 { // the fake clock stands still: no refill
		d.Send([]byte(`{"type":"heartbeat"}`))
	}
	if got := d.WaitClosed(); got != connect.CloseRateLimited {
		w.t.Errorf("flood closed with %d, want %d", got, connect.CloseRateLimited)
	}
	if st := w.state(premium); st.Version != before {
		w.t.Errorf("heartbeats changed the state version %d → %d", before, st.Version)
	}
	other.SendJSON(map[string]any{"type": "heartbeat"})
	if other.CloseCode() != 0 {
		w.t.Errorf("the calm device was closed")
	}
}

func testReplaced(w *world) {
	first := Connect(w.t, w.a, premium, "tablet")
	second := Connect(w.t, w.b, premium, "tablet")
	if got := first.WaitClosed(); got != connect.CloseReplaced {
		w.t.Errorf("first connection closed with %d, want %d", got, connect.CloseReplaced)
	}
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "tablet", URIs: []string{"t1"}}))
	second.Command(connect.ActionPlay)
}

func testGoodbyeAndDrop(w *world) {
	t := w.t
	phone := Connect(t, w.a, premium, "phone")
	laptop := Connect(t, w.b, premium, "laptop")
	w.must(w.a.Play(bg, premium, connect.PlayRequest{DeviceID: "phone", URIs: []string{"t1"}}))
	phone.Command(connect.ActionPlay)
	laptop.Drop()
	devs, _ := w.a.Devices(bg, premium)
	if len(devs) != 2 {
		t.Errorf("a dropped device should stay listed until it expires: %+v", devs)
	}
	phone.Goodbye()
	devs, _ = w.b.Devices(bg, premium)
	if len(devs) != 1 || devs[0].ID != "laptop" {
		t.Errorf("after the phone's goodbye: %+v", devs)
	}
	if st := w.state(premium); st.DeviceID != "" || st.Playing {
		t.Errorf("the active device left; the player should stop: %+v", st)
	}
}
