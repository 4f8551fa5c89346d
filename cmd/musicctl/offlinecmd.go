package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/openmusic/music/serving/client/offline"
	"github.com/spf13/cobra"
)

// newOfflineCmd is the device side of offline downloads (docs/offline.md).
func newOfflineCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "offline",
		Short: "Download a playlist and podcast episodes for offline play, play them with no network, prune them (docs/offline.md)",
		Example: `  MUSIC_TOKEN=... musicctl offline sync --device ~/offline --playlist pl_123 --episode ep_0a1b2c3d4e5f60718293
  musicctl offline play ~/offline rel-1-d1t01 --out track.f32
  musicctl offline prune ~/offline`,
	}
	cmd.PersistentFlags().String("now", "", "run the device clock from this RFC 3339 time (for tests)")
	cmd.PersistentFlags().MarkHidden("now")
	cmd.AddCommand(newOfflineSyncCmd(cfg), newOfflinePlayCmd(cfg), newOfflinePruneCmd(cfg))
	return cmd
}

// openStore opens the offline store in dir with the device clock --now
// asks for, if any.
func openStore(cmd *cobra.Command, dir string) (*offline.Store, error) {
	store, err := offline.OpenStore(dir)
	if err != nil {
		return nil, err
	}
	if at, _ := cmd.Flags().GetString("now"); at != "" {
		if store.Now, err = offline.ClockFrom(at); err != nil {
			return nil, fmt.Errorf("--now: %w", err)
		}
	}
	return store, nil
}

func newOfflineSyncCmd(cfg *Config) *cobra.Command {
	var dir, server, name string
	var req offline.SyncRequest
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Enrol the device if needed, then upload offline plays, renew licences, download and delete to match the playlist and the episodes, prune",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runOfflineSync(cmd, cfg, dir, server, name, req)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&dir, "device", "", "the device's offline store directory")
	fs.StringVar(&server, "server", "http://127.0.0.1:8080", "base URL of a running musicctl up/serve")
	fs.StringVar(&req.PlaylistID, "playlist", "", "ID of the playlist to keep offline")
	fs.StringVar(&req.Quality, "quality", "160", "rung to download the playlist's tracks at: 24, 96, 160 or 320")
	fs.StringSliceVar(&req.EpisodeIDs, "episode", nil, "ID of a podcast episode to keep offline, at --episode-quality (repeat, or comma-separate); held episodes not named are deleted (--episode '' deletes them all); without the flag held episodes stay as they are")
	fs.StringVar(&req.EpisodeQuality, "episode-quality", "96", "rung to download the episodes at: 24 or 96 (a held episode at the other is downloaded again)")
	fs.StringVar(&name, "name", "musicctl", "device name shown in the device list")
	cfg.BindToken(fs, "the listener account")
	return cmd
}

// runOfflineSync enrols the device in dir with the server if it is not
// yet, then syncs it to req and prints the summary.
func runOfflineSync(cmd *cobra.Command, cfg *Config, dir, server, name string, req offline.SyncRequest) error {
	if cfg.Token == "" || dir == "" || (req.PlaylistID == "" && !cmd.Flags().Changed("episode")) {
		return fmt.Errorf("offline sync: --token (or MUSIC_TOKEN), --device and --playlist or --episode are required")
	}
	if !cmd.Flags().Changed("episode") {
		req.EpisodeIDs = nil // held episodes stay as they are
	}
	store, err := openStore(cmd, dir)
	if err != nil {
		return fmt.Errorf("offline sync: %w", err)
	}
	api := &offline.API{Base: server, Token: cfg.Token}
	if err := store.Enrol(cmd.Context(), api, name); err != nil {
		return fmt.Errorf("offline sync: enrol: %w", err)
	}
	rep, err := store.Sync(cmd.Context(), api, req)
	if err != nil {
		return fmt.Errorf("offline sync: %w", err)
	}
	printSync(cmd.OutOrStdout(), cmd.ErrOrStderr(), rep, len(store.Held()))
	return nil
}

// printSync writes a sync's summary, and on errOut each refused play with
// the server's reason: the play is dropped from the queue, so this is the
// listener's only sign that it will not count.
func printSync(out, errOut io.Writer, rep *offline.Report, held int) {
	fmt.Fprintf(out, "synced: %d downloaded, %d deleted, %d renewed, %d plays uploaded, %d held, %d plays refused\n",
		len(rep.Downloaded), len(rep.Deleted), rep.Renewed, rep.Uploaded, held, len(rep.Refused))
	for _, r := range rep.Refused {
		fmt.Fprintf(errOut, "offline sync: play %s of %s at %s refused and dropped: %s\n",
			r.EventID, r.ID, r.PlayedAt.UTC().Format(time.RFC3339), r.Reason)
	}
}

func newOfflinePlayCmd(cfg *Config) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "play DIR TRACK|EPISODE",
		Short: "Decode a track or podcast episode from the offline store with no network, ReplayGain applied; the play is uploaded at the next sync",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := openStore(cmd, args[0])
			if err != nil {
				return fmt.Errorf("offline play: %w", err)
			}
			d, err := store.Decode(args[1])
			if err != nil {
				return fmt.Errorf("offline play: %w", err)
			}
			if out != "" {
				if err := writeF32(out, d.PCM); err != nil {
					return fmt.Errorf("offline play: %w", err)
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "played %s: %d frames at %d Hz, %d channels, gain %+.2f dB\n",
				args[1], len(d.PCM)/max(d.Channels, 1), d.Rate, d.Channels, d.GainDB)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "also write the PCM as 32-bit float little-endian samples to this file")
	return cmd
}

func newOfflinePruneCmd(cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "prune DIR",
		Short: "Remove tracks and episodes whose licence lapsed or that were not played for 30 days",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := openStore(cmd, args[0])
			if err != nil {
				return fmt.Errorf("offline prune: %w", err)
			}
			gone, err := store.Prune()
			if err != nil {
				return fmt.Errorf("offline prune: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pruned %d tracks and episodes, %d held\n", len(gone), len(store.Held()))
			return nil
		},
	}
}

// writeF32 writes samples as raw float32 little-endian.
func writeF32(path string, pcm []float32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, pcm); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
