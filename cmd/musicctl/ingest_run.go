package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/ingest"
	"github.com/openmusic/music/progress"
	"github.com/openmusic/music/workflows"
)

// exitNotPublished is the exit status when a workflow ran but a release
// was not published (a track failed).
const exitNotPublished = 3

// progressEvery is how often the per-track progress is polled.
const progressEvery = 500 * time.Millisecond

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
	started, err := startDeliveries(ctx, cfg.JSON, tc, blobs, check.Deliveries, sender, errOut)
	if err != nil {
		return err
	}
	if noWait {
		return printStarted(out, started, cfg.JSON)
	}
	return waitDeliveries(ctx, tc, started, out, errOut, cfg.JSON)
}

// waitDeliveries follows the started workflows to their end, showing
// progress on errOut unless asJSON, and prints their reports.
func waitDeliveries(ctx context.Context, tc client.Client, started []workflows.StartedDelivery, out, errOut io.Writer, asJSON bool) error {
	reports, err := followDeliveries(ctx, tc, started, errOut, !asJSON)
	if err != nil {
		return err
	}
	if err := printReports(out, reports, asJSON); err != nil {
		return err
	}
	return reportsExit(reports)
}

// startDeliveries uploads and starts each valid delivery, saying on
// progress which were new and which were delivered before.
func startDeliveries(ctx context.Context, quiet bool, tc client.Client, blobs music.BlobStore, ds []dryRunDelivery, sender deliverySender, progress io.Writer) ([]workflows.StartedDelivery, error) {
	var started []workflows.StartedDelivery
	for _, d := range ds {
		// The account, not the message's SenderId, scopes the ID: another
		// label cannot take a workflow ID this label's messages will need.
		id, err := ingest.WorkflowID(sender.userID, d.Summary.MessageID)
		if err != nil {
			return nil, err
		}
		s, err := workflows.StartDelivery(ctx, tc, blobs, workflows.IngestDeliveryStart{WorkflowID: id, Dir: d.Dir, Abs: d.Abs, SenderTokenSHA256: sender.tokenSHA256})
		if err != nil {
			return nil, err
		}
		if !quiet {
			what := "started"
			if s.Existing {
				what = "already delivered; following the first run"
			}
			fmt.Fprintf(progress, "%s: workflow %s %s\n", d.Dir, s.WorkflowID, what)
		}
		started = append(started, s)
	}
	return started, nil
}

// followDeliveries waits for the reports, drawing per-track progress on w
// when show.
func followDeliveries(ctx context.Context, tc client.Client, started []workflows.StartedDelivery, w io.Writer, show bool) ([]workflows.IngestReport, error) {
	if !show {
		return workflows.FollowDeliveries(ctx, tc, started, progressEvery, nil)
	}
	view := progress.New(w)
	defer view.Close()
	return workflows.FollowDeliveries(ctx, tc, started, progressEvery, func(lines []workflows.IngestLine) {
		items := make([]progress.Item, len(lines))
		for i, l := range lines {
			items[i] = progress.Item{Key: l.Delivery + "/" + l.ISRC, Label: orDash(l.ISRC), Stage: l.Stage, Fraction: l.Fraction}
		}
		view.Update(items)
	})
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

// printStarted reports the workflows `ingest --no-wait` started.
func printStarted(out io.Writer, started []workflows.StartedDelivery, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(out).Encode(map[string]any{"started": started})
	}
	for _, s := range started {
		fmt.Fprintf(out, "%s\t%s\n", s.WorkflowID, s.RunID)
	}
	return nil
}

// printReports writes the final reports as JSON or for people.
func printReports(out io.Writer, reports []workflows.IngestReport, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"reports": reports})
	}
	for _, r := range reports {
		printReport(out, r)
	}
	return nil
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
