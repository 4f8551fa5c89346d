package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/sqlstore"
)

func backend(fresh func(t testing.TB) string) catalogtest.Backend {
	return catalogtest.Backend{
		Fresh:  fresh,
		Tables: sqlstore.CatalogTables,
		Open: func(ctx context.Context, dsn string, now func() time.Time) (catalogtest.Store, error) {
			s, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				return nil, err
			}
			s.Now = now
			return s, nil
		},
	}
}

func TestSQLite(t *testing.T) {
	t.Parallel()
	catalogtest.Run(t, backend(catalogtest.SQLiteDSN))
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	catalogtest.Run(t, backend(catalogtest.PostgresDSN))
}
