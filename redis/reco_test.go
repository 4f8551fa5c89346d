package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/recotest"
)

// testURL is the machine's Redis; MUSIC_TEST_REDIS_URL overrides it.
func testURL() string {
	if u := os.Getenv("MUSIC_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// openTest connects or skips (fails with MUSIC_REQUIRE_REDIS=1), and
// gives each test its own key prefix, removed afterwards.
func openTest(t *testing.T) *RecoCache {
	t.Helper()
	c, err := Open(context.Background(), testURL())
	if err != nil {
		if os.Getenv("MUSIC_REQUIRE_REDIS") == "1" {
			t.Fatal(err)
		}
		t.Skipf("NOTICE: no Redis (%v); make test starts one", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "musictest:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			c.rdb.Del(ctx, iter.Val())
		}
		c.Close()
	})
	return &RecoCache{Client: c, Prefix: prefix}
}

func TestRecoCacheConformance(t *testing.T) {
	recotest.Run(t, recotest.Backend{
		Open: func(t *testing.T) music.RecoCache { return openTest(t) },
		Down: func(t *testing.T) music.RecoCache {
			ln, err := net.Listen("tcp", "127.0.0.1:0") // a port nobody answers on
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			c := &Client{rdb: goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1}), url: addr}
			t.Cleanup(func() { c.Close() })
			return &RecoCache{Client: c}
		},
	})
}
