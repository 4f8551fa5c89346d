package serving

import (
	"errors"
	"slices"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// getMany loads only what is absent or expired, in one call, keeps what
// it loaded, and serves expired values while the store is unavailable.
func TestTTLCacheGetMany(t *testing.T) {
	c := newTTLCache[int](time.Minute, 100)
	now := time.Unix(1000, 0)
	var asked [][]string
	load := func(vals map[string]int, err error) func([]string) (map[string]int, error) {
		return func(missing []string) (map[string]int, error) {
			asked = append(asked, slices.Clone(missing))
			return vals, err
		}
	}
	got, err := c.getMany([]string{"a", "b", "c"}, now, load(map[string]int{"a": 1, "b": 2}, nil))
	if err != nil || len(got) != 2 || got["a"] != 1 || got["b"] != 2 || len(asked) != 1 || len(asked[0]) != 3 {
		t.Fatalf("first read: %v %v, asked %v", got, err, asked)
	}
	got, _ = c.getMany([]string{"a", "b", "c"}, now.Add(time.Second), load(map[string]int{"c": 3}, nil))
	if len(got) != 3 || got["c"] != 3 || !slices.Equal(asked[1], []string{"c"}) {
		t.Fatalf("second read: %v, asked %v", got, asked)
	}
	later := now.Add(2 * time.Minute)
	down := music.Errorf(music.EUNAVAILABLE, "catalog down")
	got, err = c.getMany([]string{"a", "b"}, later, load(nil, down))
	if err != nil || got["a"] != 1 || got["b"] != 2 {
		t.Fatalf("store down: %v %v, want the expired values", got, err)
	}
	if _, err = c.getMany([]string{"a", "z"}, later, load(nil, down)); err == nil {
		t.Fatal("store down and z never read: no error")
	}
	broken := errors.New("bad query")
	if _, err = c.getMany([]string{"a"}, later, load(nil, broken)); !errors.Is(err, broken) {
		t.Fatalf("err = %v, want the load's", err)
	}
	if c.stale.Load() != 3 {
		t.Errorf("%d stale answers counted, want 3", c.stale.Load())
	}
}
