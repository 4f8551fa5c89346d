package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/fingerprint"
)

// fingerprintDir is where the fingerprint index lives under the data dir.
func fingerprintDir(cfg *Config) string { return filepath.Join(cfg.DataDir, "fingerprint") }

func newIdentifyCmd(cfg *Config) *cobra.Command {
	var addID, removeID string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "identify CLIP | identify --add ID FILE | identify --remove ID",
		Short: "Identify an audio clip against the fingerprint index",
		Long: `Identify CLIP (WAV, FLAC or Ogg Vorbis, at least about 5 s) against the
fingerprint index in <data-dir>/fingerprint and print the track and the
offset of the clip in it. --add indexes FILE as track ID (whole file);
--remove drops a track.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ix, err := fingerprint.OpenIndex(ctx, fingerprintDir(cfg))
			if err != nil {
				return err
			}
			defer ix.Close()
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
				res, err := fingerprint.FromFile(ctx, args[0], fingerprint.Options{HashPCM: true})
				if err != nil {
					return err
				}
				d, err := ix.Dedup(ctx, fingerprint.Entry{Items: res.Items, PCMHash: res.PCMHash}, fingerprint.DefaultPolicy)
				if err != nil {
					return err
				}
				if err := ix.Add(ctx, addID, fingerprint.Entry{Items: res.Items, PCMHash: res.PCMHash}); err != nil {
					return err
				}
				fmt.Fprintf(out, "added %s (%d items); dedup before adding: %s %s agreement %.3f\n",
					addID, len(res.Items), d.Verdict, d.TrackID, d.Agreement())
				return nil
			}
			if len(args) != 1 {
				return music.Errorf(music.EINVALID, "identify needs exactly one CLIP")
			}
			id, err := ix.IdentifyFile(ctx, args[0])
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
		},
	}
	cmd.Flags().StringVar(&addID, "add", "", "index FILE as this track id instead of identifying")
	cmd.Flags().StringVar(&removeID, "remove", "", "remove this track id from the index")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the answer as JSON")
	return cmd
}
