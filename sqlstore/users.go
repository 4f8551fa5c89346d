package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	music "github.com/openmusic/music"
)

// CreateUser adds a premium user and returns its first bearer token. See
// music.UserStore.
func (s *Store) CreateUser(ctx context.Context, name, role, country string) (*music.User, string, error) {
	return s.CreateUserOnPlan(ctx, name, role, country, music.PlanPremium)
}

// CreateUserOnPlan is CreateUser with the account's plan (music.Plans).
func (s *Store) CreateUserOnPlan(ctx context.Context, name, role, country, plan string) (*music.User, string, error) {
	u, err := s.newUser(name, role, country, plan)
	if err != nil {
		return nil, "", err
	}
	token, err := s.newToken()
	if err != nil {
		return nil, "", err
	}
	err = s.insertUser(ctx, u, "", func(tx *sql.Tx) error { return s.insertToken(ctx, tx, u.ID, token, 0) })
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// newUser checks an account's fields and gives it an ID.
func (s *Store) newUser(name, role, country, plan string) (*music.User, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return nil, music.Errorf(music.EINVALID, "user name %q: want 1 to 100 printable characters", name)
	}
	if !slices.Contains(music.Roles, role) {
		return nil, music.Errorf(music.EINVALID, "user %s: role %q is not one of %s", name, role, strings.Join(music.Roles, "|"))
	}
	c, err := normalizeTerritory(country)
	if err != nil || c == music.Worldwide {
		return nil, music.Errorf(music.EINVALID, "user %s: country %q is not an ISO 3166-1 alpha-2 code", name, country)
	}
	if !slices.Contains(music.Plans, plan) {
		return nil, music.Errorf(music.EINVALID, "user %s: plan %q is not one of %s", name, plan, strings.Join(music.Plans, "|"))
	}
	idBytes := make([]byte, 12)
	if _, err := io.ReadFull(s.Rand, idBytes); err != nil {
		return nil, fmt.Errorf("user id: %w", err)
	}
	return &music.User{ID: "usr_" + hex.EncodeToString(idBytes), Name: name, Role: role, Country: c, Plan: plan,
		CreatedAt: fromMS(s.now())}, nil
}

// insertUser stores u with a password hash ("" for none), then runs also
// in the same transaction.
func (s *Store) insertUser(ctx context.Context, u *music.User, passwordHash string, also func(*sql.Tx) error) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "INSERT INTO users (id, name, role, country, plan, created_at, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
			u.ID, u.Name, u.Role, u.Country, u.Plan, ms(u.CreatedAt), passwordHash); err != nil {
			return err
		}
		return also(tx)
	})
	if isUnique(err) {
		return music.Errorf(music.ECONFLICT, "user %s already exists", u.Name)
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return nil
}

// UserByToken returns the user a bearer token belongs to. See
// music.UserStore.
func (s *Store) UserByToken(ctx context.Context, token string) (*music.User, error) {
	if !strings.HasPrefix(token, music.TokenPrefix) {
		return nil, music.Errorf(music.EUNAUTHORIZED, "invalid token")
	}
	return s.UserByTokenHash(ctx, music.TokenHash(token))
}

// UserByTokenHash returns the user of the token with this SHA-256, unless
// the token expired. See music.UserStore.
func (s *Store) UserByTokenHash(ctx context.Context, tokenSHA256 string) (*music.User, error) {
	users, err := s.users(ctx, `SELECT u.id, u.name, u.role, u.country, u.plan, u.created_at FROM users u
		JOIN user_tokens tk ON tk.user_id = u.id
		WHERE tk.token_sha256 = ? AND (tk.expires_at = 0 OR tk.expires_at > ?)`, tokenSHA256, s.now())
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, music.Errorf(music.EUNAUTHORIZED, "invalid, revoked or expired token")
	}
	return &users[0], nil
}

// ListUsers returns every user in name order. See music.UserStore.
func (s *Store) ListUsers(ctx context.Context) ([]music.User, error) {
	// The editorial account is the platform's, not a user anyone manages.
	return s.users(ctx, "SELECT id, name, role, country, plan, created_at FROM users WHERE id <> ? ORDER BY name", music.EditorialOwnerID)
}

// UserIDsByRole returns the IDs of every account with role. See
// music.UserStore.
func (s *Store) UserIDsByRole(ctx context.Context, role string) ([]string, error) {
	rows, err := s.query(ctx, s.db, "SELECT id FROM users WHERE role = ? ORDER BY id", role)
	if err != nil {
		return nil, fmt.Errorf("users with role %s: %w", role, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (s *Store) users(ctx context.Context, query string, args ...any) ([]music.User, error) {
	rows, err := s.query(ctx, s.db, query, args...)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []music.User
	for rows.Next() {
		var u music.User
		var created int64
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.Country, &u.Plan, &created); err != nil {
			return nil, err
		}
		u.CreatedAt = fromMS(created)
		out = append(out, u)
	}
	return out, rows.Err()
}
