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
	"github.com/openmusic/music/blobfile"
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

// IngestDeliveryStart is one validated delivery folder to hand to Temporal.
type IngestDeliveryStart struct {
	WorkflowID        string // ingest.WorkflowID of the sending account and the MessageId
	Dir, Abs          string // the folder as the user named it, and on disk
	SenderTokenSHA256 string // hash of the label token that runs the ingest; the workflow checks it
}

// StartDelivery uploads one validated delivery folder to the incoming area
// and starts IngestDelivery under its workflow ID. When that workflow
// exists already, from an earlier delivery of the same message, nothing is
// uploaded and the existing run is returned.
func StartDelivery(ctx context.Context, tc client.Client, blobs music.BlobStore, in IngestDeliveryStart) (StartedDelivery, error) {
	workflowID := in.WorkflowID
	s := StartedDelivery{Dir: in.Dir, WorkflowID: workflowID}
	if desc, err := tc.DescribeWorkflowExecution(ctx, workflowID, ""); err == nil {
		s.RunID, s.Existing = desc.WorkflowExecutionInfo.Execution.RunId, true
		return s, nil
	} else if !isNotFound(err) {
		return s, fmt.Errorf("look up workflow %s: %w", workflowID, err)
	}
	prefix := IncomingPrefix(workflowID)
	if err := blobfile.PutDir(ctx, blobs, in.Abs, prefix); err != nil { // validation refused symlinks leaving the folder
		return s, err
	}
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    workflowID,
		TaskQueue:             TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, IngestDelivery, IngestDeliveryInput{Prefix: prefix, SenderTokenSHA256: in.SenderTokenSHA256})
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
