package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/sqlstore"
)

// BenchmarkConcurrentPlaylistFollows is the concurrency case as a
// measurement: per iteration 50 clients (25 users, two each) make 1,000
// follows and unfollows of one playlist at once; after each the kept
// count must equal the users who follow it (checked untimed).
func BenchmarkConcurrentPlaylistFollows(b *testing.B) {
	const clients, users, calls = 50, 25, 1000
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		owner, _, err := s.CreateUser(ctx, "owner", music.RoleListener, "GB")
		if err != nil {
			b.Fatal(err)
		}
		p, err := s.CreatePlaylist(ctx, owner.ID, "Popular", "", true)
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, users)
		for i := range ids {
			u, _, err := s.CreateUser(ctx, fmt.Sprintf("fan-%02d", i), music.RoleListener, "GB")
			if err != nil {
				b.Fatal(err)
			}
			ids[i] = u.ID
		}
		for it := 0; b.Loop(); it++ {
			var wg sync.WaitGroup
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(it), uint64(c)))
					for range calls / clients {
						op := s.Follow
						if rng.IntN(2) == 0 {
							op = s.Unfollow
						}
						if err := op(ctx, ids[c%users], music.FollowPlaylist, []string{p.ID}); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			checkFollowerCount(b, s, ids, p.ID)
			b.StartTimer()
		}
		b.ReportMetric(float64(calls*b.N)/b.Elapsed().Seconds(), "calls/s")
	})
}

// checkFollowerCount fails unless the kept count is the number of users
// following the playlist.
func checkFollowerCount(b *testing.B, s *sqlstore.Store, users []string, playlistID string) {
	ctx := context.Background()
	following := 0
	for _, u := range users {
		got, err := s.FollowsContain(ctx, u, music.FollowPlaylist, []string{playlistID})
		if err != nil {
			b.Fatal(err)
		}
		if got[0] {
			following++
		}
	}
	if n, err := s.FollowerCount(ctx, music.FollowPlaylist, playlistID); err != nil || n != following {
		b.Fatalf("follower count %d (%v), but %d users follow", n, err, following)
	}
}
