package redis

import (
	"net"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/recotest"
)

// openRecoCache is a RecoCache on the test Redis under a key prefix of
// this test alone.
func openRecoCache(t *testing.T) *RecoCache {
	c := openTest(t)
	return &RecoCache{Client: c, Prefix: testPrefix(t, c)}
}

func TestRecoCacheConformance(t *testing.T) {
	recotest.Run(t, recotest.Backend{
		Open: func(t *testing.T) music.RecoCache { return openRecoCache(t) },
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
