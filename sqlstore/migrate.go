package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// migrationFS holds the schema, one file per step, named NNNN_name.sql.
// Later features (playlists, library, stream counts) add their own files.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema step.
type migration struct {
	version    int
	name       string
	statements []string
}

// migrations returns the embedded steps in version order.
func migrations() ([]migration, error) {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		base := strings.TrimSuffix(strings.TrimPrefix(f, "migrations/"), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", f)
		}
		body, err := migrationFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, statements: splitSQL(string(body))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migration version %d is used twice", out[i].version)
		}
	}
	return out, nil
}

// splitSQL cuts a script into statements at semicolons that end a line,
// after dropping -- comments and blank lines. A string literal ('…') or a
// quoted identifier ("…") is kept as it is, even across lines: a -- or a
// line-ending semicolon inside one is text. Our scripts hold no
// procedural code.
func splitSQL(script string) []string {
	var out []string
	var cur strings.Builder
	var quote byte // the open quote at the end of the line so far, or 0
	for _, line := range strings.Split(script, "\n") {
		startsQuoted := quote != 0
		line, quote = dropComment(line, quote)
		if quote == 0 {
			line = strings.TrimRight(line, " \t\r")
			if !startsQuoted && strings.TrimSpace(line) == "" {
				continue
			}
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if quote == 0 && strings.HasSuffix(line, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// dropComment cuts a -- comment off line. quote is the quote open at the
// start of the line (0 for none); the result's is the one open at its end.
// A doubled quote, the escape of a quote inside a literal, closes and
// reopens it, which leaves the state right.
func dropComment(line string, quote byte) (string, byte) {
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '-' && i+1 < len(line) && line[i+1] == '-':
			return line[:i], 0
		}
	}
	return line, quote
}

// migrate applies every pending step in one transaction, so a crash
// leaves the schema either before or after the whole run. Two processes
// starting at once serialize: SQLite on its write lock (BEGIN IMMEDIATE),
// PostgreSQL on an advisory lock.
func (s *Store) migrate(ctx context.Context) error {
	steps, err := migrations()
	if err != nil {
		return music.Errorf(music.EINTERNAL, "migrations: %v", err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7263514001)"); err != nil {
				return fmt.Errorf("migration lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		applied := map[int]bool{}
		rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
		if err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		maxApplied := 0
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
			maxApplied = max(maxApplied, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if known := steps[len(steps)-1].version; maxApplied > known {
			return music.Errorf(music.EINVALID, "schema version %d is newer than this binary knows (%d); upgrade musicctl", maxApplied, known)
		}
		for _, m := range steps {
			if applied[m.version] {
				continue
			}
			for i, st := range m.statements {
				if _, err := tx.ExecContext(ctx, st); err != nil {
					return fmt.Errorf("migration %04d_%s statement %d: %w", m.version, m.name, i+1, err)
				}
			}
			if _, err := s.exec(ctx, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, s.now()); err != nil {
				return fmt.Errorf("record migration %d: %w", m.version, err)
			}
		}
		return nil
	})
}
