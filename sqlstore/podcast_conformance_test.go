package sqlstore_test

import (
	"context"
	"testing"

	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/podcasttest"
	"github.com/openmusic/music/sqlstore"
)

func podcastBackend(fresh func(testing.TB) string) func(t *testing.T) podcasttest.Store {
	return func(t *testing.T) podcasttest.Store {
		s, err := sqlstore.Open(context.Background(), fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Now = tickingClock()
		return s
	}
}

func TestPodcastsSQLite(t *testing.T) {
	t.Parallel()
	podcasttest.Run(t, podcastBackend(catalogtest.SQLiteDSN))
}

func TestPodcastsPostgres(t *testing.T) {
	t.Parallel()
	podcasttest.Run(t, podcastBackend(catalogtest.PostgresDSN))
}
