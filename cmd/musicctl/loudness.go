package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/openmusic/music/encode"
)

// newLoudnessCmd builds `musicctl loudness`: EBU R128 / ReplayGain 2.0
// figures for files, printed as a table in the manner of rsgain.
func newLoudnessCmd(cfg *Config) *cobra.Command {
	var album bool
	cmd := &cobra.Command{
		Use:   "loudness [--album] [--json] FILE...",
		Short: "Measure integrated loudness, loudness range, true peak and ReplayGain 2.0 gain",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ls, err := analyzeAll(cmd.Context(), args)
			if err != nil {
				return err
			}
			var al *encode.Album
			if album {
				a, err := encode.AlbumGain(ls)
				if err != nil {
					return err
				}
				al = &a
			}
			if cfg.JSON {
				return printLoudnessJSON(cmd.OutOrStdout(), args, ls, al)
			}
			return printLoudness(cmd.OutOrStdout(), args, ls, al)
		},
	}
	cmd.Flags().BoolVar(&album, "album", false, "also compute album gain over all files")
	cmd.Flags().BoolVar(&cfg.JSON, "json", false, "print JSON")
	return cmd
}

// analyzeAll measures the files, as many at a time as there are CPUs.
func analyzeAll(ctx context.Context, paths []string) ([]encode.Loudness, error) {
	ls := make([]encode.Loudness, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i, p := range paths {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ls[i], errs[i] = encode.Analyze(ctx, p)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ls, nil
}

// printLoudnessJSON writes the figures as one JSON document.
func printLoudnessJSON(w io.Writer, files []string, ls []encode.Loudness, al *encode.Album) error {
	type row struct {
		File string `json:"file"`
		encode.Loudness
	}
	out := struct {
		Tracks []row         `json:"tracks"`
		Album  *encode.Album `json:"album,omitempty"`
	}{Album: al}
	for i, l := range ls {
		out.Tracks = append(out.Tracks, row{files[i], l})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// printLoudness writes the figures as rsgain prints them.
func printLoudness(w io.Writer, files []string, ls []encode.Loudness, al *encode.Album) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Loudness\tRange\tTrue peak\tPeak\tGain\t\tFile")
	fmt.Fprintln(tw, "(LUFS)\t(LU)\t(dBTP)\t\t(dB)\t\t")
	for i, l := range ls {
		fmt.Fprintf(tw, "%.2f\t%.2f\t%.2f\t%.6f\t%.2f\t\t%s\n", l.Integrated, l.Range, l.TruePeak, l.Peak, l.Gain, files[i])
	}
	if al != nil {
		fmt.Fprintf(tw, "%.2f\t\t\t%.6f\t%.2f\t\t%s\n", al.Integrated, al.Peak, al.Gain, "[album]")
	}
	return tw.Flush()
}
