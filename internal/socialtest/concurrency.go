package socialtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/race"
	"github.com/openmusic/music/internal/testwait"
)

// Concurrency test size: 50 clients over 25 users, so every follow and
// unfollow races another of the same user on the same playlist, and all
// of them race on the playlist's count.
const (
	clients   = 50
	followers = 25
)

// opsWanted is the number of follows and unfollows in all: 1,000, or
// 200 under -race.
func opsWanted() int {
	if race.Enabled {
		return 200
	}
	return 1000
}

// testConcurrentFollowers runs the clients' random follows and unfollows
// of one playlist at once. The kept count must then equal the number of
// users who follow it, and each user must see what its last call left
// (both clients of a user end on the same call).
func testConcurrentFollowers(t *testing.T, s Store) {
	ctx := context.Background()
	owner := user(t, s, "owner", music.RoleListener)
	p, err := s.CreatePlaylist(ctx, owner, "Popular", "", true)
	if err != nil {
		t.Fatal(err)
	}
	users := make([]string, followers)
	for i := range users {
		users[i] = user(t, s, fmt.Sprintf("fan-%02d", i), music.RoleListener)
	}
	var wg sync.WaitGroup
	errc := make(chan error, clients)
	perClient := opsWanted() / clients
	for c := range clients {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 17))
			u := users[c%followers]
			for i := range perClient {
				op := s.Follow
				// The last call of both clients of a user is a follow for
				// even users and an unfollow for odd ones.
				last := i == perClient-1
				if (last && c%followers%2 == 1) || (!last && rng.IntN(2) == 0) {
					op = s.Unfollow
				}
				if err := op(ctx, u, music.FollowPlaylist, []string{p.ID}); err != nil {
					errc <- fmt.Errorf("client %d call %d: %w", c, i, err)
					return
				}
			}
		}(c)
	}
	testwait.Group(t, &wg, 5*time.Minute, "the concurrent followers")
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	following := 0
	for i, u := range users {
		got, err := s.FollowsContain(ctx, u, music.FollowPlaylist, []string{p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got[0] {
			following++
		}
		if want := i%2 == 0; got[0] != want {
			t.Errorf("fan-%02d follows %v after its last call, want %v", i, got[0], want)
		}
	}
	n := count(t, s, music.FollowPlaylist, p.ID)
	t.Logf("%d follows and unfollows by %d clients: %d followers, count %d", perClient*clients, clients, following, n)
	if n != following || n != followers/2+followers%2 {
		t.Errorf("follower count %d, but %d users follow (want %d)", n, following, followers/2+followers%2)
	}
}
