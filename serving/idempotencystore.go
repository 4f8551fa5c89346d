package serving

import (
	"context"
	"sync"
	"time"

	music "github.com/openmusic/music"
)

// DefaultIdempotencyBudget is how many bytes of kept answers (and claims)
// one user may hold at once.
const DefaultIdempotencyBudget = 1 << 20

// claimCost is what a claim costs a budget before its answer is known:
// the bookkeeping of a key, so that a flood of keys with empty answers is
// bounded too.
const claimCost = 64

// MemoryIdempotency is a music.IdempotencyStore in this process: right
// for one serving process, and the fallback while a shared one is down.
type MemoryIdempotency struct {
	budget int
	now    func() time.Time

	mu        sync.Mutex
	users     map[string]*userAnswers
	lastSweep time.Time
}

type userAnswers struct {
	used    int // bytes charged: claimCost per key plus its answer
	answers map[string]*keptAnswer
}

type keptAnswer struct {
	music.IdempotentAnswer
	expires time.Time
}

var _ music.IdempotencyStore = (*MemoryIdempotency)(nil)

// NewMemoryIdempotency returns an empty store with a per-user byte budget
// (DefaultIdempotencyBudget when budget <= 0), on clock now (time.Now when
// nil).
func NewMemoryIdempotency(budget int, now func() time.Time) *MemoryIdempotency {
	if budget <= 0 {
		budget = DefaultIdempotencyBudget
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryIdempotency{budget: budget, now: now, users: map[string]*userAnswers{}}
}

// Claim implements music.IdempotencyStore.
func (m *MemoryIdempotency) Claim(_ context.Context, user, key string, bodyHash [32]byte, ttl time.Duration) (*music.IdempotentAnswer, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweep(now)
	u := m.users[user]
	if u == nil {
		u = &userAnswers{answers: map[string]*keptAnswer{}}
		m.users[user] = u
	}
	if a, ok := u.answers[key]; ok {
		if now.Before(a.expires) {
			prior := a.IdempotentAnswer
			return &prior, nil
		}
		u.forget(key)
	}
	if u.used+claimCost > m.budget {
		return nil, music.Errorf(music.ERATELIMIT, "%s: too many kept answers for this user (budget %d bytes)", IdempotencyHeader, m.budget)
	}
	u.answers[key] = &keptAnswer{IdempotentAnswer: music.IdempotentAnswer{BodyHash: bodyHash}, expires: now.Add(ttl)}
	u.used += claimCost
	return nil, nil
}

// Keep implements music.IdempotencyStore. An answer larger than the room
// left in the budget is not kept: the key is released and ERATELIMIT
// returned.
func (m *MemoryIdempotency) Keep(_ context.Context, user, key string, answer music.IdempotentAnswer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.users[user]
	if u == nil || u.answers[key] == nil {
		return music.Errorf(music.ENOTFOUND, "%s: no claim to keep an answer for", IdempotencyHeader)
	}
	a := u.answers[key]
	size := answer.Size()
	if u.used-a.Size()+size > m.budget {
		u.forget(key)
		return music.Errorf(music.ERATELIMIT, "%s: an answer of %d bytes does not fit the user's budget", IdempotencyHeader, size)
	}
	u.used += size - a.Size()
	a.IdempotentAnswer = answer
	a.Done = true
	return nil
}

// Release implements music.IdempotencyStore.
func (m *MemoryIdempotency) Release(_ context.Context, user, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if u := m.users[user]; u != nil {
		u.forget(key)
	}
	return nil
}

func (u *userAnswers) forget(key string) {
	if a, ok := u.answers[key]; ok {
		u.used -= claimCost + a.Size()
		delete(u.answers, key)
	}
}

// sweep drops expired answers, at most once a second so a busy server
// does not walk the whole map per request; called with mu held.
func (m *MemoryIdempotency) sweep(now time.Time) {
	if now.Sub(m.lastSweep) < time.Second {
		return
	}
	m.lastSweep = now
	for id, u := range m.users {
		for key, a := range u.answers {
			if !now.Before(a.expires) {
				u.forget(key)
			}
		}
		if len(u.answers) == 0 {
			delete(m.users, id)
		}
	}
}

// FallbackIdempotency uses Shared (Redis, say) and, while it does not
// answer, Local: a retry that crosses processes during an outage may run
// twice, but no request waits on or fails for the shared store.
type FallbackIdempotency struct {
	Shared, Local music.IdempotencyStore
}

var _ music.IdempotencyStore = FallbackIdempotency{}

func unavailable(err error) bool { return err != nil && music.ErrorCode(err) == music.EUNAVAILABLE }

// Claim implements music.IdempotencyStore.
func (f FallbackIdempotency) Claim(ctx context.Context, user, key string, bodyHash [32]byte, ttl time.Duration) (*music.IdempotentAnswer, error) {
	prior, err := f.Shared.Claim(ctx, user, key, bodyHash, ttl)
	if unavailable(err) {
		return f.Local.Claim(ctx, user, key, bodyHash, ttl)
	}
	return prior, err
}

// Keep implements music.IdempotencyStore: the answer goes where the claim
// went, so it tries both.
func (f FallbackIdempotency) Keep(ctx context.Context, user, key string, answer music.IdempotentAnswer) error {
	serr := f.Shared.Keep(ctx, user, key, answer)
	lerr := f.Local.Keep(ctx, user, key, answer)
	if serr == nil || lerr == nil {
		return nil
	}
	return serr
}

// Release implements music.IdempotencyStore.
func (f FallbackIdempotency) Release(ctx context.Context, user, key string) error {
	f.Local.Release(ctx, user, key)
	return f.Shared.Release(ctx, user, key)
}
