package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/openmusic/music/connectclient"
	"github.com/spf13/cobra"
)

type playerFlags struct {
	server, token string
}

func newPlayerCmd(cfg *Config) *cobra.Command {
	f := &playerFlags{}
	cmd := &cobra.Command{
		Use:   "player",
		Short: "Control the Connect player, or be a device (docs/connect.md)",
		Long: `player is a terminal client of a running up/serve's Connect API: list
devices, show and change the player state, or run as a device that plays
what it is told.`,
		Example: `  musicctl player device --name kitchen --out kitchen.wav &
  musicctl player devices
  musicctl player play album:rel-1 --device cli-kitchen
  musicctl player transfer phone`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.server, "server", "http://127.0.0.1:8080", "base URL of a running musicctl up/serve")
	pf.StringVar(&f.token, "token", "", "bearer token of a listener account (musicctl users add)")
	client := func() (*connectclient.Client, error) {
		if f.token == "" {
			return nil, fmt.Errorf("--token (or MUSIC_TOKEN) is required")
		}
		return connectclient.New(f.server, f.token), nil
	}
	simple := func(use, short string, args cobra.PositionalArgs, run playerRun) *cobra.Command {
		return newPlayerSimpleCmd(cfg, client, use, short, args, run)
	}
	cmd.AddCommand(
		newPlayerDevicesCmd(cfg, client), newPlayerStatusCmd(cfg, client), newPlayerDeviceCmd(f),
		newPlayerTransferCmd(cfg, client), newPlayerPlayCmd(cfg, client),
		simple("pause", "Pause", cobra.NoArgs, playerQuery("pause", "PUT", "")),
		simple("next", "Skip to the next track", cobra.NoArgs, playerQuery("next", "POST", "")),
		simple("previous", "Back to the previous track", cobra.NoArgs, playerQuery("previous", "POST", "")),
		simple("seek MS", "Seek to a position in milliseconds", cobra.ExactArgs(1), playerQuery("seek", "PUT", "position_ms")),
		simple("queue URI", "Add track:ID to the queue", cobra.ExactArgs(1), playerQuery("queue", "POST", "uri")),
		simple("shuffle on|off", "Dithered shuffle on or off", cobra.ExactArgs(1), playerQuery("shuffle", "PUT", "state")),
		simple("repeat off|context|track", "Repeat mode", cobra.ExactArgs(1), playerQuery("repeat", "PUT", "state")),
	)
	return cmd
}

// playerRun changes the player state and returns its new version.
type playerRun func(cmd *cobra.Command, c *connectclient.Client, args []string) (string, error)

// newPlayerSimpleCmd is a command that changes the state and prints the version.
func newPlayerSimpleCmd(cfg *Config, client func() (*connectclient.Client, error), use, short string, args cobra.PositionalArgs, run playerRun) *cobra.Command {
	sub := &cobra.Command{Use: use, Short: short, Args: args, RunE: func(cmd *cobra.Command, args []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		v, err := run(cmd, c, args)
		if err != nil {
			return fmt.Errorf("player %s: %w", strings.Fields(use)[0], err)
		}
		return printResult(cmd.OutOrStdout(), cfg.JSON, map[string]any{"version": v})
	}}
	cfg.BindJSON(sub.Flags())
	return sub
}

func newPlayerTransferCmd(cfg *Config, client func() (*connectclient.Client, error)) *cobra.Command {
	var play bool
	transfer := newPlayerSimpleCmd(cfg, client, "transfer DEVICE", "Move playback to a device", cobra.ExactArgs(1), func(cmd *cobra.Command, c *connectclient.Client, args []string) (string, error) {
		return c.Transfer(cmd.Context(), args[0], play)
	})
	transfer.Flags().BoolVar(&play, "play", false, "start playing even if the player was paused")
	return transfer
}

func newPlayerPlayCmd(cfg *Config, client func() (*connectclient.Client, error)) *cobra.Command {
	var device string
	playCmd := newPlayerSimpleCmd(cfg, client, "play [URI]", "Play album:ID, playlist:ID or track:ID (no URI: resume)", cobra.MaximumNArgs(1), func(cmd *cobra.Command, c *connectclient.Client, args []string) (string, error) {
		uri := ""
		if len(args) == 1 {
			uri = args[0]
		}
		return c.Play(cmd.Context(), uri, device)
	})
	playCmd.Flags().StringVar(&device, "device", "", "device ID to play on (default: the active device)")
	return playCmd
}

// playerQuery sends one command to the player, with the argument, if
// the command takes one, in the query parameter param.
func playerQuery(what, method, param string) playerRun {
	return func(cmd *cobra.Command, c *connectclient.Client, args []string) (string, error) {
		q := url.Values{}
		if param != "" {
			v := args[0]
			if what == "shuffle" {
				v = map[string]string{"on": "true", "off": "false"}[v]
				if v == "" {
					return "", fmt.Errorf("want on or off, not %q", args[0])
				}
			}
			q.Set(param, v)
		}
		return c.Simple(cmd.Context(), method, what, q)
	}
}

