package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/openmusic/music/encode"
)

// newEncodeCmd builds `musicctl encode`: the ladder, preview and
// rendition.json for one master.
func newEncodeCmd(cfg *Config) *cobra.Command {
	var (
		out          string
		previewStart float64
		tags         encode.Tags
	)
	cmd := &cobra.Command{
		Use:   "encode INPUT --out DIR",
		Short: "Encode a master (WAV, FLAC, Ogg Vorbis) into the Vorbis ladder and an MP3 preview",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEncode(cmd, cfg, args[0], out, previewStart, tags)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&out, "out", "", "output directory")
	fs.Float64Var(&previewStart, "preview-start", 0, "preview clip start in seconds (default: the automatically chosen hook)")
	fs.BoolVar(&cfg.JSON, "json", false, "print rendition.json to stdout")
	fs.StringVar(&tags.Title, "title", "", "TITLE tag")
	fs.StringVar(&tags.Artist, "artist", "", "ARTIST tag")
	fs.StringVar(&tags.Album, "album", "", "ALBUM tag")
	fs.StringVar(&tags.TrackNumber, "track", "", "TRACKNUMBER tag")
	fs.StringVar(&tags.ISRC, "isrc", "", "ISRC tag")
	return cmd
}

// runEncode encodes src into the directory out and prints the result.
func runEncode(cmd *cobra.Command, cfg *Config, src, out string, previewStart float64, tags encode.Tags) error {
	if out == "" {
		return fmt.Errorf("--out is required")
	}
	opts := encode.Options{Tags: tags}
	if cmd.Flags().Changed("preview-start") {
		opts.PreviewStart = &previewStart
	}
	res, err := encode.EncodeTrack(cmd.Context(), src, out, opts)
	if err != nil {
		return err
	}
	if cfg.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printEncodeResult(res)
	return nil
}

func printEncodeResult(res *encode.Result) {
	l := res.Loudness
	fmt.Printf("%s: %d Hz, %d ch, %.2f s\n", res.Source.Path, res.Source.Format.SampleRate, res.Source.Format.Channels,
		float64(res.Source.Frames)/float64(res.Source.Format.SampleRate))
	fmt.Printf("loudness %.2f LUFS, range %.2f LU, true peak %.2f dBTP, track gain %.2f dB\n", l.Integrated, l.Range, l.TruePeak, l.Gain)
	fmt.Printf("preview from %.1f s (%s)\n", res.Preview.Start, map[bool]string{true: "hook", false: "label clip start"}[res.Preview.Hook])
	fmt.Printf("%-12s %-7s %8s %8s %6s %3s %10s\n", "file", "codec", "nominal", "actual", "rate", "ch", "samples")
	for _, r := range res.Renditions {
		fmt.Printf("%-12s %-7s %7dk %7dk %6d %3d %10d\n", r.Path, r.Codec, r.Bitrate/1000, r.Actual/1000, r.SampleRate, r.Channels, r.Samples)
	}
	names := make([]string, 0, len(res.Stages))
	for k := range res.Stages {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Print("stage CPU seconds:")
	for _, k := range names {
		fmt.Printf(" %s=%.2f", k, res.Stages[k])
	}
	fmt.Println()
}
