package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	music "github.com/openmusic/music"
	"github.com/spf13/cobra"
)

func newUsersCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage accounts and their bearer tokens",
	}
	cmd.AddCommand(newUsersAddCmd(cfg), newUsersListCmd(cfg))
	return cmd
}

func newUsersAddCmd(cfg *Config) *cobra.Command {
	var role, country, plan string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Create an account and print its bearer token (shown only once)",
		Example: `  musicctl users add alice --role listener --country GB
  musicctl users add acme-records --role label
  musicctl users add bob --plan free`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cat, err := openCatalog(ctx, cfg)
			if err != nil {
				return err
			}
			defer cat.Close()
			u, token, err := cat.CreateUserOnPlan(ctx, args[0], role, country, plan)
			if err != nil {
				return fmt.Errorf("users add %s: %w", args[0], err)
			}
			out := cmd.OutOrStdout()
			if cfg.JSON {
				return json.NewEncoder(out).Encode(map[string]any{
					"id": u.ID, "name": u.Name, "role": u.Role, "country": u.Country, "plan": u.Plan, "token": token,
				})
			}
			fmt.Fprintln(out, token)
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", music.RoleListener, "listener, label or ops")
	cmd.Flags().StringVar(&country, "country", "US", "ISO 3166-1 alpha-2 country, the user's default territory")
	cmd.Flags().StringVar(&plan, "plan", music.PlanPremium, "free or premium; on free one device plays at a time")
	cfg.BindJSON(cmd.Flags())
	return cmd
}

func newUsersListCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List accounts (tokens are never shown again)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cat, err := openCatalog(ctx, cfg)
			if err != nil {
				return err
			}
			defer cat.Close()
			users, err := cat.ListUsers(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if cfg.JSON {
				return json.NewEncoder(out).Encode(users)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tROLE\tCOUNTRY\tPLAN\tCREATED")
			for _, u := range users {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, u.Country, u.Plan, u.CreatedAt.UTC().Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		},
	}
	cfg.BindJSON(cmd.Flags())
	return cmd
}
