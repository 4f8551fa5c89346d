package workflows

import (
	"os"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistories replays histories recorded from a real run
// on the embedded Temporal server, kill -9s included (see recordHistories
// in cmd/musicctl/ingest_e2e_test.go). A change to the workflow code that
// would break running workflows (non-determinism) fails here.
func TestReplayRecordedHistories(t *testing.T) {
	for _, tc := range []struct {
		file string
		wf   any
		id   string // the recorded workflow ID: IngestDelivery derives child IDs from it
	}{
		{"testdata/ingest_delivery.history.json", IngestDelivery, "ingest:PADPIDA2026112701X:OMDEMO-000000000420-1"},
		{"testdata/ingest_track.history.json", IngestTrack, "ingest:PADPIDA2026112701X:OMDEMO-000000000420-1/trk-QZOM72600100"},
	} {
		f, err := os.Open(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		r := worker.NewWorkflowReplayer()
		r.RegisterWorkflow(tc.wf)
		err = r.ReplayWorkflowHistoryWithOptions(nil, h, worker.ReplayWorkflowHistoryOptions{
			OriginalExecution: workflow.Execution{ID: tc.id, RunID: "recorded"},
		})
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
		}
	}
}
