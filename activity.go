package music

import (
	"context"
	"time"
)

// Activity is the latest thing a user played, as friends see it.
type Activity struct {
	UserID   string
	TrackID  string
	PlayedAt time.Time // when playback of the track started
}

// Check refuses an entry no store should keep.
func (a Activity) Check() error {
	if a.UserID == "" || a.TrackID == "" || a.PlayedAt.IsZero() {
		return Errorf(EINVALID, "activity: user, track and time are required")
	}
	return nil
}

// ActivityTTL is how long a user's latest play stays visible to friends.
const ActivityTTL = 7 * 24 * time.Hour

// MaxActivityIDs bounds one Latest call.
const MaxActivityIDs = 1000

// ActivityStore keeps each user's latest play: one entry per user,
// written once per play whatever the user's follower count (fan-out on
// read: a viewer reads the entries of whom they follow). It is ephemeral:
// in process when embedded, on Redis at scale. Implementations: friends
// (memory), redis.
type ActivityStore interface {
	// Record keeps a as its user's latest activity, unless one that
	// started later is kept already (events may arrive out of order).
	Record(ctx context.Context, a Activity) error
	// Latest returns the kept activity of those of userIDs (at most
	// MaxActivityIDs) that have one younger than ActivityTTL, in the
	// order of userIDs.
	Latest(ctx context.Context, userIDs []string) ([]Activity, error)
	// Forget drops a user's activity.
	Forget(ctx context.Context, userID string) error
}
