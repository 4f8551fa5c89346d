// Package accounttest is the conformance suite of music.Accounts
// (passwords and sessions), run on every backend (sqlstore on SQLite and
// PostgreSQL).
package accounttest

import (
	"context"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// Store is what the suite exercises: accounts, and the user store the
// accounts belong to.
type Store interface {
	music.Accounts
	music.UserStore
}

// Backend opens a fresh, empty store whose clock is now; it is closed
// when the test ends.
type Backend struct {
	Open func(t *testing.T, now func() time.Time) Store
}

// clock is a test clock the suite moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var epoch = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// Run runs every conformance test.
func Run(t *testing.T, b Backend) {
	open := func(t *testing.T) (Store, *clock) {
		c := &clock{t: epoch}
		return b.Open(t, c.now), c
	}
	t.Run("Passwords", func(t *testing.T) { s, _ := open(t); passwords(t, s) })
	t.Run("SessionLifetime", func(t *testing.T) { s, c := open(t); sessionLifetime(t, s, c) })
	t.Run("SessionsEnd", func(t *testing.T) { s, _ := open(t); sessionsEnd(t, s) })
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := music.ErrorCode(err); got != want {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

// The store keeps hashes as opaque strings; these look like what package
// password writes.
const (
	hashA = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	hashB = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0b3RoZXJzYQ$b3RoZXJrZXlvdGhlcmtleW90aGVya2V5b3RoZXJrZQ"
)

func passwords(t *testing.T, s Store) {
	ctx := context.Background()
	u, tok, err := s.CreateUser(ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	got, hash, err := s.PasswordHash(ctx, "alice")
	if err != nil || hash != "" || *got != *u {
		t.Errorf("PasswordHash of a token-only account = %+v, %q, %v; want alice without a hash", got, hash, err)
	}
	if err := s.SetPasswordHash(ctx, "alice", hashA); err != nil {
		t.Fatal(err)
	}
	if _, hash, err = s.PasswordHash(ctx, "alice"); err != nil || hash != hashA {
		t.Errorf("PasswordHash after SetPasswordHash = %q, %v", hash, err)
	}
	if _, err := s.UserByToken(ctx, tok); err != nil {
		t.Errorf("a password stopped the bearer token working: %v", err)
	}
	wantCode(t, "SetPasswordHash of nobody", s.SetPasswordHash(ctx, "nobody", hashA), music.ENOTFOUND)
	wantCode(t, "SetPasswordHash empty", s.SetPasswordHash(ctx, "alice", ""), music.EINVALID)
	_, _, err = s.PasswordHash(ctx, "nobody")
	wantCode(t, "PasswordHash of nobody", err, music.ENOTFOUND)

	bob, err := s.CreateAccount(ctx, "bob", "de", hashB)
	if err != nil {
		t.Fatal(err)
	}
	if bob.Role != music.RoleListener || bob.Country != "DE" || bob.Plan != music.PlanPremium || bob.ID == u.ID || !bob.CreatedAt.Equal(epoch) {
		t.Errorf("CreateAccount = %+v; want a premium listener in DE created at the clock's time", bob)
	}
	if _, hash, err = s.PasswordHash(ctx, "bob"); err != nil || hash != hashB {
		t.Errorf("PasswordHash(bob) = %q, %v", hash, err)
	}
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Errorf("ListUsers = %+v, %v; want alice and bob", users, err)
	}
	for _, tc := range []struct{ name, country, hash, code string }{
		{"bob", "DE", hashA, music.ECONFLICT},
		{"alice", "GB", hashA, music.ECONFLICT},
		{"carol", "Germany", hashA, music.EINVALID},
		{"", "DE", hashA, music.EINVALID},
		{"bad\nname", "DE", hashA, music.EINVALID},
		{"carol", "DE", "", music.EINVALID},
	} {
		_, err := s.CreateAccount(ctx, tc.name, tc.country, tc.hash)
		wantCode(t, "CreateAccount "+tc.name+"/"+tc.country, err, tc.code)
	}
	if _, _, err := s.PasswordHash(ctx, "carol"); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("a refused CreateAccount left carol behind: %v", err)
	}
}

func sessionLifetime(t *testing.T, s Store, c *clock) {
	ctx := context.Background()
	u, err := s.CreateAccount(ctx, "alice", "GB", hashA)
	if err != nil {
		t.Fatal(err)
	}
	tok, sess, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, music.SessionPrefix) || len(tok) < 40 {
		t.Errorf("session token %q: want %s and at least 256 bits", tok, music.SessionPrefix)
	}
	if sess.UserID != u.ID || !sess.CreatedAt.Equal(epoch) || !sess.ExpiresAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("CreateSession = %+v", sess)
	}
	tok2, _, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil || tok2 == tok {
		t.Errorf("a second session: %v, same token %v", err, tok2 == tok)
	}
	got, gotSess, err := s.UserBySession(ctx, tok)
	if err != nil || *got != *u || *gotSess != *sess {
		t.Errorf("UserBySession = %+v, %+v, %v; want %+v, %+v", got, gotSess, err, u, sess)
	}
	for _, bad := range []string{"", music.SessionPrefix, tok + "x", tok[:len(tok)-1], music.TokenHash(tok),
		music.TokenPrefix + strings.TrimPrefix(tok, music.SessionPrefix)} {
		_, _, err := s.UserBySession(ctx, bad)
		wantCode(t, "UserBySession("+bad+")", err, music.EUNAUTHORIZED)
	}
	if _, err := s.UserByToken(ctx, tok); music.ErrorCode(err) != music.EUNAUTHORIZED {
		t.Errorf("a session token worked as a bearer token: %v", err)
	}
	_, _, err = s.CreateSession(ctx, "usr_nobody", time.Hour)
	wantCode(t, "CreateSession of nobody", err, music.ENOTFOUND)
	for _, ttl := range []time.Duration{0, -time.Second} {
		_, _, err = s.CreateSession(ctx, u.ID, ttl)
		wantCode(t, "CreateSession ttl "+ttl.String(), err, music.EINVALID)
	}

	c.t = epoch.Add(time.Hour - time.Millisecond)
	if _, _, err := s.UserBySession(ctx, tok); err != nil {
		t.Errorf("a session failed a millisecond before it expires: %v", err)
	}
	c.t = epoch.Add(time.Hour)
	_, _, err = s.UserBySession(ctx, tok)
	wantCode(t, "UserBySession at expiry", err, music.EUNAUTHORIZED)
	// A new session sweeps the expired ones away: ending one is then
	// ENOTFOUND, not a success on a dead row.
	if _, _, err := s.CreateSession(ctx, u.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "EndSession of a swept session", s.EndSession(ctx, tok2), music.ENOTFOUND)
}

