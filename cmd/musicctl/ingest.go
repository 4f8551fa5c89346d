package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/ingest"
)

// exitInvalidDelivery is the exit status of `ingest --dry-run` when the
// delivery has problems (1 stays for errors running the command itself).
const exitInvalidDelivery = 2

// newIngestCmd builds `musicctl ingest`.
func newIngestCmd(cfg *Config) *cobra.Command {
	var dryRun, noWait bool
	cmd := &cobra.Command{
		Use:   "ingest [--dry-run] [--no-wait] [--json] DIR|s3://BUCKET/PREFIX",
		Short: "Ingest a DDEX ERN 4.3 label delivery through the IngestDelivery workflow",
		Long: `Ingest a label delivery: a folder with one DDEX ERN 4.3 message and its
resources/, or a batch folder with one such folder per release and a
BatchComplete_*.xml marker. The delivery may also be read from S3
(s3://bucket/prefix?endpoint=…, credentials as for --blob).

Every delivery is validated here first; a delivery with problems is not
uploaded. A valid one is uploaded to the blob store's incoming/ area and
the IngestDelivery workflow is started with an ID derived from the label
account and MessageId, so delivering the same message again starts nothing
new and prints the first result. The sender is the label account whose
--token (MUSIC_TOKEN, --token-file) runs this, never the message's SenderId:
it owns the releases and ISRCs it delivers first, and a delivery or purge
touching another label's is rejected. Progress is shown per track on stderr; the
final report lists each ISRC with its track ID, dedup decision,
renditions, loudness and status.

--dry-run validates and ingests nothing. --no-wait starts the workflows and
returns. Exit status: 0 when every release was published (or purged), 2
when a delivery has problems, 3 when the workflow failed a track, 1 on
other errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngestCmd(cmd, cfg, args[0], dryRun, noWait)
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate the delivery and print every problem; ingest nothing")
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "start the workflows and exit without waiting for them")
	cfg.BindToken(cmd.Flags(), "the label account delivering (required unless --dry-run); it owns what it delivers")
	cfg.BindJSON(cmd.Flags())
	return cmd
}

// runIngestCmd validates the delivery at src and, unless dryRun, ingests it.
func runIngestCmd(cmd *cobra.Command, cfg *Config, src string, dryRun, noWait bool) error {
	ctx := cmd.Context()
	dir, cleanup, err := deliverySource(ctx, src)
	if err != nil {
		return err
	}
	defer cleanup()
	// The encode step's own decoders judge the audio, so a file
	// passes validation exactly when the pipeline can encode it.
	v := &ingest.Validator{Prober: ingest.ProberFunc(encode.ProbeSeconds)}
	if dryRun {
		return runIngestDryRun(ctx, cmd.OutOrStdout(), dir, cfg.JSON, v)
	}
	return runIngest(ctx, cmd, cfg, dir, v, noWait)
}

// dryRunResult is the --json output of a dry run.
type dryRunResult struct {
	Dir        string           `json:"dir"`
	Complete   bool             `json:"complete"`
	Valid      bool             `json:"valid"`
	Problems   int              `json:"problem_count"`
	Batch      ingest.Problems  `json:"batch_problems"`
	Deliveries []dryRunDelivery `json:"deliveries"`
}

type dryRunDelivery struct {
	Dir      string          `json:"dir"` // relative to Dir
	Abs      string          `json:"-"`
	Message  string          `json:"message,omitempty"`
	Summary  *ingest.Summary `json:"summary,omitempty"`
	Problems ingest.Problems `json:"problems"`
}

// checkDeliveries validates every delivery in dir, as a dry run reports
// it; the workflow IDs of valid deliveries come with the summaries.
func checkDeliveries(ctx context.Context, dir string, v *ingest.Validator) (dryRunResult, error) {
	batch, err := ingest.FindDeliveries(ctx, dir)
	if err != nil {
		return dryRunResult{}, err
	}
	res := dryRunResult{Dir: dir, Complete: batch.Complete, Batch: ingest.Problems{}, Deliveries: []dryRunDelivery{}}
	if !batch.Complete {
		res.Batch = append(res.Batch, ingest.Problem{Code: ingest.ProblemLayout,
			Message: "batch is not complete: no BatchComplete_*.xml marker (the sender may still be uploading)"})
	}
	res.Problems = len(res.Batch)
	for _, d := range batch.Deliveries {
		rep, err := v.Validate(ctx, d)
		if err != nil {
			return dryRunResult{}, err
		}
		rel, err := filepath.Rel(batch.Dir, d)
		if err != nil {
			rel = d
		}
		dd := dryRunDelivery{Dir: rel, Abs: d, Message: rep.Message, Problems: rep.Problems}
		if rep.Delivery != nil {
			s := rep.Delivery.Summary()
			dd.Summary = &s
		}
		res.Problems += len(rep.Problems)
		res.Deliveries = append(res.Deliveries, dd)
	}
	res.Valid = res.Problems == 0
	return res, nil
}

// runIngestDryRun validates every delivery in dir and prints the result.
func runIngestDryRun(ctx context.Context, out io.Writer, dir string, asJSON bool, v *ingest.Validator) error {
	res, err := checkDeliveries(ctx, dir, v)
	if err != nil {
		return err
	}
	if err := printCheck(out, res, asJSON); err != nil {
		return err
	}
	if !res.Valid {
		return &exitError{code: exitInvalidDelivery, err: fmt.Errorf("delivery rejected: %d problem(s)", res.Problems)}
	}
	return nil
}

// printCheck writes a validation result as JSON or for people.
func printCheck(out io.Writer, res dryRunResult, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printDryRun(out, res)
	return nil
}

// printDryRun writes the human-readable report.
func printDryRun(out io.Writer, res dryRunResult) {
	for _, p := range res.Batch {
		fmt.Fprintf(out, "PROBLEM %s: %s\n", res.Dir, p.Message)
	}
	for _, d := range res.Deliveries {
		printDryRunDelivery(out, d)
	}
	if res.Problems == 0 {
		fmt.Fprintln(out, "valid: ready to ingest")
	} else {
		fmt.Fprintf(out, "rejected: %d problem(s)\n", res.Problems)
	}
}

// printDryRunDelivery writes one delivery's summary and problems.
func printDryRunDelivery(out io.Writer, d dryRunDelivery) {
	fmt.Fprintf(out, "delivery %s\n", filepath.Join(d.Dir, d.Message))
	if s := d.Summary; s != nil {
		switch {
		case s.Kind == ingest.KindPurgeRelease:
			fmt.Fprintf(out, "  purge of %s (message %s from %s)\n", strings.Join(s.Purged, ", "), s.MessageID, s.Sender)
		default:
			fmt.Fprintf(out, "  release UPC %s  %q by %s  label %s  date %s\n", orDash(s.UPC), s.Title, orDash(s.Artist), orDash(s.Label), orDash(s.ReleaseDate))
			fmt.Fprintf(out, "  message %s from %s, workflow ID %s\n", orDash(s.MessageID), s.Sender, orDash(s.WorkflowID))
			fmt.Fprintf(out, "  %d track(s)\n", len(s.Tracks))
			for _, t := range s.Tracks {
				secs := int(t.Duration + 0.5)
				fmt.Fprintf(out, "    %d.%02d  %-12s  %d:%02d  %s\n", t.Disc, t.Number, t.ISRC, secs/60, secs%60, t.Title)
			}
		}
	}
	if len(d.Problems) == 0 {
		fmt.Fprintln(out, "  OK: no problems")
		return
	}
	fmt.Fprintf(out, "  %d PROBLEM(S):\n", len(d.Problems))
	for _, p := range d.Problems {
		loc := d.Dir
		if p.File != "" {
			loc = filepath.Join(d.Dir, p.File)
		}
		if p.Path != "" {
			loc += " " + p.Path
		}
		fmt.Fprintf(out, "    [%s] %s: %s\n", p.Code, loc, p.Message)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
