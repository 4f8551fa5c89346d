package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

var _ music.Accounts = (*Store)(nil)

// CreateAccount adds a listener with a password and no bearer token. See
// music.Accounts.
func (s *Store) CreateAccount(ctx context.Context, name, country, passwordHash string) (*music.User, error) {
	if passwordHash == "" {
		return nil, music.Errorf(music.EINVALID, "user %s: password hash is empty", name)
	}
	u, err := s.newUser(name, music.RoleListener, country, music.PlanPremium)
	if err != nil {
		return nil, err
	}
	if err := s.insertUser(ctx, u, passwordHash, func(*sql.Tx) error { return nil }); err != nil {
		return nil, err
	}
	return u, nil
}

// SetPasswordHash sets an account's password hash. See music.Accounts.
func (s *Store) SetPasswordHash(ctx context.Context, name, passwordHash string) error {
	if passwordHash == "" {
		return music.Errorf(music.EINVALID, "user %s: password hash is empty", name)
	}
	res, err := s.exec(ctx, s.db, "UPDATE users SET password_hash = ? WHERE name = ?", passwordHash, name)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return music.Errorf(music.ENOTFOUND, "no user %q", name)
	}
	return nil
}

// PasswordHash returns an account and its password hash. See
// music.Accounts.
func (s *Store) PasswordHash(ctx context.Context, name string) (*music.User, string, error) {
	var u music.User
	var created int64
	var hash string
	err := s.queryRow(ctx, s.db, "SELECT id, name, role, country, plan, created_at, password_hash FROM users WHERE name = ?", name).
		Scan(&u.ID, &u.Name, &u.Role, &u.Country, &u.Plan, &created, &hash)
	if err == sql.ErrNoRows {
		return nil, "", music.Errorf(music.ENOTFOUND, "no user %q", name)
	}
	if err != nil {
		return nil, "", fmt.Errorf("password of %s: %w", name, err)
	}
	u.CreatedAt = fromMS(created)
	return &u, hash, nil
}

// CreateSession starts a session. See music.Accounts.
func (s *Store) CreateSession(ctx context.Context, userID string, ttl time.Duration) (string, *music.Session, error) {
	if ttl <= 0 {
		return "", nil, music.Errorf(music.EINVALID, "session lifetime %v: want > 0", ttl)
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", nil, fmt.Errorf("session token: %w", err)
	}
	token := music.SessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	sess := &music.Session{UserID: userID, CreatedAt: fromMS(now), ExpiresAt: fromMS(now + ttl.Milliseconds())}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := s.queryRow(ctx, tx, "SELECT 1 FROM users WHERE id = ?", userID).Scan(&one); err == sql.ErrNoRows {
			return music.Errorf(music.ENOTFOUND, "no user with id %q", userID)
		} else if err != nil {
			return err
		}
		// Expired sessions go when new ones come: the table stays as
		// large as the live sessions.
		if _, err := s.exec(ctx, tx, "DELETE FROM sessions WHERE expires_at <= ?", now); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, "INSERT INTO sessions (token_sha256, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			music.TokenHash(token), userID, now, ms(sess.ExpiresAt))
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, sess, nil
}

// UserBySession returns a live session's user. See music.Accounts.
func (s *Store) UserBySession(ctx context.Context, token string) (*music.User, *music.Session, error) {
	if !strings.HasPrefix(token, music.SessionPrefix) {
		return nil, nil, music.Errorf(music.EUNAUTHORIZED, "invalid session")
	}
	var u music.User
	var created, sCreated, sExpires int64
	err := s.queryRow(ctx, s.db, `SELECT u.id, u.name, u.role, u.country, u.plan, u.created_at, se.created_at, se.expires_at
		FROM sessions se JOIN users u ON u.id = se.user_id
		WHERE se.token_sha256 = ? AND se.expires_at > ?`, music.TokenHash(token), s.now()).
		Scan(&u.ID, &u.Name, &u.Role, &u.Country, &u.Plan, &created, &sCreated, &sExpires)
	if err == sql.ErrNoRows {
		return nil, nil, music.Errorf(music.EUNAUTHORIZED, "invalid, ended or expired session; sign in again")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	u.CreatedAt = fromMS(created)
	return &u, &music.Session{UserID: u.ID, CreatedAt: fromMS(sCreated), ExpiresAt: fromMS(sExpires)}, nil
}

// EndSession ends one session. See music.Accounts.
func (s *Store) EndSession(ctx context.Context, token string) error {
	res, err := s.exec(ctx, s.db, "DELETE FROM sessions WHERE token_sha256 = ?", music.TokenHash(token))
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return music.Errorf(music.ENOTFOUND, "no such session (already ended?)")
	}
	return nil
}

// EndSessions ends every session of a user. See music.Accounts.
func (s *Store) EndSessions(ctx context.Context, name string) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.userID(ctx, tx, name)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "DELETE FROM sessions WHERE user_id = ?", id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("end sessions of %s: %w", name, err)
	}
	return int(n), nil
}
