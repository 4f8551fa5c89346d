package workflows

import (
	"testing"

	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays histories recorded from a real run
// on the embedded Temporal server (see recordHistories in
// cmd/musicctl/ingest_e2e_test.go). A change to the workflow code that
// would break running workflows (non-determinism) fails here.
func TestReplayRecordedHistories(t *testing.T) {
	for _, tc := range []struct {
		file string
		wf   any
	}{
		{"testdata/ingest_delivery.history.json", IngestDelivery},
		{"testdata/ingest_track.history.json", IngestTrack},
	} {
		r := worker.NewWorkflowReplayer()
		r.RegisterWorkflow(tc.wf)
		if err := r.ReplayWorkflowHistoryFromJSONFile(nil, tc.file); err != nil {
			t.Errorf("%s: %v", tc.file, err)
		}
	}
}
