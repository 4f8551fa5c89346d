package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/ingest"
	"github.com/openmusic/music/workflows"
)

// exitNotPublished is the exit status when a workflow ran but a release
// was not published (a track failed).
const exitNotPublished = 3

// startedDelivery is one delivery handed to Temporal.
type startedDelivery struct {
	Dir        string `json:"dir"`
	WorkflowID string `json:"workflow_id"`
	RunID      string `json:"run_id"`
	// Existing is true when this message was delivered before: nothing
	// was uploaded and the first run's result is what counts.
	Existing bool `json:"existing"`
}

// runIngest validates, uploads and starts every delivery in dir, then
// (unless noWait) shows progress and prints the reports.
func runIngest(ctx context.Context, cmd *cobra.Command, cfg *Config, dir string, v *ingest.Validator, noWait bool) error {
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	check, err := checkDeliveries(ctx, dir, v)
	if err != nil {
		return err
	}
	if !check.Valid {
		if err := printCheck(out, check, cfg.JSON); err != nil {
			return err
		}
		return &exitError{code: exitInvalidDelivery, err: fmt.Errorf("delivery rejected before upload: %d problem(s)", check.Problems)}
	}
	sender, err := ingestSender(ctx, cfg)
	if err != nil {
		return err
	}
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return err
	}
	tc, _, err := dialClusterTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	var started []startedDelivery
	for _, d := range check.Deliveries {
		s, err := startDelivery(ctx, tc, blobs, d, sender)
		if err != nil {
			return err
		}
		if !cfg.JSON {
			what := "started"
			if s.Existing {
				what = "already delivered; following the first run"
			}
			fmt.Fprintf(errOut, "%s: workflow %s %s\n", d.Dir, s.WorkflowID, what)
		}
		started = append(started, s)
	}
	if noWait {
		if cfg.JSON {
			return json.NewEncoder(out).Encode(map[string]any{"started": started})
		}
		for _, s := range started {
			fmt.Fprintf(out, "%s\t%s\n", s.WorkflowID, s.RunID)
		}
		return nil
	}
	reports, err := waitForReports(ctx, tc, started, errOut, !cfg.JSON)
	if err != nil {
		return err
	}
	if cfg.JSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"reports": reports}); err != nil {
			return err
		}
	} else {
		for _, r := range reports {
			printReport(out, r)
		}
	}
	return reportsExit(reports)
}

// startDelivery uploads one valid delivery folder and starts its workflow,
// or finds the workflow a previous delivery of the same message started.
func startDelivery(ctx context.Context, tc client.Client, blobs music.BlobStore, d dryRunDelivery, sender deliverySender) (startedDelivery, error) {
	// The account, not the message's SenderId, scopes the ID: another
	// label cannot take a workflow ID this label's messages will need.
	id, err := ingest.WorkflowID(sender.userID, d.Summary.MessageID)
	if err != nil {
		return startedDelivery{}, err
	}
	s := startedDelivery{Dir: d.Dir, WorkflowID: id}
	if desc, err := tc.DescribeWorkflowExecution(ctx, id, ""); err == nil {
		s.RunID, s.Existing = desc.WorkflowExecutionInfo.Execution.RunId, true
		return s, nil
	} else if !isNotFound(err) {
		return s, fmt.Errorf("look up workflow %s: %w", id, err)
	}
	prefix := incomingPrefix(id)
	if err := music.PutDir(ctx, blobs, d.Abs, prefix); err != nil { // validation refused symlinks leaving the folder
		return s, err
	}
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    id,
		TaskQueue:             workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.IngestDelivery, workflows.IngestDeliveryInput{Prefix: prefix, SenderTokenSHA256: sender.tokenSHA256})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &already):
		s.RunID, s.Existing = already.RunId, true
	case err != nil:
		return s, fmt.Errorf("start workflow %s: %w", id, err)
	default:
		s.RunID = run.GetRunID()
	}
	return s, nil
}

// deliverySender is the label account whose --token runs the ingest.
// The workflow gets the token's hash and checks it again itself.
type deliverySender struct {
	userID, tokenSHA256 string
}

// ingestSender resolves --token to a label account.
func ingestSender(ctx context.Context, cfg *Config) (deliverySender, error) {
	if cfg.Token == "" {
		return deliverySender{}, music.Errorf(music.EINVALID, "--token (MUSIC_TOKEN, --token-file): the delivering label account's bearer token is required")
	}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return deliverySender{}, err
	}
	defer cat.Close()
	u, err := cat.UserByToken(ctx, cfg.Token)
	if err != nil {
		return deliverySender{}, fmt.Errorf("%s: %w", cfg.Source("token"), err)
	}
	if u.Role != music.RoleLabel {
		return deliverySender{}, music.Errorf(music.EFORBIDDEN, "%s: account %s is a %s account; deliveries come from label accounts", cfg.Source("token"), u.Name, u.Role)
	}
	return deliverySender{userID: u.ID, tokenSHA256: music.TokenHash(cfg.Token)}, nil
}

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

// incomingPrefix is where a delivery is uploaded: one folder per
// workflow ID, hashed because IDs may hold characters keys should not.
func incomingPrefix(workflowID string) string {
	sum := sha256.Sum256([]byte(workflowID))
	return "incoming/" + hex.EncodeToString(sum[:12]) + "/"
}

// reportsExit turns the outcomes into the exit status.
func reportsExit(reports []workflows.IngestReport) error {
	for _, r := range reports {
		switch r.Status {
		case workflows.StatusPublished, workflows.StatusPurged:
		case workflows.StatusRejected:
			return &exitError{code: exitInvalidDelivery, err: fmt.Errorf("%s: rejected: %s", r.WorkflowID, r.Reason)}
		default:
			return &exitError{code: exitNotPublished, err: fmt.Errorf("%s: %s: %s", r.WorkflowID, r.Status, r.Reason)}
		}
	}
	return nil
}

// printReport writes one delivery's final report for people.
func printReport(out io.Writer, r workflows.IngestReport) {
	fmt.Fprintf(out, "%s  %s  %s %q  (%.1f s)\n", strings.ToUpper(r.Status), r.WorkflowID, orDash(r.ReleaseID), r.Title, r.Seconds)
	if r.Reason != "" {
		fmt.Fprintf(out, "  %s\n", r.Reason)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(out, "  [%s] %s %s: %s\n", p.Code, p.File, p.Path, p.Message)
	}
	if r.AlbumGain != nil {
		fmt.Fprintf(out, "  album gain %+.2f dB, peak %.6f\n", r.AlbumGain.Gain, r.AlbumGain.Peak)
	}
	for _, p := range r.Purged {
		fmt.Fprintf(out, "  taken down %s\n", p)
	}
	for _, t := range r.Tracks {
		fmt.Fprintf(out, "  %-12s %-17s %-9s dedup=%s", t.ISRC, t.TrackID, t.Status, orDash(t.Dedup.Decision))
		if t.Dedup.MatchedTrackID != "" {
			fmt.Fprintf(out, " (%s, score %.3f)", t.Dedup.MatchedTrackID, t.Dedup.Score)
		}
		if t.Loudness != nil {
			fmt.Fprintf(out, " %.1f LUFS gain %+.2f dB", t.Loudness.Integrated, t.Loudness.Gain)
		}
		fmt.Fprintf(out, " renditions=%d\n", len(t.Renditions))
		if t.Error != "" {
			fmt.Fprintf(out, "    error: %s\n", t.Error)
		}
	}
}