func sessionsEnd(t *testing.T, s Store) {
	ctx := context.Background()
	alice, err := s.CreateAccount(ctx, "alice", "GB", hashA)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.CreateAccount(ctx, "bob", "GB", hashB)
	if err != nil {
		t.Fatal(err)
	}
	var aliceToks []string
	for range 3 {
		tok, _, err := s.CreateSession(ctx, alice.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		aliceToks = append(aliceToks, tok)
	}
	bobTok, _, err := s.CreateSession(ctx, bob.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EndSession(ctx, aliceToks[0]); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.UserBySession(ctx, aliceToks[0])
	wantCode(t, "UserBySession after EndSession", err, music.EUNAUTHORIZED)
	wantCode(t, "EndSession twice", s.EndSession(ctx, aliceToks[0]), music.ENOTFOUND)
	if _, _, err := s.UserBySession(ctx, aliceToks[1]); err != nil {
		t.Errorf("ending one session ended another: %v", err)
	}
	n, err := s.EndSessions(ctx, "alice")
	if err != nil || n != 2 {
		t.Errorf("EndSessions(alice) = %d, %v; want 2", n, err)
	}
	for _, tok := range aliceToks {
		_, _, err := s.UserBySession(ctx, tok)
		wantCode(t, "UserBySession after EndSessions", err, music.EUNAUTHORIZED)
	}
	if u, _, err := s.UserBySession(ctx, bobTok); err != nil || u.ID != bob.ID {
		t.Errorf("EndSessions(alice) touched bob's session: %+v, %v", u, err)
	}
	_, err = s.EndSessions(ctx, "nobody")
	wantCode(t, "EndSessions of nobody", err, music.ENOTFOUND)
}
