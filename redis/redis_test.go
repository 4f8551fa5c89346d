package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/ratelimittest"
	"github.com/openmusic/music/redis"
	"github.com/openmusic/music/serving"
)

// testURL is the machine's Redis; MUSIC_REDIS_URL overrides it.
func testURL() string {
	if u := os.Getenv("MUSIC_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// openRedis connects or skips; with MUSIC_REQUIRE_REDIS=1 (make test) an
// unreachable Redis fails the test instead.
func openRedis(t *testing.T) *redis.Client {
	t.Helper()
	c, err := redis.Open(context.Background(), testURL())
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_REDIS") == "1" {
			t.Fatal(err)
		}
		t.Skipf("NOTICE: no Redis (%v); `make test` starts one", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// prefix is unique per test, so tests never see each other's keys; the
// keys expire on their own when budgets refill.
func prefix(t *testing.T) string {
	b := make([]byte, 6)
	rand.Read(b)
	return "musictest:" + strings.ReplaceAll(t.Name(), "/", ".") + ":" + hex.EncodeToString(b) + ":"
}

func TestLimiterConformance(t *testing.T) {
	c := openRedis(t)
	ratelimittest.Run(t, func(t *testing.T, r music.Rate) music.RateLimiter { return c.Limiter(prefix(t), r) })
}

func TestOpenBadURL(t *testing.T) {
	for _, u := range []string{"http://x", "redis://:secret@127.0.0.1:1/0"} {
		_, err := redis.Open(context.Background(), u)
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) = %v, want an error that hides the password", u, err)
		}
	}
}

// stubIndex answers every search with nothing.
type stubIndex struct{ music.SearchIndex }

func (stubIndex) Search(context.Context, music.SearchQuery) (*music.SearchResults, error) {
	return &music.SearchResults{}, nil
}

// TestSecuritySharedAcrossServers: two serving processes with limiters on
// the same Redis give an address one budget between them, not one each.
func TestSecuritySharedAcrossServers(t *testing.T) {
	p := prefix(t)
	var servers []*serving.Server
	for range 2 {
		s := serving.New()
		s.HandleSearch(stubIndex{})
		s.SetRateLimiter(serving.LimitAPI, openRedis(t).Limiter(p, music.Rate{PerSecond: 0.01, Burst: 4}))
		servers = append(servers, s)
	}
	ok := 0
	for i := range 12 {
		req := httptest.NewRequest("GET", "/api/v1/search?q=a", nil)
		req.RemoteAddr = "198.51.100.3:1234"
		rec := httptest.NewRecorder()
		servers[i%2].Handler().ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("request %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if ok != 4 {
		t.Errorf("12 requests over two servers sharing a burst of 4: %d answered", ok)
	}
}

// TestFallbackWhenRedisIsDown: a shared limiter that cannot reach Redis
// falls back to the process's own limiter instead of failing requests or
// letting everything through.
func TestFallbackWhenRedisIsDown(t *testing.T) {
	c := openRedis(t)
	shared := c.Limiter(prefix(t), music.Rate{PerSecond: 0.01, Burst: 2})
	c.Close() // every call now fails
	l := serving.FallbackLimiter{Shared: shared, Local: serving.NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 2})}
	var got []bool
	for range 3 {
		d, err := l.Allow(context.Background(), "k")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d.Allowed)
	}
	if fmt.Sprint(got) != "[true true false]" {
		t.Errorf("with Redis down: %v, want the local burst of 2", got)
	}
}
