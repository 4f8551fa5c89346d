package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newUsersPasswordCmd sets the web player password of an account that
// exists (one made without --password-stdin, or one whose password is
// forgotten); its open sessions end.
func newUsersPasswordCmd(cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:     "password NAME",
		Short:   "Set an account's web player password from standard input; its sessions end",
		Example: `  printf '%s\n' "$PASSWORD" | musicctl users password alice`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			hash, err := passwordFromStdin(ctx, cmd.InOrStdin(), true)
			if err != nil {
				return fmt.Errorf("users password %s: %w", args[0], err)
			}
			cat, err := openCatalog(ctx, cfg)
			if err != nil {
				return err
			}
			defer cat.Close()
			if err := cat.SetPasswordHash(ctx, args[0], hash); err != nil {
				return fmt.Errorf("users password %s: %w", args[0], err)
			}
			n, err := cat.EndSessions(ctx, args[0])
			if err != nil {
				return fmt.Errorf("users password %s: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password set for %s; %d sessions ended\n", args[0], n)
			return nil
		},
	}
}
