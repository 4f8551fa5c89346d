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

// Account plans. On free, one device plays at a time, and the server
// enforces it.
const (
	PlanFree    = "free"
	PlanPremium = "premium"
)

// Plans lists every valid plan.
var Plans = []string{PlanFree, PlanPremium}

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
	// token that never expires, which is shown only this once. A taken
	// name is ECONFLICT; a bad role or country is EINVALID.
	CreateUser(ctx context.Context, name, role, country string) (*User, string, error)
	// CreateUserOnPlan is CreateUser for an account on plan (Plans);
	// CreateUser makes premium accounts. A bad plan is EINVALID.
	CreateUserOnPlan(ctx context.Context, name, role, country, plan string) (*User, string, error)
	// UserByToken returns the token's user, or EUNAUTHORIZED (also for a
	// revoked or expired token).
	UserByToken(ctx context.Context, token string) (*User, error)
	// UserByTokenHash is UserByToken given TokenHash(token), for callers
	// that must not hold the token itself (workflow inputs).
	UserByTokenHash(ctx context.Context, tokenSHA256 string) (*User, error)
	// ListUsers returns every user in name order.
	ListUsers(ctx context.Context) ([]User, error)
	// UserIDsByRole returns the IDs of every account with role.
	UserIDsByRole(ctx context.Context, role string) ([]string, error)
}

// UnpaidRoles are the roles whose plays are recorded but never earn
// royalties: only listeners' plays are paid.
var UnpaidRoles = []string{RoleLabel, RoleOps}

// TokenIssuer mints and revokes bearer tokens. Implementation: sqlstore.
type TokenIssuer interface {
	// IssueToken gives the named user a new bearer token, valid for ttl
	// (0: until revoked), shown only this once. An unknown name is
	// ENOTFOUND.
	IssueToken(ctx context.Context, name string, ttl time.Duration) (string, error)
	// RevokeTokens revokes every token of the named user and returns how
	// many there were. An unknown name is ENOTFOUND.
	RevokeTokens(ctx context.Context, name string) (int, error)
	// RevokeToken revokes one token; an unknown one is ENOTFOUND.
	RevokeToken(ctx context.Context, token string) error
}
