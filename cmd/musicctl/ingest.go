package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/ingest"
)

// exitInvalidDelivery is the exit status of `ingest --dry-run` when the
// delivery has problems (1 stays for errors running the command itself).
const exitInvalidDelivery = 2

// newIngestCmd builds `musicctl ingest`. Only --dry-run works so far; the
// run through the IngestDelivery workflow is wired in later.
func newIngestCmd(cfg *Config) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "ingest [--dry-run] [--json] DIR",
		Short: "Validate (and later ingest) a DDEX ERN 4.3 label delivery",
		Long: `Ingest a label delivery: a folder with one DDEX ERN 4.3 message and its
resources/, or a batch folder with one such folder per release and a
BatchComplete_*.xml marker.

--dry-run validates everything and ingests nothing: it prints every problem
with its file and XML path, then a summary of each release. Exit status: 0
when the delivery is valid, 2 when it has problems, 1 on other errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !dryRun {
				return music.Errorf(music.EUNSUPPORTED, "ingest without --dry-run is not available yet (the IngestDelivery workflow is not wired in); use --dry-run to validate the delivery")
			}
			// The encode step's own decoders judge the audio, so a file
			// passes validation exactly when the pipeline can encode it.
			v := &ingest.Validator{Prober: ingest.ProberFunc(probeWithEncoder)}
			return runIngestDryRun(cmd.Context(), cmd.OutOrStdout(), args[0], cfg.JSON, v)
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate the delivery and print every problem; ingest nothing")
	cfg.BindJSON(cmd.Flags())
	return cmd
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
	Message  string          `json:"message,omitempty"`
	Summary  *ingest.Summary `json:"summary,omitempty"`
	Problems ingest.Problems `json:"problems"`
}

// runIngestDryRun validates every delivery in dir and prints the result.
func runIngestDryRun(ctx context.Context, out io.Writer, dir string, asJSON bool, v *ingest.Validator) error {
	batch, err := ingest.FindDeliveries(ctx, dir)
	if err != nil {
		return err
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
			return err
		}
		rel, err := filepath.Rel(batch.Dir, d)
		if err != nil {
			rel = d
		}
		dd := dryRunDelivery{Dir: rel, Message: rep.Message, Problems: rep.Problems}
		if rep.Delivery != nil {
			s := rep.Delivery.Summary()
			dd.Summary = &s
		}
		res.Problems += len(rep.Problems)
		res.Deliveries = append(res.Deliveries, dd)
	}
	res.Valid = res.Problems == 0
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printDryRun(out, res)
	}
	if !res.Valid {
		return &exitError{code: exitInvalidDelivery, err: fmt.Errorf("delivery rejected: %d problem(s)", res.Problems)}
	}
	return nil
}

// printDryRun writes the human-readable report.
func printDryRun(out io.Writer, res dryRunResult) {
	for _, p := range res.Batch {
		fmt.Fprintf(out, "PROBLEM %s: %s\n", res.Dir, p.Message)
	}
	for _, d := range res.Deliveries {
		name := filepath.Join(d.Dir, d.Message)
		fmt.Fprintf(out, "delivery %s\n", name)
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
			continue
		}
		fmt.Fprintf(out, "  %d PROBLEM(S):\n", len(d.Problems))
		for _, p := range d.Problems {
			file := d.Dir
			if p.File != "" {
				file = filepath.Join(d.Dir, p.File)
			}
			loc := file
			if p.Path != "" {
				loc += " " + p.Path
			}
			fmt.Fprintf(out, "    [%s] %s: %s\n", p.Code, loc, p.Message)
		}
	}
	if res.Problems == 0 {
		fmt.Fprintln(out, "valid: ready to ingest")
	} else {
		fmt.Fprintf(out, "rejected: %d problem(s)\n", res.Problems)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// probeWithEncoder decodes every frame of path with the encode package's
// decoders and reports its length and codec.
func probeWithEncoder(_ context.Context, path string) (float64, string, error) {
	f, frames, err := encode.Probe(path)
	if err != nil {
		return 0, "", err
	}
	if f.SampleRate <= 0 {
		return 0, f.Codec, fmt.Errorf("%s: no sample rate", path)
	}
	return float64(frames) / float64(f.SampleRate), f.Codec, nil
}
