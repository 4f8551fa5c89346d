package connect

import (
	"testing"
	"time"
)

func TestPositionAt(t *testing.T) {
	t0 := time.UnixMilli(1_000_000)
	for _, c := range []struct {
		name  string
		st    PlayerState
		after time.Duration
		want  int64
	}{
		{"paused stays put", PlayerState{PositionMS: 5000, Timestamp: t0.UnixMilli(), DurationMS: 60000}, 10 * time.Second, 5000},
		{"playing moves on", PlayerState{PositionMS: 5000, Timestamp: t0.UnixMilli(), DurationMS: 60000, Playing: true}, 10 * time.Second, 15000},
		{"never past the end", PlayerState{PositionMS: 55000, Timestamp: t0.UnixMilli(), DurationMS: 60000, Playing: true}, 10 * time.Second, 60000},
		{"no duration, no cap", PlayerState{PositionMS: 55000, Timestamp: t0.UnixMilli(), Playing: true}, 10 * time.Second, 65000},
		{"a clock behind the timestamp gives 0, not less", PlayerState{PositionMS: 1000, Timestamp: t0.UnixMilli(), Playing: true}, -5 * time.Second, 0},
	} {
		if got := PositionAt(&c.st, t0.Add(c.after)); got != c.want {
			t.Errorf("%s: PositionAt = %d, want %d", c.name, got, c.want)
		}
	}
}
