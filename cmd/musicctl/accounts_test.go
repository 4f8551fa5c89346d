package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/password"
	"github.com/openmusic/music/sqlstore"
)

// TestUsersAddPasswordStdin: `users add --password-stdin` stores an
// argon2id hash of the piped line; a bad password creates no account;
// `users revoke` ends the account's sessions too.
func TestUsersAddPasswordStdin(t *testing.T) {
	data := t.TempDir()
	runWithStdin := func(stdin string, args ...string) (string, error) {
		root := newRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetIn(strings.NewReader(stdin))
		root.SetArgs(append(args, "--data-dir", data))
		err := root.ExecuteContext(context.Background())
		return out.String(), err
	}
	if out, err := runWithStdin("correct horse\n", "users", "add", "alice", "--password-stdin", "--country", "GB"); err != nil {
		t.Fatalf("users add: %v\n%s", err, out)
	}
	if out, err := runWithStdin("short\n", "users", "add", "bob", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("users add with a 5-byte password: %v\n%s; want an error naming the password", err, out)
	}
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, filepath.Join(data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	u, hash, err := cat.PasswordHash(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := password.Verify(ctx, "correct horse", hash); !ok || err != nil {
		t.Errorf("alice's stored hash %q does not verify the piped password: %v", hash, err)
	}
	if _, _, err := cat.PasswordHash(ctx, "bob"); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("a refused password left bob behind: %v", err)
	}
	session, _, err := cat.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runWithStdin("", "users", "revoke", "alice"); err != nil {
		t.Fatalf("users revoke: %v\n%s", err, out)
	}
	if _, _, err := cat.UserBySession(ctx, session); music.ErrorCode(err) != music.EUNAUTHORIZED {
		t.Errorf("alice's session outlived users revoke: %v", err)
	}
}

// TestUsersPassword: `users password` gives an account made without one
// a password it can sign in with, ends its sessions, and refuses an
// unknown name or a short password.
func TestUsersPassword(t *testing.T) {
	data := t.TempDir()
	runWithStdin := func(stdin string, args ...string) (string, error) {
		root := newRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&out)
		root.SetIn(strings.NewReader(stdin))
		root.SetArgs(append(args, "--data-dir", data))
		err := root.ExecuteContext(context.Background())
		return out.String(), err
	}
	if out, err := runWithStdin("", "users", "add", "carol"); err != nil {
		t.Fatalf("users add: %v\n%s", err, out)
	}
	ctx := context.Background()
	cat, err := sqlstore.Open(ctx, filepath.Join(data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cat.Close()
	u, _, err := cat.PasswordHash(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := cat.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runWithStdin("a new long password\n", "users", "password", "carol"); err != nil || !strings.Contains(out, "1 sessions ended") {
		t.Fatalf("users password: %v\n%s", err, out)
	}
	_, hash, err := cat.PasswordHash(ctx, "carol")
	if ok, verr := password.Verify(ctx, "a new long password", hash); err != nil || !ok || verr != nil {
		t.Errorf("carol's hash %q does not verify the new password: %v %v", hash, err, verr)
	}
	if _, _, err := cat.UserBySession(ctx, session); music.ErrorCode(err) != music.EUNAUTHORIZED {
		t.Errorf("carol's session outlived the password change: %v", err)
	}
	if _, err := runWithStdin("a new long password\n", "users", "password", "nobody"); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("users password for an unknown name: %v", err)
	}
	if _, err := runWithStdin("short\n", "users", "password", "carol"); err == nil {
		t.Error("a 5-byte password was accepted")
	}
}
