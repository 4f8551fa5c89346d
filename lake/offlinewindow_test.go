package lake_test

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/lake"
	"github.com/openmusic/music/plays"
)

// TestOfflineWindowFitsReportAge proves the boundary issue #15 relies on:
// a play an offline licence allowed (at most OfflineLicenceWindow before
// it is uploaded) is still accepted into the lake, and one a moment older
// is refused, so no licence allows a play the royalty count cannot see.
func TestOfflineWindowFitsReportAge(t *testing.T) {
	if music.OfflineLicenceWindow != lake.MaxReportAge {
		t.Fatalf("licence window %v differs from the report age limit %v", music.OfflineLicenceWindow, lake.MaxReportAge)
	}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	play := func(age time.Duration) plays.Event {
		at := now.Add(-age)
		return plays.Event{EventID: "e1", TrackID: "t1", SessionID: "s1", DeviceID: "d1", UserID: "u1", Territory: "GB",
			UserCreatedAt: now.Add(-400 * 24 * time.Hour).UnixMilli(), PlayedAt: at.UnixMilli(), ReceivedAt: now.UnixMilli(),
			DurationListenedMs: 180_000, Completed: true, Quality: "160kbps"}
	}
	if err := lake.Validate(play(music.OfflineLicenceWindow-time.Millisecond), now); err != nil {
		t.Fatalf("a play at the last moment of its licence was refused: %v", err)
	}
	if err := lake.Validate(play(music.OfflineLicenceWindow+time.Millisecond), now); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("a play past the window: %v, want it refused", err)
	}
}
