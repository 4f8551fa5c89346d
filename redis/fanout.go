package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/openmusic/music/connect"
	goredis "github.com/redis/go-redis/v9"
)

// subscribeTimeout bounds the wait for Redis to confirm a subscription.
const subscribeTimeout = 5 * time.Second

// fanout is the store's one pub/sub connection: it subscribes to a user's
// channel while this process has a subscriber for the user, and hands
// each published event to them in order.
type fanout struct {
	s    *PlayerStore
	ps   *goredis.PubSub
	done chan struct{}

	mu        sync.Mutex
	subs      map[string]map[int]func(connect.PlayerEvent) // channel → subscribers
	confirmed map[string]bool
	waiters   map[string][]chan struct{}
	next      int
}

func (s *PlayerStore) fanoutConn(ctx context.Context) *fanout {
	s.fanMu.Lock()
	defer s.fanMu.Unlock()
	if s.fan == nil {
		f := &fanout{s: s, ps: s.c.Subscribe(context.WithoutCancel(ctx)), done: make(chan struct{}),
			subs: map[string]map[int]func(connect.PlayerEvent){}, confirmed: map[string]bool{}, waiters: map[string][]chan struct{}{}}
		go f.run()
		s.fan = f
	}
	return s.fan
}

// Subscribe delivers the user's events from the moment Redis confirms
// the subscription. Events carry the state without its track list and
// order. After the pub/sub connection was lost and restored, the current
// state is delivered as an event of its own (events published while it
// was down are gone; the state is not). See connect.PlayerStore.
func (s *PlayerStore) Subscribe(ctx context.Context, userID string, deliver func(connect.PlayerEvent)) (func(), error) {
	f := s.fanoutConn(ctx)
	ch := s.userKey(userID, "events")
	f.mu.Lock()
	first := len(f.subs[ch]) == 0
	if first {
		f.subs[ch] = map[int]func(connect.PlayerEvent){}
	}
	f.next++
	id := f.next
	f.subs[ch][id] = deliver
	var wait chan struct{}
	if !f.confirmed[ch] {
		wait = make(chan struct{})
		f.waiters[ch] = append(f.waiters[ch], wait)
	}
	f.mu.Unlock()
	cancel := func() { f.unsubscribe(ch, id) }
	if first {
		if err := f.ps.Subscribe(ctx, ch); err != nil {
			cancel()
			return nil, storeErr("subscribe", err)
		}
	}
	if wait != nil {
		select {
		case <-wait:
		case <-time.After(subscribeTimeout):
			cancel()
			return nil, storeErr("subscribe", context.DeadlineExceeded)
		case <-ctx.Done():
			cancel()
			return nil, storeErr("subscribe", ctx.Err())
		}
	}
	return cancel, nil
}

func (f *fanout) unsubscribe(ch string, id int) {
	f.mu.Lock()
	delete(f.subs[ch], id)
	last := len(f.subs[ch]) == 0
	if last {
		delete(f.subs, ch)
		delete(f.confirmed, ch)
	}
	f.mu.Unlock()
	if last {
		ctx, cancel := context.WithTimeout(context.Background(), subscribeTimeout)
		defer cancel()
		_ = f.ps.Unsubscribe(ctx, ch) // a lost connection unsubscribes anyway
	}
}

// run dispatches until the pub/sub connection is closed.
func (f *fanout) run() {
	defer close(f.done)
	for m := range f.ps.ChannelWithSubscriptions() {
		switch m := m.(type) {
		case *goredis.Subscription:
			if m.Kind == "subscribe" {
				f.confirm(m.Channel)
			}
		case *goredis.Message:
			var ev connect.PlayerEvent
			if err := json.Unmarshal([]byte(m.Payload), &ev); err != nil {
				continue // not ours; nothing a subscriber could do with it
			}
			f.dispatch(m.Channel, ev)
		}
	}
}

// confirm wakes the subscribers waiting for ch; a confirmation of a
// channel that was already live is a resubscription after a lost
// connection, and the subscribers get the current state.
func (f *fanout) confirm(ch string) {
	f.mu.Lock()
	resync := f.confirmed[ch] && len(f.waiters[ch]) == 0
	f.confirmed[ch] = true
	for _, w := range f.waiters[ch] {
		close(w)
	}
	delete(f.waiters, ch)
	f.mu.Unlock()
	if !resync {
		return
	}
	userID, ok := f.userOf(ch)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), subscribeTimeout)
	defer cancel()
	st, err := f.s.State(ctx, userID)
	if err != nil {
		return // the next change brings the state anyway
	}
	f.dispatch(ch, wireEvent(connect.PlayerEvent{UserID: userID, State: *st}))
}

func (f *fanout) userOf(ch string) (string, bool) {
	rest, ok := strings.CutPrefix(ch, f.s.prefix+"session:{")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, "}:events")
}

func (f *fanout) dispatch(ch string, ev connect.PlayerEvent) {
	f.mu.Lock()
	subs := f.subs[ch]
	ids := make([]int, 0, len(subs))
	for id := range subs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	fns := make([]func(connect.PlayerEvent), len(ids))
	for i, id := range ids {
		fns[i] = subs[id]
	}
	f.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

func (f *fanout) close() error {
	err := f.ps.Close()
	select {
	case <-f.done:
	case <-time.After(subscribeTimeout):
		return fmt.Errorf("redis fan-out did not stop")
	}
	return err
}
