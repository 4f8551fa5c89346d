package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/sqlstore"
)

// benchStores runs fn on an empty store of each backend; PostgreSQL is
// skipped when it does not answer (see catalogtest.PostgresDSN).
func benchStores(b *testing.B, fn func(b *testing.B, s *sqlstore.Store)) {
	for _, bk := range []struct {
		name  string
		fresh func(t testing.TB) string
	}{{"sqlite", catalogtest.SQLiteDSN}, {"postgres", catalogtest.PostgresDSN}} {
		b.Run(bk.name, func(b *testing.B) {
			s, err := sqlstore.Open(context.Background(), bk.fresh(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			fn(b, s)
		})
	}
}

// BenchmarkTrack measures the listener's track lookup that serves
// GET /api/v1/tracks/{id}: track, credits, renditions and the deal check.
func BenchmarkTrack(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		for n := 0; n < 20; n++ {
			if err := s.PutRelease(ctx, catalogtest.Publication(n, 10)); err != nil {
				b.Fatal(err)
			}
		}
		v := music.Visibility{Territory: "DE"}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id := fmt.Sprintf("rel-%d-d1t%02d", i%20, i%5+1)
			if _, err := s.Track(ctx, id, v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPutRelease measures publishing a 10-track release in one
// transaction (each iteration a new release).
func BenchmarkPutRelease(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			if err := s.PutRelease(ctx, catalogtest.Publication(i, 10)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
