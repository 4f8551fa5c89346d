package workflows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	music "github.com/openmusic/music"
)

// StartedDelivery is one delivery handed to Temporal.
type StartedDelivery struct {
	Dir        string `json:"dir"`
	WorkflowID string `json:"workflow_id"`
	RunID      string `json:"run_id"`
	// Existing is true when this message was delivered before: nothing
	// was uploaded and the first run's result is what counts.
	Existing bool `json:"existing"`
}

// StartDelivery uploads one validated delivery folder (abs on disk, dir as
// the user named it) to the incoming area and starts IngestDelivery under
// workflowID, the ID the delivery's sender and MessageId give it
// (ingest.Summary.WorkflowID). When that workflow exists already, from an
// earlier delivery of the same message, nothing is uploaded and the
// existing run is returned.
func StartDelivery(ctx context.Context, tc client.Client, blobs music.BlobStore, workflowID, dir, abs string) (StartedDelivery, error) {
	s := StartedDelivery{Dir: dir, WorkflowID: workflowID}
	if desc, err := tc.DescribeWorkflowExecution(ctx, workflowID, ""); err == nil {
		s.RunID, s.Existing = desc.WorkflowExecutionInfo.Execution.RunId, true
		return s, nil
	} else if !isNotFound(err) {
		return s, fmt.Errorf("look up workflow %s: %w", workflowID, err)
	}
	prefix := IncomingPrefix(workflowID)
	if err := music.PutDir(ctx, blobs, abs, prefix); err != nil { // validation refused symlinks leaving the folder
		return s, err
	}
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    workflowID,
		TaskQueue:             TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, IngestDelivery, IngestDeliveryInput{Prefix: prefix})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &already): // a concurrent delivery of the same message won
		s.RunID, s.Existing = already.RunId, true
	case err != nil:
		return s, fmt.Errorf("start workflow %s: %w", workflowID, err)
	default:
		s.RunID = run.GetRunID()
	}
	return s, nil
}

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

// IncomingPrefix is where a delivery is uploaded: one folder per
// workflow ID, hashed because IDs may hold characters keys should not.
func IncomingPrefix(workflowID string) string {
	sum := sha256.Sum256([]byte(workflowID))
	return "incoming/" + hex.EncodeToString(sum[:12]) + "/"
}
