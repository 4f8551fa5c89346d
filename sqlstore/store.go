// Package sqlstore is the catalog database: it implements music.Catalog and
// music.UserStore on SQLite (modernc.org/sqlite, the embedded default) and
// on PostgreSQL (pgx), with the same schema and the same queries. Queries
// are written with ? placeholders and rewritten to $n for PostgreSQL.
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"
)

// Dialect names the SQL engine behind a Store.
type Dialect string

// The two dialects a Store speaks.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the catalog database. Set Now and Rand, if at all, before the
// first call; they are read without locking.
type Store struct {
	db      *sql.DB
	dialect Dialect
	dsn     string // redacted, for messages

	// Now is the clock for created/updated times. Default time.Now.
	Now func() time.Time
	// Rand is the source of user IDs and tokens. Default crypto/rand.
	Rand io.Reader
	// TombstoneCap is how many removed entries a playlist keeps for
	// anchoring; 0 means DefaultTombstoneCap.
	TombstoneCap int
}

var (
	_ music.Catalog   = (*Store)(nil)
	_ music.UserStore = (*Store)(nil)
)

// Open connects to the catalog database named by dsn, checks that it is
// reachable and applies any pending migration. DSN forms: postgres://… (or
// postgresql://…) for PostgreSQL; sqlite:PATH, sqlite:///ABS, file:PATH or
// a bare PATH for SQLite, whose directory must exist. Errors are one line naming the DSN with its password redacted.
func Open(ctx context.Context, dsn string) (*Store, error) {
	d, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(d.driver, d.source)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "catalog database %s: %v", d.redacted, err)
	}
	if d.dialect == SQLite {
		// WAL lets readers run beside the single writer; one pool of a few
		// connections is plenty for an embedded database.
		db.SetMaxOpenConns(8)
	} else {
		db.SetMaxOpenConns(20)
	}
	db.SetMaxIdleConns(4)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, music.Errorf(music.EUNAVAILABLE, "catalog database %s: cannot connect: %s", d.redacted, oneLine(err))
	}
	s := &Store{db: db, dialect: d.dialect, dsn: d.redacted, Now: time.Now, Rand: rand.Reader}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog database %s: %w", d.redacted, err)
	}
	return s, nil
}

// Close releases the connections.
func (s *Store) Close() error { return s.db.Close() }

// Dialect reports which engine the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the connection pool to later migrations' packages in this
// module (playlists, library, stream counts) that share the database.
func (s *Store) DB() *sql.DB { return s.db }

// Rebind rewrites a query written with ? placeholders for the store's
// dialect.
func (s *Store) Rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// exec, query and queryRow run a statement with ? placeholders; a lost
// database comes back as EUNAVAILABLE (see unavailable).
func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	res, err := q.ExecContext(ctx, s.Rebind(query), args...)
	return res, unavailable(err)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	rows, err := q.QueryContext(ctx, s.Rebind(query), args...)
	return rows, unavailable(err)
}

func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) row {
	return row{q.QueryRowContext(ctx, s.Rebind(query), args...)}
}

// row is a *sql.Row whose Scan marks a lost database EUNAVAILABLE.
type row struct{ r *sql.Row }

func (r row) Scan(dest ...any) error { return unavailable(r.r.Scan(dest...)) }

// inTx runs fn in a transaction and commits when it returns nil. SQLite
// transactions begin IMMEDIATE (see the DSN), so concurrent writers queue
// on the busy timeout instead of failing on a lock upgrade.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", unavailable(err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return unavailable(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", unavailable(err))
	}
	return nil
}

func (s *Store) now() int64 { return s.Now().UnixMilli() }

// ms converts a time to the stored form: Unix milliseconds.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts the stored form back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// oneLine flattens a driver error message so the caller prints one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
