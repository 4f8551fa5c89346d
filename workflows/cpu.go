package workflows

import (
	"context"
	"runtime"
	"time"

	"go.temporal.io/sdk/activity"
)

// CPUSlots bounds the CPU-heavy activities (decode, fingerprint, encode)
// one worker runs at once. Temporal would otherwise hand a worker every
// track of an album together, and ten encodes sharing two cores finish no
// sooner than ten in a row, with ten times the memory and scratch space.
type CPUSlots struct{ slots chan struct{} }

// NewCPUSlots allows n concurrent heavy activities; n <= 0 means one per
// core.
func NewCPUSlots(n int) *CPUSlots {
	if n <= 0 {
		n = runtime.NumCPU()
	}
	return &CPUSlots{slots: make(chan struct{}, n)}
}

// heartbeatEvery is how often activities report while waiting or working;
// well inside heartbeatTimeout.
const heartbeatEvery = 2 * time.Second

// acquire takes a slot, heartbeating while it waits so Temporal does not
// time the queued activity out. The returned func releases the slot.
func (c *CPUSlots) acquire(ctx context.Context) (func(), error) {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case c.slots <- struct{}{}:
			return func() { <-c.slots }, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
			heartbeat(ctx, Heartbeat{Stage: "queued"})
		}
	}
}

// Heartbeat is what the audio activities report; `musicctl ingest` reads
// it from the pending activity to draw progress bars.
type Heartbeat struct {
	Stage    string  `json:"stage"`
	Fraction float64 `json:"fraction"`
}

// heartbeat records progress when running inside an activity (and is a
// no-op in plain unit tests of the helpers).
func heartbeat(ctx context.Context, h Heartbeat) {
	if activity.IsActivity(ctx) {
		activity.RecordHeartbeat(ctx, h)
	}
}
