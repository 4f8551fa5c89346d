package workflows

import (
	"go.temporal.io/sdk/worker"
)

// Register adds every workflow and the activities to a worker.
func Register(w worker.Registry, a *Activities) {
	w.RegisterWorkflow(Smoke)
	w.RegisterWorkflow(IngestDelivery)
	w.RegisterWorkflow(IngestTrack)
	w.RegisterWorkflow(RoyaltyMonth)
	w.RegisterWorkflow(ScheduledRoyaltyMonth)
	w.RegisterWorkflow(Rankings)
	w.RegisterWorkflow(BackfillAudioFeatures)
	w.RegisterWorkflow(Popularity)
	w.RegisterWorkflow(Recommendations)
	w.RegisterWorkflow(PodcastFeed)
	w.RegisterActivity(a)
}
