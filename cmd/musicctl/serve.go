package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newServeCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run only the HTTP serving layer",
		Long: `serve runs the HTTP API as a separate, stateless process for a scaled
deployment; put as many behind a load balancer as you need. It reads the
shared catalog and blob store and talks to Temporal at --temporal-address.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, cfg)
		},
	}
	cfg.BindHTTP(cmd.Flags())
	cfg.BindAbuse(cmd.Flags())
	cfg.BindWebPlayer(cmd.Flags())
	cfg.BindFriendActivity(cmd.Flags())
	cfg.BindPodcasts(cmd.Flags())
	cfg.BindEventStream(cmd.Flags())
	return cmd
}

// runServe serves the HTTP API until the command's context ends.
func runServe(cmd *cobra.Command, cfg *Config) error {
	ctx := cmd.Context()
	st, err := openServingStack(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.openServeFingerprints(ctx, cfg.Logger); err != nil {
		return err
	}
	ln, err := listen(cfg, "http", cfg.HTTPAddr)
	if err != nil {
		return err
	}
	defer ln.Close()
	tc, addr, err := dialClusterTemporal(ctx, cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	srv, err := newHTTPServer(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "ready http=%s temporal=%s\n", ln.Addr(), addr)
	return srv.Serve(ctx, ln)
}
