package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
)

// fpcalcFlags are the fpcalc options the fingerprint command accepts.
type fpcalcFlags struct {
	raw, json, plain, signed bool
	length                   float64
	files                    []string
}

// parseFpcalcArgs reads fpcalc-style options (single dash, long names;
// a double dash is accepted too) so scripts written for fpcalc work.
func parseFpcalcArgs(args []string) (fpcalcFlags, error) {
	fl := fpcalcFlags{length: fingerprint.DefaultMaxSeconds}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			fl.files = append(fl.files, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "raw":
			fl.raw = true
		case "json":
			fl.json = true
		case "plain":
			fl.plain = true
		case "text":
			fl.json, fl.plain = false, false
		case "signed":
			fl.signed = true
		case "length":
			v, next, err := parseFpcalcLength(args, i, val, hasVal)
			if err != nil {
				return fl, err
			}
			fl.length, i = v, next
		default:
			return fl, music.Errorf(music.EINVALID, "unknown option %s (see musicctl fingerprint -h)", a)
		}
	}
	if len(fl.files) == 0 {
		return fl, music.Errorf(music.EINVALID, "no input file given")
	}
	return fl, nil
}

// parseFpcalcLength reads -length's seconds from val, or when it came
// without "=" from the next argument; it returns the index of the last
// argument it used.
func parseFpcalcLength(args []string, i int, val string, hasVal bool) (float64, int, error) {
	if !hasVal {
		if i+1 >= len(args) {
			return 0, i, music.Errorf(music.EINVALID, "-length needs a number of seconds")
		}
		i++
		val = args[i]
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil || v < 0 {
		return 0, i, music.Errorf(music.EINVALID, "-length %q: want a non-negative number of seconds", val)
	}
	return v, i, nil
}

func newFingerprintCmd(_ *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "fingerprint [-raw] [-length SECS] [-json] [-plain] [-signed] FILE...",
		Short: "Print Chromaprint fingerprints of audio files, as fpcalc does",
		Long: `Print the Chromaprint (AcoustID) fingerprint of each FILE (WAV, FLAC or
Ogg Vorbis) in fpcalc's output format: DURATION= and FINGERPRINT= lines.

  -raw          print the raw sub-fingerprints as integers
  -signed       with -raw, print them as signed 32-bit integers
  -length SECS  fingerprint at most SECS seconds (default 120, 0 = all)
  -json         print {"duration": ..., "fingerprint": ...}
  -plain        print only the fingerprint`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				if a == "-h" || a == "--help" || a == "-help" {
					return cmd.Help()
				}
			}
			fl, err := parseFpcalcArgs(args)
			if err != nil {
				return err
			}
			for i, file := range fl.files {
				res, err := fingerprint.FromFile(cmd.Context(), file, fingerprint.Options{MaxSeconds: fl.length})
				if err != nil {
					return err
				}
				writeFpcalc(cmd.OutOrStdout(), fl, res, i == 0)
			}
			return nil
		},
	}
}

// writeFpcalc prints one result in fpcalc's formats.
func writeFpcalc(w io.Writer, fl fpcalcFlags, res *fingerprint.Result, first bool) {
	var fp string
	if fl.raw {
		var b strings.Builder
		for i, it := range res.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			if fl.signed {
				b.WriteString(strconv.FormatInt(int64(int32(it)), 10))
			} else {
				b.WriteString(strconv.FormatUint(uint64(it), 10))
			}
		}
		fp = b.String()
	} else {
		fp = res.Encoded()
	}
	switch {
	case fl.json && fl.raw:
		fmt.Fprintf(w, "{\"duration\": %.2f, \"fingerprint\": [%s]}\n", res.Duration, fp)
	case fl.json:
		fmt.Fprintf(w, "{\"duration\": %.2f, \"fingerprint\": \"%s\"}\n", res.Duration, fp)
	case fl.plain:
		fmt.Fprintf(w, "%s\n", fp)
	default:
		if !first {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "DURATION=%d\nFINGERPRINT=%s\n", int(res.Duration), fp)
	}
}
