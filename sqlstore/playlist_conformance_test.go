package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/playlisttest"
	"github.com/openmusic/music/sqlstore"
)

// tickingClock advances one second per reading, so "newest first" has
// distinct times to sort by.
func tickingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func playlistBackend(fresh func(testing.TB) string) func(t *testing.T) playlisttest.Store {
	return func(t *testing.T) playlisttest.Store {
		s, err := sqlstore.Open(context.Background(), fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		s.Now = tickingClock()
		return s
	}
}

func TestPlaylistsSQLite(t *testing.T) {
	t.Parallel()
	playlisttest.Run(t, playlistBackend(catalogtest.SQLiteDSN))
}

func TestPlaylistsPostgres(t *testing.T) {
	t.Parallel()
	playlisttest.Run(t, playlistBackend(catalogtest.PostgresDSN))
}
