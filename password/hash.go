package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"sync"

	"golang.org/x/crypto/argon2"
)

// MaxConcurrent is how many hashes a process computes at once; more
// callers wait their turn (or give up when their context ends).
const MaxConcurrent = 4

// Length bounds of a password, in bytes. Argon2 costs the same for any
// length, but a bound keeps request bodies small.
const (
	MinLen = 8
	MaxLen = 1024
)

var slots = make(chan struct{}, MaxConcurrent)

// derive computes the argon2id key of pw under p, holding a slot.
func derive(ctx context.Context, pw string, p PHC) ([]byte, error) {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-slots }()
	return argon2.IDKey([]byte(pw), p.Salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(p.Key))), nil
}

// Check says whether pw is an acceptable new password: MinLen to MaxLen
// bytes. The error names the field "password".
func Check(pw string) error {
	if len(pw) < MinLen || len(pw) > MaxLen {
		return fmt.Errorf("password: %d bytes, want %d to %d", len(pw), MinLen, MaxLen)
	}
	return nil
}

// Hash returns the PHC string of pw with a fresh 16-byte salt and the
// Default parameters.
func Hash(ctx context.Context, pw string) (string, error) {
	if err := Check(pw); err != nil {
		return "", err
	}
	p := PHC{Params: Default, Salt: make([]byte, 16), Key: make([]byte, 32)}
	if _, err := rand.Read(p.Salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key, err := derive(ctx, pw, p)
	if err != nil {
		return "", err
	}
	p.Key = key
	return p.String(), nil
}

// Verify reports whether pw matches the PHC string phc, comparing in
// constant time. A phc that does not parse is an error.
func Verify(ctx context.Context, pw, phc string) (bool, error) {
	p, err := Parse(phc)
	if err != nil {
		return false, err
	}
	tooLong := len(pw) > MaxLen
	if tooLong {
		pw = pw[:MaxLen] // still costs one hash, and never matches
	}
	key, err := derive(ctx, pw, p)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(key, p.Key) == 1 && !tooLong, nil
}

var (
	dummyOnce sync.Once
	dummy     string
	dummyErr  error
)

// VerifyNobody spends what Verify of a Default hash spends and returns
// false: the answer for an account that does not exist or has no
// password, so such a sign-in costs the same as a wrong password.
func VerifyNobody(ctx context.Context, pw string) (bool, error) {
	dummyOnce.Do(func() {
		dummy, dummyErr = Hash(context.Background(), "no account has this password")
	})
	if dummyErr != nil {
		return false, dummyErr
	}
	_, err := Verify(ctx, pw, dummy)
	return false, err
}
