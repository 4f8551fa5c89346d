package main

import (
	"context"
	"fmt"
	"net"

	"github.com/openmusic/music/temporalserver"
	"github.com/spf13/cobra"
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

	// Claim the HTTP port before starting anything slow, so a taken
	// port fails fast with a clear message.
	ln, err := listen(cfg, "http", cfg.HTTPAddr)
	if err != nil {
		return err
	}
	defer ln.Close()

	temporalAddr, uiAddr, flag := cfg.TemporalAddress, "", cfg.Source("temporal-address")
	if temporalAddr == "" {
		srv, err := temporalserver.Start(ctx, temporalserver.Config{
			Dir:          cfg.DataPath("temporal"),
			FrontendAddr: cfg.TemporalListen,
			UIAddr:       cfg.UIListen,
			Namespace:    cfg.Namespace,
		})
		if err != nil {
			return err
		}
		defer srv.Stop()
		temporalAddr, uiAddr, flag = srv.FrontendAddr(), srv.UIAddr(), cfg.Source("temporal-listen")
	}
	tc, err := dialTemporal(ctx, cfg, temporalAddr, flag)
	if err != nil {
		return err
	}
	defer tc.Close()

	w, err := startWorker(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	defer w.Stop()
	defer st.startLakeWriter(ctx, cfg, cmd.ErrOrStderr())()

	srv, err := newHTTPServer(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "ready http=%s temporal=%s ui=%s\n", ln.Addr(), temporalAddr, orNone(uiAddr))
	return srv.Serve(ctx, ln)
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
