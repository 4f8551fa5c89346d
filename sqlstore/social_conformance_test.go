package sqlstore_test

import (
	"context"
	"testing"

	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/socialtest"
	"github.com/openmusic/music/sqlstore"
)

func socialBackend(fresh func(testing.TB) string) func(t *testing.T) socialtest.Store {
	return func(t *testing.T) socialtest.Store {
		s, err := sqlstore.Open(context.Background(), fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Now = tickingClock()
		return s
	}
}

func TestSocialSQLite(t *testing.T) {
	t.Parallel()
	socialtest.Run(t, socialBackend(catalogtest.SQLiteDSN))
}

func TestSocialPostgres(t *testing.T) {
	t.Parallel()
	socialtest.Run(t, socialBackend(catalogtest.PostgresDSN))
}
