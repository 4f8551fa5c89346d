package sqlstore

import (
	"context"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/recotest"
)

func recoBackend(dsn func(testing.TB) string) recotest.Backend {
	open := func(t *testing.T) *Store {
		st, err := Open(context.Background(), dsn(t))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	return recotest.Backend{
		Open: func(t *testing.T) music.RecoCache {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			return st
		},
		Down: func(t *testing.T) music.RecoCache {
			st := open(t)
			st.Close()
			return st
		},
	}
}

func TestRecoCacheSQLite(t *testing.T)   { recotest.Run(t, recoBackend(catalogtest.SQLiteDSN)) }
func TestRecoCachePostgres(t *testing.T) { recotest.Run(t, recoBackend(catalogtest.PostgresDSN)) }
