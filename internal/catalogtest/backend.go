// Package catalogtest is the conformance suite of music.Catalog and
// music.UserStore. Every implementation runs the same Run against each of
// its backends; the helpers here make throwaway SQLite and PostgreSQL
// databases for it.
package catalogtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" for creating test databases

	music "github.com/openmusic/music"
)

// Store is what the suite exercises.
type Store interface {
	music.Catalog
	music.UserStore
	music.TokenIssuer
	music.Ownership
	music.Reviews
	music.Licences
	Close() error
}

// Backend tells the suite how to make and open databases of one kind.
type Backend struct {
	// Fresh returns the DSN of a new, empty database that is removed when
	// the test ends.
	Fresh func(t testing.TB) string
	// Open opens (and migrates) the database at dsn using now as its clock.
	Open func(ctx context.Context, dsn string, now func() time.Time) (Store, error)
	// Tables are the names Store.Count counts; the suite checks that
	// every one of them is unchanged where nothing should be written.
	Tables []string
}

// PostgresAdmin is the server the PostgreSQL backend uses: this machine's
// local server with trust authentication.
const PostgresAdmin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// RequirePostgresEnv, set to 1, turns an unreachable PostgreSQL from a
// skip into a failure (make test sets it).
const RequirePostgresEnv = "MUSIC_REQUIRE_POSTGRES"

// SQLiteDSN returns the path of a new SQLite database in a test temp dir.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "catalog.db")
}

// PostgresDSN creates a database music_test_<random> on the local server
// and drops it when the test ends. If the server is unreachable the test
// is skipped, or fails when MUSIC_REQUIRE_POSTGRES=1.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", PostgresAdmin)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv(RequirePostgresEnv) == "1" {
			t.Fatalf("PostgreSQL at %s is unreachable and %s=1: %v", PostgresAdmin, RequirePostgresEnv, err)
		}
		t.Skipf("SKIP PostgreSQL catalog suite: %s unreachable (%v); set %s=1 to make this a failure",
			PostgresAdmin, err, RequirePostgresEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "music_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE ends connections a failed test may have left open.
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return "postgres://postgres@127.0.0.1:5432/" + name + "?sslmode=disable"
}

// Clock is a settable test clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
