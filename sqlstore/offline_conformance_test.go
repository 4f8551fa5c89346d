package sqlstore_test

import (
	"context"
	"testing"

	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/offlinetest"
	"github.com/openmusic/music/sqlstore"
)

func offlineBackend(fresh func(testing.TB) string) func(t *testing.T) offlinetest.Store {
	return func(t *testing.T) offlinetest.Store {
		s, err := sqlstore.Open(context.Background(), fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Now = tickingClock()
		return s
	}
}

func TestOfflineSQLite(t *testing.T) {
	t.Parallel()
	offlinetest.Run(t, offlineBackend(catalogtest.SQLiteDSN))
}

func TestOfflinePostgres(t *testing.T) {
	t.Parallel()
	offlinetest.Run(t, offlineBackend(catalogtest.PostgresDSN))
}
