package friends

import (
	"context"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// Memory is the in-process ActivityStore of `musicctl up`: one entry per
// user who played in the last ActivityTTL. Entries past it are swept as
// new ones come, so memory stays bounded by the users active in a week.
type Memory struct {
	// Now is the clock (time.Now if nil).
	Now func() time.Time

	mu      sync.Mutex
	latest  map[string]music.Activity
	records int
}

var _ music.ActivityStore = (*Memory)(nil)

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{latest: map[string]music.Activity{}} }

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// sweepEvery is how many records pass between two sweeps of old entries.
const sweepEvery = 4096

// Record keeps a user's latest play; see music.ActivityStore.
func (m *Memory) Record(_ context.Context, a music.Activity) error {
	if err := a.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.latest[a.UserID]; !ok || !cur.PlayedAt.After(a.PlayedAt) {
		m.latest[a.UserID] = a
	}
	if m.records++; m.records%sweepEvery == 0 {
		cutoff := m.now().Add(-music.ActivityTTL)
		for id, cur := range m.latest {
			if cur.PlayedAt.Before(cutoff) {
				delete(m.latest, id)
			}
		}
	}
	return nil
}

// Latest reads entries; see music.ActivityStore.
func (m *Memory) Latest(_ context.Context, userIDs []string) ([]music.Activity, error) {
	if len(userIDs) > music.MaxActivityIDs {
		return nil, music.Errorf(music.EINVALID, "ids: want at most %d, got %d", music.MaxActivityIDs, len(userIDs))
	}
	cutoff := m.now().Add(-music.ActivityTTL)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []music.Activity{}
	for _, id := range userIDs {
		if a, ok := m.latest[id]; ok && !a.PlayedAt.Before(cutoff) {
			out = append(out, a)
		}
	}
	return out, nil
}

// Forget drops an entry; see music.ActivityStore.
func (m *Memory) Forget(_ context.Context, userID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.latest, userID)
	return nil
}