func printResult(w io.Writer, asJSON bool, v map[string]any) error {
	if asJSON {
		return json.NewEncoder(w).Encode(v)
	}
	_, err := fmt.Fprintf(w, "ok (player version %v)\n", v["version"])
	return err
}

func newPlayerDevicesCmd(cfg *Config, client func() (*connectclient.Client, error)) *cobra.Command {
	cmd := &cobra.Command{Use: "devices", Short: "List your devices", Args: cobra.NoArgs, RunE: func(cmd *cobra.Command, _ []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		devs, err := c.Devices(cmd.Context())
		if err != nil {
			return fmt.Errorf("player devices: %w", err)
		}
		if cfg.JSON {
			return json.NewEncoder(cmd.OutOrStdout()).Encode(devs)
		}
		tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tTYPE\tACTIVE")
		for _, d := range devs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", d.ID, d.Name, d.Type, d.IsActive)
		}
		return tw.Flush()
	}}
	cfg.BindJSON(cmd.Flags())
	return cmd
}

func newPlayerStatusCmd(cfg *Config, client func() (*connectclient.Client, error)) *cobra.Command {
	cmd := &cobra.Command{Use: "status", Short: "Show the player state", Args: cobra.NoArgs, RunE: func(cmd *cobra.Command, _ []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		st, err := c.Status(cmd.Context())
		if err != nil {
			return fmt.Errorf("player status: %w", err)
		}
		out := cmd.OutOrStdout()
		if cfg.JSON {
			return json.NewEncoder(out).Encode(st)
		}
		if st == nil {
			_, err := fmt.Fprintln(out, "nothing played yet")
			return err
		}
		dev, item := "-", "-"
		if st.Device != nil {
			dev = st.Device.ID
		}
		if st.Item != nil {
			item = st.Item.ID
		}
		_, err = fmt.Fprintf(out, "version %d  device %s  track %s  at %s  playing %v  shuffle %v  repeat %s  queue %d\n",
			st.Version, dev, item, strconv.FormatInt(st.ProgressMS/1000, 10)+"s", st.IsPlaying, st.ShuffleState, st.RepeatState, st.QueueLength)
		return err
	}}
	cfg.BindJSON(cmd.Flags())
	return cmd
}

func newPlayerDeviceCmd(f *playerFlags) *cobra.Command {
	var d connectclient.Device // the flags; each run plays a fresh copy
	var out string
	cmd := &cobra.Command{
		Use:   "device --name NAME",
		Short: "Be a Connect device: play what you are told into a WAV file or stdout",
		Long: `device registers as a Connect device and follows its commands, playing
each track through the streaming client at real-time pace into --out
(a WAV file, or - for stdout). One JSON line per event goes to stderr.
With several --servers it moves to the next one when its server goes away.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlayerDevice(cmd, f, &connectclient.Device{Servers: d.Servers, ID: d.ID, Name: d.Name, PlayOnStart: d.PlayOnStart}, out)
		},
	}
	cmd.Flags().StringVar(&d.Name, "name", "", "the device's name, as other devices list it")
	cmd.Flags().StringVar(&d.ID, "id", "", "device ID (default: cli-NAME)")
	cmd.Flags().StringVar(&out, "out", "", "WAV file for the audio, or - for stdout (default: discard)")
	cmd.Flags().StringVar(&d.PlayOnStart, "play", "", "track ID to start playing by itself once connected, as if pressed play on the device")
	cmd.Flags().StringSliceVar(&d.Servers, "servers", nil, "servers to connect to, in turn (default: --server)")
	return cmd
}

// runPlayerDevice fills in d's defaults from the player flags, runs it
// until interrupted and writes out the audio into out.
func runPlayerDevice(cmd *cobra.Command, f *playerFlags, d *connectclient.Device, out string) error {
	if f.token == "" {
		return fmt.Errorf("--token (or MUSIC_TOKEN) is required")
	}
	if d.Name == "" {
		return fmt.Errorf("--name is required")
	}
	if d.ID == "" {
		d.ID = connectclient.DefaultDeviceID(d.Name)
	}
	if len(d.Servers) == 0 {
		d.Servers = []string{f.server}
	}
	d.Token, d.Log = f.token, cmd.ErrOrStderr()
	switch out {
	case "":
	case "-":
		d.Out = cmd.OutOrStdout()
	default:
		file, err := os.Create(out)
		if err != nil {
			return fmt.Errorf("--out: %v", err)
		}
		defer file.Close()
		d.Out = file
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := d.Run(ctx)
	if ferr := d.Finish(); err == nil {
		err = ferr
	}
	return err
}
