package offline

import (
	"time"

	music "github.com/openmusic/music"
)

// ClockFrom returns a device clock that reads at (an RFC 3339 time) now
// and runs on from there at the real clock's pace, so a play still lasts
// as long as it took. It lets the commands be tried days ahead or back
// (a licence lapsing, a play queued weeks ago) without moving the
// machine's clock.
func ClockFrom(at string) (func() time.Time, error) {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "clock %q: want an RFC 3339 time such as 2026-01-02T15:04:05Z", at)
	}
	start := time.Now()
	return func() time.Time { return t.Add(time.Since(start)) }, nil
}
