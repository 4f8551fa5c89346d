package serving

import (
	"testing"
	"time"
)

func TestEpisodeCompletes(t *testing.T) {
	hour := time.Hour
	for _, c := range []struct {
		pos, d time.Duration
		want   bool
	}{
		{hour - 31*time.Second, hour, false},
		{hour - 30*time.Second, hour, true}, // the last 30 s of a long episode
		{hour + time.Second, hour, true},
		{9 * time.Second, 10 * time.Second, false}, // a short one: the last 5 %
		{9600 * time.Millisecond, 10 * time.Second, true},
		{0, 0, false},
	} {
		if got := completes(c.pos, c.d); got != c.want {
			t.Errorf("completes(%v, %v) = %v, want %v", c.pos, c.d, got, c.want)
		}
	}
}
