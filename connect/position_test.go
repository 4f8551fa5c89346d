package connect

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func TestPositionAt(t *testing.T) {
	t0 := time.UnixMilli(1_000_000)
	for _, c := range []struct {
		name  string
		st    music.PlayerState
		after time.Duration
		want  int64
	}{
		{"paused stays put", music.PlayerState{PositionMS: 5000, Timestamp: t0.UnixMilli(), DurationMS: 60000}, 10 * time.Second, 5000},
		{"playing moves on", music.PlayerState{PositionMS: 5000, Timestamp: t0.UnixMilli(), DurationMS: 60000, Playing: true}, 10 * time.Second, 15000},
		{"never past the end", music.PlayerState{PositionMS: 55000, Timestamp: t0.UnixMilli(), DurationMS: 60000, Playing: true}, 10 * time.Second, 60000},
		{"no duration, no cap", music.PlayerState{PositionMS: 55000, Timestamp: t0.UnixMilli(), Playing: true}, 10 * time.Second, 65000},
		{"a clock behind the timestamp gives 0, not less", music.PlayerState{PositionMS: 1000, Timestamp: t0.UnixMilli(), Playing: true}, -5 * time.Second, 0},
	} {
		if got := PositionAt(&c.st, t0.Add(c.after)); got != c.want {
			t.Errorf("%s: PositionAt = %d, want %d", c.name, got, c.want)
		}
	}
}
