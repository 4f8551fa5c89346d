package serving

import "time"

// completedWithin is how close to an episode's end a position counts as
// finished: the credits and the outro music are often skipped.
const completedWithin = 30 * time.Second

// completes reports whether position finishes an episode of duration d:
// the rule behind music.EpisodeProgress.Completed.
func completes(position, d time.Duration) bool {
	return d > 0 && position >= d-min(completedWithin, d/20)
}
