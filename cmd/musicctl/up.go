package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/openmusic/music/temporalserver/launch"
	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
)

func newUpCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Run the whole platform in this process (Temporal, workers, HTTP API)",
		Long: `up runs everything on one machine: an embedded Temporal server with its
Web UI (unless --temporal-address names an external cluster), the workers
for every task queue, the HTTP serving layer, an embedded NATS JetStream
server for playback events (unless --nats-url names a cluster) and the
lake writer that turns them into Parquet. State lives under
--data-dir. When all parts answer it prints one line:

  ready http=ADDR temporal=ADDR ui=ADDR`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUp(cmd.Context(), cfg, cmd)
		},
	}
	cfg.BindHTTP(cmd.Flags())
	cfg.BindAbuse(cmd.Flags())
	cfg.BindWebPlayer(cmd.Flags())
	cfg.BindFriendActivity(cmd.Flags())
	cfg.BindPodcasts(cmd.Flags())
	cfg.BindEventStream(cmd.Flags())
	cfg.BindEmbedded(cmd.Flags())
	cfg.BindLakeWriter(cmd.Flags())
	return cmd
}

func runUp(ctx context.Context, cfg *Config, cmd *cobra.Command) error {
	st, err := openServingStack(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := instrumentWorkers(cfg, st); err != nil {
		return err
	}
	// Claim the HTTP port before starting anything slow, so a taken
	// port fails fast with a clear message.
	ln, err := listen(cfg, "http", cfg.HTTPAddr)
	if err != nil {
		return err
	}
	defer ln.Close()
	ctx, temporalAddr, uiAddr, flag, stopTemporal, err := upTemporal(ctx, cfg, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer stopTemporal()
	tc, err := dialTemporal(ctx, cfg, temporalAddr, flag)
	if err != nil {
		return err
	}
	defer tc.Close()
	ready := fmt.Sprintf("ready http=%s temporal=%s ui=%s\n", ln.Addr(), temporalAddr, orNone(uiAddr))
	return serveUp(ctx, cfg, st, tc, ln, cmd.OutOrStdout(), ready)
}

// serveUp runs the worker, the lake writer and the HTTP server on ln until
// ctx ends, printing the ready line to out once they run.
func serveUp(ctx context.Context, cfg *Config, st *stack, tc client.Client, ln net.Listener, out io.Writer, ready string) error {
	w, err := startWorker(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	defer w.Stop()
	defer st.startLakeWriter(ctx, cfg)()
	srv, err := newHTTPServer(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	io.WriteString(out, ready)
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	return ended(ctx)
}

// ended is why ctx ended when it was not the signal that ends a command:
// the embedded Temporal server exited on its own.
func ended(ctx context.Context) error {
	if cause := context.Cause(ctx); errors.Is(cause, launch.ErrExited) {
		return cause
	}
	return nil
}

// upTemporal is the Temporal frontend up uses: --temporal-address, or the
// embedded server with its Web UI, run by the musicctl-temporal
// executable. stop ends it; the returned context ends, with the reason,
// if it exits on its own. flag names the setting behind the address.
func upTemporal(ctx context.Context, cfg *Config, logs io.Writer) (_ context.Context, addr, ui, flag string, stop func(), err error) {
	if cfg.TemporalAddress != "" {
		return ctx, cfg.TemporalAddress, "", cfg.Source("temporal-address"), func() {}, nil
	}
	exe, err := launch.Executable(cfg.TemporalBin)
	if err != nil {
		return nil, "", "", "", nil, fmt.Errorf("%s: %v", cfg.Source("temporal-server-bin"), err)
	}
	p, err := launch.Start(ctx, exe, launch.Args{
		Dir: cfg.DataPath("temporal"), Frontend: cfg.TemporalListen, UI: cfg.UIListen,
		Namespace: cfg.Namespace, LogFormat: cfg.LogFormat, LogLevel: cfg.LogLevel,
		UIAuthFile: cfg.UIAuthFile, UIWrite: cfg.UIWrite,
	}, logs)
	if err != nil {
		return nil, "", "", "", nil, err
	}
	return p.Watch(ctx), p.Frontend, p.UI, cfg.Source("temporal-listen"), p.Stop, nil
}

// listen binds addr for the flag that named it, with a one-line error.
func listen(cfg *Config, flag, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if op, ok := err.(*net.OpError); ok && op.Err != nil {
			err = op.Err
		}
		return nil, fmt.Errorf("%s %s: %v", cfg.Source(flag), addr, err)
	}
	return ln, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
