package music

import (
	"context"
	"time"
)

// IdempotentAnswer is what an IdempotencyStore keeps for one
// Idempotency-Key: the hash of the request body that first used it and,
// once that request has finished, the answer a retry gets again.
type IdempotentAnswer struct {
	BodyHash [32]byte            `json:"body_hash"`
	Done     bool                `json:"done"` // false while the first request still runs
	Status   int                 `json:"status,omitempty"`
	Header   map[string][]string `json:"header,omitempty"`
	Body     []byte              `json:"body,omitempty"`
}

// Size is what the answer costs a user's budget, in bytes.
func (a IdempotentAnswer) Size() int {
	n := len(a.Body)
	for k, vs := range a.Header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// IdempotencyStore keeps the answers of retry-safe POSTs per user, so a
// retry returns the first answer instead of acting twice, whichever
// serving process it reaches. Keys are scoped by the caller (user, route,
// client key); each user has a byte budget so one caller cannot fill the
// store.
type IdempotencyStore interface {
	// Claim starts a request under key. When the key is new it is taken
	// (prior is nil) and kept for ttl; otherwise prior is what the key
	// holds (Done false while its first request runs). A user over budget
	// gets ERATELIMIT; an unreachable store EUNAVAILABLE.
	Claim(ctx context.Context, user, key string, bodyHash [32]byte, ttl time.Duration) (prior *IdempotentAnswer, err error)
	// Keep stores the finished answer of a claimed key.
	Keep(ctx context.Context, user, key string, answer IdempotentAnswer) error
	// Release forgets a claimed key, so the next request with it runs
	// for real (used after a server fault).
	Release(ctx context.Context, user, key string) error
}
