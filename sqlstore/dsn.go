package sqlstore

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	music "github.com/openmusic/music"
)

// sqlitePragmas are applied to every SQLite connection.
//
//   - WAL: readers never block the writer and the writer never blocks them.
//   - synchronous(FULL): with WAL, NORMAL already survives kill -9 (the
//     WAL sits in the OS page cache) but can lose the last commits on power
//     loss or a kernel crash; FULL fsyncs the WAL at every commit, so an
//     acknowledged write survives both. Catalog writes are rare enough that
//     the extra fsync costs nothing that matters.
//   - busy_timeout: writers wait for each other instead of failing.
//   - foreign_keys: SQLite leaves them off unless asked.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"foreign_keys(1)",
}

// dsnInfo is a parsed DSN: which driver, what it gets, and what we print.
type dsnInfo struct {
	dialect  Dialect
	driver   string
	source   string
	redacted string
}

// parseDSN checks a catalog DSN. The accepted forms are:
//
//	postgres://user:pass@host:5432/db?sslmode=disable   (also postgresql://)
//	sqlite:///abs/path/catalog.db   sqlite:rel/path.db   file:path.db
//	/abs/path/catalog.db   ./rel/path.db                (a bare path is SQLite)
//
// For SQLite the file's directory must exist; the file is created.
func parseDSN(dsn string) (dsnInfo, error) {
	if dsn == "" {
		return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database: empty DSN")
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		red := Redact(dsn)
		if _, err := url.Parse(dsn); err != nil {
			return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database %s: malformed URL", red)
		}
		return dsnInfo{dialect: Postgres, driver: "pgx", source: dsn, redacted: red}, nil
	}
	path, query := dsn, ""
	switch {
	case strings.HasPrefix(path, "sqlite://"):
		path = strings.TrimPrefix(path, "sqlite://")
	case strings.HasPrefix(path, "file://"):
		path = strings.TrimPrefix(path, "file://")
	case strings.HasPrefix(path, "sqlite:"):
		path = strings.TrimPrefix(path, "sqlite:")
	case strings.HasPrefix(path, "file:"):
		path = strings.TrimPrefix(path, "file:")
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}
	if strings.Contains(dsn, "://") && !strings.HasPrefix(dsn, "sqlite://") && !strings.HasPrefix(dsn, "file://") {
		return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database %s: unknown scheme (want postgres://, sqlite: or a file path)", Redact(dsn))
	}
	if strings.Contains(path, "=") && strings.ContainsAny(path, " \t") {
		return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database %s: looks like a key=value DSN; use postgres://… or a file path", Redact(dsn))
	}
	if path == "" || path == ":memory:" {
		return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database %s: want a file path (the catalog must survive restarts)", dsn)
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database %s: directory %s does not exist", dsn, dir)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return dsnInfo{}, music.Errorf(music.EINVALID, "catalog database %s: malformed query: %v", dsn, err)
	}
	// Our pragmas are what durability rests on: a DSN cannot override them.
	q.Del("_pragma")
	q.Del("_txlock")
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return dsnInfo{dialect: SQLite, driver: "sqlite", source: "file:" + path + "?" + q.Encode(), redacted: dsn}, nil
}

// keywordPassword finds the password of a key=value DSN.
var keywordPassword = regexp.MustCompile(`(password\s*=\s*)\S+`)

// Redact hides the password of a URL-style DSN, both in the user info and
// in a password= query parameter.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			return "<redacted>" + dsn[i:]
		}
		return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
