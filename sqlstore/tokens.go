package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"time"

	music "github.com/openmusic/music"
)

// newToken draws a fresh bearer token.
func (s *Store) newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return music.TokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// insertToken stores a token's hash for userID, valid for ttl (0: until
// revoked).
func (s *Store) insertToken(ctx context.Context, q querier, userID, token string, ttl time.Duration) error {
	now := s.now()
	expires := int64(0)
	if ttl > 0 {
		expires = now + ttl.Milliseconds()
	}
	_, err := s.exec(ctx, q, "INSERT INTO user_tokens (token_sha256, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		music.TokenHash(token), userID, now, expires)
	return err
}

// IssueToken gives a user a new token. See music.TokenIssuer.
func (s *Store) IssueToken(ctx context.Context, name string, ttl time.Duration) (string, error) {
	if ttl < 0 {
		return "", music.Errorf(music.EINVALID, "token lifetime %v: want >= 0", ttl)
	}
	token, err := s.newToken()
	if err != nil {
		return "", err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.userID(ctx, tx, name)
		if err != nil {
			return err
		}
		return s.insertToken(ctx, tx, id, token, ttl)
	})
	if err != nil {
		return "", fmt.Errorf("issue token for %s: %w", name, err)
	}
	return token, nil
}

// RevokeTokens deletes every token of a user. See music.TokenIssuer.
func (s *Store) RevokeTokens(ctx context.Context, name string) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.userID(ctx, tx, name)
		if err != nil {
			return err
		}
		res, err := s.exec(ctx, tx, "DELETE FROM user_tokens WHERE user_id = ?", id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of %s: %w", name, err)
	}
	return int(n), nil
}

// RevokeToken deletes one token. See music.TokenIssuer.
func (s *Store) RevokeToken(ctx context.Context, token string) error {
	res, err := s.exec(ctx, s.db, "DELETE FROM user_tokens WHERE token_sha256 = ?", music.TokenHash(token))
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return music.Errorf(music.ENOTFOUND, "no such token (already revoked?)")
	}
	return nil
}

// userID looks a user up by name.
func (s *Store) userID(ctx context.Context, q querier, name string) (string, error) {
	var id string
	err := s.queryRow(ctx, q, "SELECT id FROM users WHERE name = ?", name).Scan(&id)
	if err == sql.ErrNoRows {
		return "", music.Errorf(music.ENOTFOUND, "no user %q", name)
	}
	return id, err
}
