package sqlstore

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	music "github.com/openmusic/music"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// Constraint failures, told apart across the two drivers.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"

	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
	sqliteConstraintForeignKey = 787
)

// isUnique reports whether err is a unique or primary key violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == pgUniqueViolation
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteConstraintUnique || se.Code() == sqliteConstraintPrimaryKey
	}
	return false
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == pgForeignKeyViolation
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteConstraintForeignKey
	}
	return false
}

// unavailable marks a failure to reach the database as EUNAVAILABLE (503
// with Retry-After at the HTTP layer, and a "degraded" /readyz), keeping
// the driver's error in the chain for logs. Other errors pass unchanged.
func unavailable(err error) error {
	if err == nil || !isConnError(err) {
		return err
	}
	return fmt.Errorf("%w: %w", music.Errorf(music.EUNAVAILABLE, "catalog database unavailable; retry later"), err)
}

// isConnError reports whether err means the database could not be
// reached or dropped the connection, as opposed to refusing a statement.
func isConnError(err error) bool {
	if music.ErrorCode(err) == music.EUNAVAILABLE {
		return false // already marked
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01-03: admin or crash shutdown,
		// cannot connect now.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		pgconn.SafeToRetry(err)
}
