package connect

import (
	"time"
)

// PositionAt is st's playback position at now: PositionMS moved on by
// the time since Timestamp while playing, never past the track's end.
func PositionAt(st *PlayerState, now time.Time) int64 {
	pos := st.PositionMS
	if st.Playing {
		pos += now.UnixMilli() - st.Timestamp
	}
	if st.DurationMS > 0 && pos > st.DurationMS {
		pos = st.DurationMS
	}
	return max(pos, 0)
}
