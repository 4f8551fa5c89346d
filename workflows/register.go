package workflows

import (
	"go.temporal.io/sdk/worker"
)

// Register adds every workflow and activity to w.
func Register(w worker.Registry, a *Activities) {
	w.RegisterWorkflow(Smoke)
	w.RegisterWorkflow(RoyaltyMonth)
	w.RegisterWorkflow(Rankings)
	w.RegisterActivity(a)
}
