package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
)

func newIdentifyCmd(cfg *Config) *cobra.Command {
	var addID, removeID, indexDir string
	cmd := &cobra.Command{
		Use:   "identify CLIP | identify --index DIR --add ID FILE | identify --index DIR --remove ID",
		Short: "Identify an audio clip against the catalog's fingerprints",
		Long: `identify CLIP (WAV, FLAC or Ogg Vorbis, at least about 5 s) finds the
catalog track it comes from and where the clip starts in it. It reads the
fingerprints ingest stored in the catalog (--db) into a temporary index:
about 5 kB per track, read on every run. A running up or serve answers the
same question over HTTP (POST /api/v1/identify) from an index kept in
memory.

With --index DIR it uses a standalone index in DIR instead, which --add
(index FILE as track ID) and --remove maintain.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIdentify(cmd, cfg, args, indexDir, addID, removeID)
		},
	}
	cmd.Flags().StringVar(&indexDir, "index", "", "a standalone fingerprint index directory instead of the catalog")
	cmd.Flags().StringVar(&addID, "add", "", "index FILE as this track id instead of identifying (needs --index)")
	cmd.Flags().StringVar(&removeID, "remove", "", "remove this track id from the index (needs --index)")
	cfg.BindJSON(cmd.Flags())
	return cmd
}

// runIdentify identifies the clip in args or, with addID or removeID,
// changes the standalone index in indexDir.
func runIdentify(cmd *cobra.Command, cfg *Config, args []string, indexDir, addID, removeID string) error {
	ctx := cmd.Context()
	if (addID != "" || removeID != "") && indexDir == "" {
		return music.Errorf(music.EINVALID, "--add and --remove change a standalone index: give --index DIR")
	}
	ix, done, err := openIdentifyIndex(ctx, cfg, indexDir)
	if err != nil {
		return err
	}
	defer done()
	out := cmd.OutOrStdout()
	switch {
	case removeID != "":
		if len(args) != 0 {
			return music.Errorf(music.EINVALID, "--remove takes no file")
		}
		if err := ix.Remove(ctx, removeID); err != nil {
			return err
		}
		fmt.Fprintf(out, "removed %s\n", removeID)
		return nil
	case addID != "":
		if len(args) != 1 {
			return music.Errorf(music.EINVALID, "--add needs exactly one FILE")
		}
		return identifyAdd(ctx, out, ix, addID, args[0])
	}
	if len(args) != 1 {
		return music.Errorf(music.EINVALID, "identify needs exactly one CLIP")
	}
	return identifyClip(ctx, out, ix, args[0], cfg.JSON)
}

// openIdentifyIndex opens the standalone index in dir, or without one
// the catalog's fingerprints in a temporary index.
func openIdentifyIndex(ctx context.Context, cfg *Config, dir string) (*fingerprint.Index, func(), error) {
	if dir != "" {
		ix, err := fingerprint.OpenIndex(ctx, dir)
		if err != nil {
			return nil, nil, err
		}
		return ix, func() { ix.Close() }, nil
	}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer cat.Close()
	ix, closeIx, err := catalogIndex(ctx, cat)
	if err != nil {
		return nil, nil, err
	}
	return ix, func() { closeIx() }, nil
}

// identifyAdd fingerprints file into the standalone index as track id,
// saying first what dedup would have decided about it.
func identifyAdd(ctx context.Context, out io.Writer, ix *fingerprint.Index, id, file string) error {
	res, err := fingerprint.FromFile(ctx, file, fingerprint.Options{HashPCM: true})
	if err != nil {
		return err
	}
	e := fingerprint.Entry{Items: res.Items, PCMHash: res.PCMHash}
	d, err := ix.Dedup(ctx, e, fingerprint.DefaultPolicy)
	if err != nil {
		return err
	}
	if err := ix.Add(ctx, id, e); err != nil {
		return err
	}
	fmt.Fprintf(out, "added %s (%d items); dedup before adding: %s %s agreement %.3f\n",
		id, len(res.Items), d.Verdict, d.TrackID, d.Agreement())
	return nil
}

// identifyClip finds the track clip comes from and prints it.
func identifyClip(ctx context.Context, out io.Writer, ix *fingerprint.Index, clip string, asJSON bool) error {
	id, err := ix.IdentifyFile(ctx, clip)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(out).Encode(map[string]any{
			"track_id": id.TrackID, "offset_seconds": id.OffsetSeconds,
			"bit_error_rate": id.BitErrorRate, "overlap_items": id.Overlap,
		})
	}
	fmt.Fprintf(out, "TRACK=%s\nOFFSET=%.2f\nAGREEMENT=%.3f\n", id.TrackID, id.OffsetSeconds, id.Agreement())
	return nil
}
