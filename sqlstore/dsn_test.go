package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func TestParseDSN(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		dsn     string
		dialect Dialect
		path    string // for SQLite: the file the driver gets
		code    string
	}{
		{dsn: "postgres://u:secret@db:5432/music?sslmode=disable", dialect: Postgres},
		{dsn: "postgresql://db/music", dialect: Postgres},
		{dsn: filepath.Join(dir, "c.db"), dialect: SQLite, path: filepath.Join(dir, "c.db")},
		{dsn: "sqlite://" + dir + "/c.db", dialect: SQLite, path: dir + "/c.db"},
		{dsn: "sqlite:" + dir + "/c.db", dialect: SQLite, path: dir + "/c.db"},
		{dsn: "file:" + dir + "/c.db?cache=private", dialect: SQLite, path: dir + "/c.db"},
		{dsn: "file://" + dir + "/c.db", dialect: SQLite, path: dir + "/c.db"},
		{dsn: "", code: music.EINVALID},
		{dsn: ":memory:", code: music.EINVALID},
		{dsn: "host=db user=u password=secret", code: music.EINVALID},
		{dsn: "mysql://root@localhost/x", code: music.EINVALID},
		{dsn: filepath.Join(dir, "missing", "c.db"), code: music.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.dsn, func(t *testing.T) {
			d, err := parseDSN(tc.dsn)
			if got := music.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if err != nil {
				return
			}
			if d.dialect != tc.dialect {
				t.Errorf("dialect %s, want %s", d.dialect, tc.dialect)
			}
			if tc.dialect == SQLite {
				if !strings.HasPrefix(d.source, "file:"+tc.path+"?") {
					t.Errorf("source %q, want file:%s?…", d.source, tc.path)
				}
				for _, want := range []string{"_txlock=immediate", "journal_mode%28WAL%29", "foreign_keys%281%29"} {
					if !strings.Contains(d.source, want) {
						t.Errorf("source %q lacks %s", d.source, want)
					}
				}
			}
			if strings.Contains(d.redacted, "secret") {
				t.Errorf("redacted DSN %q shows the password", d.redacted)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"postgres://u:secret@h:5432/db":         "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db?password=secret&x=1": "postgres://u@h/db?password=xxxxx&x=1",
		"postgres://h/db":                       "postgres://h/db",
		"user=u password=secret host=h":         "user=u password=xxxxx host=h",
		"u:secret@tcp(h)/db":                    "<redacted>@tcp(h)/db",
	}
	for in, want := range tests {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOpenErrors checks that bad configuration is one line that names the
// DSN, without its password.
func TestOpenErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tests := []struct {
		dsn, code, mention string
	}{
		{"postgres://u:secret@127.0.0.1:1/music?sslmode=disable", music.EUNAVAILABLE, "postgres://u:xxxxx@127.0.0.1:1/music"},
		{"/nonexistent-dir-for-test/catalog.db", music.EINVALID, "directory /nonexistent-dir-for-test does not exist"},
		{"redis://127.0.0.1:6379", music.EINVALID, "unknown scheme"},
		{"postgres://postgres@127.0.0.1:5432/music_no_such_db?sslmode=disable", music.EUNAVAILABLE, "music_no_such_db"},
	}
	for _, tc := range tests {
		t.Run(tc.dsn, func(t *testing.T) {
			_, err := Open(ctx, tc.dsn)
			if got := music.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			msg := err.Error()
			t.Log(msg)
			if strings.Contains(msg, "\n") || strings.Contains(msg, "secret") || !strings.Contains(msg, tc.mention) {
				t.Errorf("error %q: want one line mentioning %q and no password", msg, tc.mention)
			}
		})
	}
}

func FuzzParseDSN(f *testing.F) {
	dir := f.TempDir()
	for _, s := range []string{"postgres://u:p@h/db", "sqlite:" + dir + "/x.db", "file:x.db?a=b&_pragma=x", "%zz", "sqlite://", "?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		d, err := parseDSN(dsn)
		if err == nil && d.dialect != SQLite && d.dialect != Postgres {
			t.Errorf("parseDSN(%q): no dialect", dsn)
		}
		if err != nil && music.ErrorCode(err) != music.EINVALID {
			t.Errorf("parseDSN(%q): %v is not EINVALID", dsn, err)
		}
		_ = Redact(dsn)
	})
}

func TestMain(m *testing.M) {
	if os.Getenv(writerEnv) != "" {
		os.Exit(runWriter(os.Getenv(writerEnv)))
	}
	os.Exit(m.Run())
}
