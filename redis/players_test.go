package redis

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/internal/connecttest"
)

// testURL is the Redis the tests use: MUSIC_TEST_REDIS_URL, else the one
// this machine runs.
func testURL() string {
	if u := os.Getenv("MUSIC_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// openTest connects to the test Redis, skipping when there is none
// (failing instead under MUSIC_REQUIRE_REDIS=1, as make test sets).
func openTest(t testing.TB) *Client {
	t.Helper()
	c, err := Open(context.Background(), testURL())
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_REDIS") == "1" {
			t.Fatalf("MUSIC_REQUIRE_REDIS=1 and no Redis: %v", err)
		}
		t.Skipf("no Redis: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testPrefix is a key prefix of this test alone; its keys are deleted
// when the test ends.
func testPrefix(t testing.TB, c *Client) string {
	prefix := fmt.Sprintf("test:%d:%d:", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.rdb.Del(ctx, iter.Val())
		}
	})
	return prefix
}

// redisBackend gives each test two stores on two connections (two
// serving processes) under one fresh prefix.
var redisBackend = connecttest.Backend{Pair: func(t *testing.T, now func() time.Time) (connect.PlayerStore, connect.PlayerStore) {
	c1, c2 := openTest(t), openTest(t)
	prefix := testPrefix(t, c1)
	a, b := NewPlayerStore(c1, prefix, now), NewPlayerStore(c2, prefix, now)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}}

func TestRedisStore(t *testing.T)   { connecttest.RunStore(t, redisBackend) }
func TestRedisService(t *testing.T) { connecttest.RunService(t, redisBackend) }
