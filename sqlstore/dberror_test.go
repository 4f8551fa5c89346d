package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	music "github.com/openmusic/music"
)

func TestUnavailableClassifiesLostDatabase(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"no rows", sql.ErrNoRows, music.EINTERNAL},
		{"unique violation", &pgconn.PgError{Code: "23505"}, music.EINTERNAL},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, music.EUNAVAILABLE},
		{"connection failure", fmt.Errorf("q: %w", &pgconn.PgError{Code: "08006"}), music.EUNAVAILABLE},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, music.EUNAVAILABLE},
		{"bad conn", driver.ErrBadConn, music.EUNAVAILABLE},
		{"cut mid-answer", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), music.EUNAVAILABLE},
		{"domain error", music.Errorf(music.ENOTFOUND, "x"), music.ENOTFOUND},
	} {
		got := unavailable(tc.err)
		if music.ErrorCode(got) != tc.want {
			t.Errorf("%s: code %q, want %q", tc.name, music.ErrorCode(got), tc.want)
		}
		if tc.want == music.EUNAVAILABLE && !errors.Is(got, tc.err) {
			t.Errorf("%s: the driver error is not kept in the chain", tc.name)
		}
	}
}
