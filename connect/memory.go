package connect

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// ownerTTL is how long a device ID stays its user's after its last use.
const ownerTTL = 30 * 24 * time.Hour

// Memory is the player store of a single process (musicctl up): the
// PlayerStore contract in memory, with no Redis. Fan-out is a direct
// call to this process's subscribers.
type Memory struct {
	Now func() time.Time

	mu      sync.Mutex
	users   map[string]*memUser
	owners  map[string]memOwner // device ID → owner
	tickets map[string]memTicket
	nextSub int
}

type memUser struct {
	mu      sync.Mutex // serialises UpdateState, so events go out in version order
	state   PlayerState
	devices map[string]Device
	subs    map[int]func(PlayerEvent)
}

type memOwner struct {
	userID string
	until  time.Time
}

type memTicket struct {
	user    music.User
	expires time.Time
}

// NewMemory returns an empty in-process store on the real clock.
func NewMemory() *Memory {
	return &Memory{Now: time.Now, users: map[string]*memUser{}, owners: map[string]memOwner{}, tickets: map[string]memTicket{}}
}

func (m *Memory) user(id string) *memUser {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		u = &memUser{devices: map[string]Device{}, subs: map[int]func(PlayerEvent){}}
		m.users[id] = u
	}
	return u
}

// Devices returns the user's live devices. See PlayerStore.
func (m *Memory) Devices(ctx context.Context, userID string, now time.Time) ([]Device, error) {
	u := m.user(userID)
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []Device
	for id, d := range u.devices {
		if now.Sub(d.LastSeen) > DeviceExpiry {
			delete(u.devices, id)
			continue
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// PutDevice registers or refreshes a device. See PlayerStore.
func (m *Memory) PutDevice(ctx context.Context, userID string, d Device) error {
	now := m.Now()
	m.mu.Lock()
	o, ok := m.owners[d.ID]
	if ok && o.userID != userID && now.Before(o.until) {
		m.mu.Unlock()
		return music.Errorf(music.EFORBIDDEN, "device %s belongs to another user", d.ID)
	}
	m.owners[d.ID] = memOwner{userID: userID, until: now.Add(ownerTTL)}
	m.mu.Unlock()
	u := m.user(userID)
	u.mu.Lock()
	u.devices[d.ID] = d
	u.mu.Unlock()
	return nil
}

// RemoveDevice drops a device from the user's set. See PlayerStore.
func (m *Memory) RemoveDevice(ctx context.Context, userID, deviceID string) error {
	u := m.user(userID)
	u.mu.Lock()
	delete(u.devices, deviceID)
	u.mu.Unlock()
	return nil
}

// State returns a copy of the user's state. See PlayerStore.
func (m *Memory) State(ctx context.Context, userID string) (*PlayerState, error) {
	u := m.user(userID)
	u.mu.Lock()
	defer u.mu.Unlock()
	st := cloneState(u.state)
	return &st, nil
}

// UpdateState changes the state under the user's lock and calls every
// subscriber before returning. See PlayerStore.
func (m *Memory) UpdateState(ctx context.Context, userID string, change func(*PlayerState) (StateChange, error)) (*PlayerEvent, error) {
	u := m.user(userID)
	u.mu.Lock()
	defer u.mu.Unlock()
	st := cloneState(u.state)
	sc, err := change(&st)
	if err != nil {
		return nil, err
	}
	st.Version = u.state.Version + 1
	u.state = st
	ev := PlayerEvent{UserID: userID, State: cloneState(st), StateChange: sc}
	for _, id := range sortedKeys(u.subs) {
		u.subs[id](ev)
	}
	return &ev, nil
}

// Subscribe registers deliver for the user's events. See PlayerStore.
func (m *Memory) Subscribe(ctx context.Context, userID string, deliver func(PlayerEvent)) (func(), error) {
	u := m.user(userID)
	m.mu.Lock()
	m.nextSub++
	id := m.nextSub
	m.mu.Unlock()
	u.mu.Lock()
	u.subs[id] = deliver
	u.mu.Unlock()
	return func() {
		u.mu.Lock()
		delete(u.subs, id)
		u.mu.Unlock()
	}, nil
}

// PutTicket stores a one-time ticket. See PlayerStore.
func (m *Memory) PutTicket(ctx context.Context, hash string, u music.User, ttl time.Duration) error {
	now := m.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, t := range m.tickets { // keep memory bounded by live tickets
		if !now.Before(t.expires) {
			delete(m.tickets, h)
		}
	}
	m.tickets[hash] = memTicket{user: u, expires: now.Add(ttl)}
	return nil
}

// TakeTicket redeems a ticket once. See PlayerStore.
func (m *Memory) TakeTicket(ctx context.Context, hash string) (*music.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tickets[hash]
	delete(m.tickets, hash)
	if !ok || !m.Now().Before(t.expires) {
		return nil, music.Errorf(music.EUNAUTHORIZED, "connect ticket is unknown, used or expired")
	}
	return &t.user, nil
}

// cloneState copies st deeply enough that the copy's slices are its own.
func cloneState(st PlayerState) PlayerState {
	st.Tracks = slices.Clone(st.Tracks)
	st.Order = slices.Clone(st.Order)
	st.Queue = slices.Clone(st.Queue)
	st.AlsoPlaying = slices.Clone(st.AlsoPlaying)
	return st
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
