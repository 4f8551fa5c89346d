package sqlstore_test

import (
	"context"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/podcasttest"
	"github.com/openmusic/music/sqlstore"
)

func podcastBackend(fresh func(testing.TB) string) func(t *testing.T) music.PodcastStore {
	return func(t *testing.T) music.PodcastStore {
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
