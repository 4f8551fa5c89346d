package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
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
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return nil, "", music.Errorf(music.EINVALID, "user name %q: want 1 to 100 printable characters", name)
	}
	if !slices.Contains(music.Roles, role) {
		return nil, "", music.Errorf(music.EINVALID, "user %s: role %q is not one of %s", name, role, strings.Join(music.Roles, "|"))
	}
	c, err := normalizeTerritory(country)
	if err != nil || c == music.Worldwide {
		return nil, "", music.Errorf(music.EINVALID, "user %s: country %q is not an ISO 3166-1 alpha-2 code", name, country)
	}
	if !slices.Contains(music.Plans, plan) {
		return nil, "", music.Errorf(music.EINVALID, "user %s: plan %q is not one of %s", name, plan, strings.Join(music.Plans, "|"))
	}
	idBytes, tokBytes := make([]byte, 12), make([]byte, 32)
	if _, err := io.ReadFull(s.Rand, idBytes); err != nil {
		return nil, "", fmt.Errorf("user id: %w", err)
	}
	if _, err := io.ReadFull(s.Rand, tokBytes); err != nil {
		return nil, "", fmt.Errorf("token: %w", err)
	}
	u := &music.User{ID: "usr_" + hex.EncodeToString(idBytes), Name: name, Role: role, Country: c, Plan: plan,
		CreatedAt: fromMS(s.now())}
	token := music.TokenPrefix + base64.RawURLEncoding.EncodeToString(tokBytes)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "INSERT INTO users (id, name, role, country, plan, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			u.ID, u.Name, u.Role, u.Country, u.Plan, ms(u.CreatedAt)); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, "INSERT INTO user_tokens (token_sha256, user_id, created_at) VALUES (?, ?, ?)",
			music.TokenHash(token), u.ID, ms(u.CreatedAt))
		return err
	})
	if isUnique(err) {
		return nil, "", music.Errorf(music.ECONFLICT, "user %s already exists", name)
	}
	if err != nil {
		return nil, "", fmt.Errorf("create user %s: %w", name, err)
	}
	return u, token, nil
}

// UserByToken returns the user a bearer token belongs to. See
// music.UserStore.
func (s *Store) UserByToken(ctx context.Context, token string) (*music.User, error) {
	if !strings.HasPrefix(token, music.TokenPrefix) {
		return nil, music.Errorf(music.EUNAUTHORIZED, "invalid token")
	}
	users, err := s.users(ctx, `SELECT u.id, u.name, u.role, u.country, u.plan, u.created_at FROM users u
		JOIN user_tokens tk ON tk.user_id = u.id WHERE tk.token_sha256 = ?`, music.TokenHash(token))
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, music.Errorf(music.EUNAUTHORIZED, "invalid token")
	}
	return &users[0], nil
}

// ListUsers returns every user in name order. See music.UserStore.
func (s *Store) ListUsers(ctx context.Context) ([]music.User, error) {
	return s.users(ctx, "SELECT id, name, role, country, plan, created_at FROM users ORDER BY name")
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
