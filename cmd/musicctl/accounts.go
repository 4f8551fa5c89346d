package main

import (
	"context"
	"io"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/password"
	"github.com/openmusic/music/sqlstore"
)

// newUser is what `users add` creates.
type newUser struct{ name, role, country, plan string }

// passwordFromStdin reads and hashes the password of --password-stdin
// ("" when the flag is off).
func passwordFromStdin(ctx context.Context, in io.Reader, on bool) (string, error) {
	if !on {
		return "", nil
	}
	pw, err := password.Read(in)
	if err != nil {
		return "", err
	}
	return password.Hash(ctx, pw)
}

// createAccount creates an account, swaps its first token for one that expires
// (expires > 0) and sets its password hash (unless "").
func createAccount(ctx context.Context, cat *sqlstore.Store, nu newUser, expires time.Duration, hash string) (*music.User, string, error) {
	u, token, err := cat.CreateUserOnPlan(ctx, nu.name, nu.role, nu.country, nu.plan)
	if err != nil {
		return nil, "", err
	}
	if expires > 0 {
		// The first token never expires: swap it for one that does.
		if _, err = cat.RevokeTokens(ctx, u.Name); err == nil {
			token, err = cat.IssueToken(ctx, u.Name, expires)
		}
		if err != nil {
			return nil, "", err
		}
	}
	if hash != "" {
		if err := cat.SetPasswordHash(ctx, u.Name, hash); err != nil {
			return nil, "", err
		}
	}
	return u, token, nil
}

// revokeAccount revokes every bearer token and ends every session of an
// account; it returns how many tokens there were.
func revokeAccount(ctx context.Context, cat *sqlstore.Store, name string) (int, error) {
	n, err := cat.RevokeTokens(ctx, name)
	if err != nil {
		return 0, err
	}
	_, err = cat.EndSessions(ctx, name)
	return n, err
}
