package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/openmusic/music/internal/accounttest"
	"github.com/openmusic/music/internal/catalogtest"
)

func accountBackend(dsn func(testing.TB) string) accounttest.Backend {
	return accounttest.Backend{Open: func(t *testing.T, now func() time.Time) accounttest.Store {
		st, err := Open(context.Background(), dsn(t))
		if err != nil {
			t.Fatal(err)
		}
		st.Now = now
		t.Cleanup(func() { st.Close() })
		return st
	}}
}

func TestAccountsSQLite(t *testing.T)   { accounttest.Run(t, accountBackend(catalogtest.SQLiteDSN)) }
func TestAccountsPostgres(t *testing.T) { accounttest.Run(t, accountBackend(catalogtest.PostgresDSN)) }
