package music

import (
	"context"
	"time"
)

// SessionPrefix starts every session token (the web player's cookie), so
// it is told apart from a bearer token (TokenPrefix) at a glance.
const SessionPrefix = "ms_"

// Session is a signed-in browser. Its token is shown once, when the
// session is created, and stored only as TokenHash(token).
type Session struct {
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Accounts keeps what a person signs in with: a password hash per
// account (a PHC string, package password) and sessions. Implementation:
// sqlstore.
type Accounts interface {
	// CreateAccount adds a listener (UserStore.CreateUser's rules on name
	// and country) with a password hash and no bearer token. A taken name
	// is ECONFLICT; a bad name, country or empty hash is EINVALID.
	CreateAccount(ctx context.Context, name, country, passwordHash string) (*User, error)
	// SetPasswordHash sets the named account's password hash; an unknown
	// name is ENOTFOUND, an empty hash EINVALID.
	SetPasswordHash(ctx context.Context, name, passwordHash string) error
	// PasswordHash returns the named account and its password hash, ""
	// when it has none. An unknown name is ENOTFOUND.
	PasswordHash(ctx context.Context, name string) (*User, string, error)
	// CreateSession starts a session of userID for ttl (> 0) and returns
	// its token, shown only this once. An unknown user is ENOTFOUND.
	CreateSession(ctx context.Context, userID string, ttl time.Duration) (string, *Session, error)
	// UserBySession returns a live session's user and the session; an
	// unknown, ended or expired token is EUNAUTHORIZED.
	UserBySession(ctx context.Context, token string) (*User, *Session, error)
	// EndSession ends one session; an unknown token is ENOTFOUND.
	EndSession(ctx context.Context, token string) error
	// EndSessions ends every session of the named user and returns how
	// many there were (revoking an account). An unknown name is ENOTFOUND.
	EndSessions(ctx context.Context, name string) (int, error)
}
