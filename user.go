package music

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// User roles. A listener plays music, a label delivers it, ops runs the
// platform.
const (
	RoleListener = "listener"
	RoleLabel    = "label"
	RoleOps      = "ops"
)

// Roles lists every valid role.
var Roles = []string{RoleListener, RoleLabel, RoleOps}

// TokenPrefix starts every bearer token, so a leaked token is easy to
// recognise in logs and secret scanners.
const TokenPrefix = "mt_"

// User is an account that authenticates with bearer tokens.
type User struct {
	ID        string
	Name      string
	Role      string // one of Roles
	Country   string // ISO 3166-1 alpha-2, the default territory
	Plan      string // one of Plans
	CreatedAt time.Time
}

// TokenHash returns the lowercase hex SHA-256 of a bearer token: the only
// form in which tokens are stored.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// UserStore keeps users and their bearer tokens. Implementation: sqlstore.
type UserStore interface {
	// CreateUser adds a user and returns it with a fresh random bearer
	// token, which is shown only this once. A taken name is ECONFLICT; a
	// bad role or country is EINVALID.
	CreateUser(ctx context.Context, name, role, country string) (*User, string, error)
	// CreateUserOnPlan is CreateUser for an account on plan (Plans);
	// CreateUser makes premium accounts. A bad plan is EINVALID.
	CreateUserOnPlan(ctx context.Context, name, role, country, plan string) (*User, string, error)
	// UserByToken returns the token's user, or EUNAUTHORIZED.
	UserByToken(ctx context.Context, token string) (*User, error)
	// ListUsers returns every user in name order.
	ListUsers(ctx context.Context) ([]User, error)
}
