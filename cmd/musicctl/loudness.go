package main

import (
	"encoding/json"
	"fmt"
	"os"
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
			ls := make([]encode.Loudness, len(args))
			errs := make([]error, len(args))
			var wg sync.WaitGroup
			sem := make(chan struct{}, runtime.NumCPU())
			for i, p := range args {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					ls[i], errs[i] = encode.Analyze(cmd.Context(), p)
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					return err
				}
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
				type row struct {
					File string `json:"file"`
					encode.Loudness
				}
				out := struct {
					Tracks []row         `json:"tracks"`
					Album  *encode.Album `json:"album,omitempty"`
				}{Album: al}
				for i, l := range ls {
					out.Tracks = append(out.Tracks, row{args[i], l})
				}
				enc := json.NewEncoder(os.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "Loudness\tRange\tTrue peak\tPeak\tGain\t\tFile")
			fmt.Fprintln(tw, "(LUFS)\t(LU)\t(dBTP)\t\t(dB)\t\t")
			for i, l := range ls {
				fmt.Fprintf(tw, "%.2f\t%.2f\t%.2f\t%.6f\t%.2f\t\t%s\n", l.Integrated, l.Range, l.TruePeak, l.Peak, l.Gain, args[i])
			}
			if al != nil {
				fmt.Fprintf(tw, "%.2f\t\t\t%.6f\t%.2f\t\t%s\n", al.Integrated, al.Peak, al.Gain, "[album]")
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&album, "album", false, "also compute album gain over all files")
	cmd.Flags().BoolVar(&cfg.JSON, "json", false, "print JSON")
	return cmd
}
