package sqlstore

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestSplitSQL(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         []string
	}{
		{"comments and blank lines",
			"-- header; with a semicolon\nCREATE TABLE a (\n  x TEXT -- note; here\n);\n\nCREATE INDEX i ON a (x);\nSELECT 1",
			[]string{"CREATE TABLE a (\n  x TEXT\n);", "CREATE INDEX i ON a (x);", "SELECT 1"}},
		{"-- inside a string literal",
			"INSERT INTO a VALUES ('x -- y'); -- gone\nSELECT 1;",
			[]string{"INSERT INTO a VALUES ('x -- y');", "SELECT 1;"}},
		{"-- inside a quoted identifier",
			"CREATE TABLE \"a--b\" (x TEXT);",
			[]string{"CREATE TABLE \"a--b\" (x TEXT);"}},
		{"doubled quote",
			"INSERT INTO a VALUES ('it''s -- kept'); -- dropped\nSELECT 2;",
			[]string{"INSERT INTO a VALUES ('it''s -- kept');", "SELECT 2;"}},
		{"literal across lines keeps its lines",
			"INSERT INTO a VALUES ('one;\n\n-- two  \nthree');\nSELECT 3;",
			[]string{"INSERT INTO a VALUES ('one;\n\n-- two  \nthree');", "SELECT 3;"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitSQL(tc.script); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("splitSQL = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSplitSQLRunsOnSQLite checks that a -- inside a literal reaches the
// database: the row holds the whole string.
func TestSplitSQLRunsOnSQLite(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	script := "CREATE TABLE split_check (v TEXT); -- a comment\nINSERT INTO split_check VALUES ('a -- b;\nc');"
	for _, st := range splitSQL(script) {
		if _, err := s.db.ExecContext(ctx, st); err != nil {
			t.Fatalf("%q: %v", st, err)
		}
	}
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT v FROM split_check").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "a -- b;\nc" {
		t.Errorf("stored %q, want %q", v, "a -- b;\nc")
	}
}

func FuzzSplitSQL(f *testing.F) {
	f.Add("CREATE TABLE a (x TEXT);\nCREATE INDEX i ON a (x);")
	f.Add("-- only a comment;\n")
	f.Add(";\n;;\n")
	f.Add("INSERT INTO a VALUES ('x -- y;\n'); -- z\n")
	f.Fuzz(func(t *testing.T, script string) {
		for _, st := range splitSQL(script) {
			if strings.TrimSpace(st) == "" {
				t.Errorf("splitSQL(%q) returned an empty statement", script)
			}
		}
	})
}

func TestMigrationsAreNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].version != 1 || ms[0].name != "catalog" || len(ms[0].statements) < 10 {
		t.Errorf("migrations = %+v", ms)
	}
}

// TestSQLiteSettings checks the pragmas that durability and integrity rest
// on, and that reopening applies no migration twice.
func TestSQLiteSettings(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "c.db")
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		s, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		var journal string
		var fk, sync, busy int
		for q, dst := range map[string]any{"PRAGMA journal_mode": &journal, "PRAGMA foreign_keys": &fk,
			"PRAGMA synchronous": &sync, "PRAGMA busy_timeout": &busy} {
			if err := s.db.QueryRowContext(ctx, q).Scan(dst); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if journal != "wal" || fk != 1 || sync != 2 || busy < 1000 {
			t.Errorf("journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d; want wal 1 2(FULL) >=1000",
				journal, fk, sync, busy)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(all) {
			t.Errorf("schema_migrations has %d rows (%v) after open #%d, want %d", n, err, i+1, len(all))
		}
		s.Close()
	}
}

// TestTokenStoredHashed checks that no bearer token is stored in clear.
func TestTokenStoredHashed(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, token, err := s.CreateUser(ctx, "dave", music.RoleOps, "FR")
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := s.db.QueryRowContext(ctx, "SELECT token_sha256 FROM user_tokens").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != music.TokenHash(token) || strings.Contains(stored, token[len(music.TokenPrefix):]) {
		t.Errorf("stored %q for token %q; want only its SHA-256", stored, token)
	}
}
