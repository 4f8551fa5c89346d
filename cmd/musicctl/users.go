package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	music "github.com/openmusic/music"
	"github.com/spf13/cobra"
)

func newUsersCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage accounts and their bearer tokens",
	}
	cmd.AddCommand(newUsersAddCmd(cfg), newUsersListCmd(cfg), newUsersTokenCmd(cfg), newUsersRevokeCmd(cfg), newUsersPasswordCmd(cfg))
	return cmd
}

func newUsersAddCmd(cfg *Config) *cobra.Command {
	var role, country, plan string
	var expires time.Duration
	var withPassword bool
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Create an account and print its bearer token (shown only once)",
		Example: `  musicctl users add alice --role listener --country GB
  printf '%s\n' "$PASSWORD" | musicctl users add alice --password-stdin   # can sign in to the web player
  musicctl users add acme-records --role label
  musicctl users add bob --plan free`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUsersAdd(cmd, cfg, newUser{args[0], role, country, plan}, expires, withPassword)
		},
	}
	cmd.Flags().StringVar(&role, "role", music.RoleListener, "listener, label or ops")
	cmd.Flags().StringVar(&country, "country", "US", "ISO 3166-1 alpha-2 country, the user's default territory")
	cmd.Flags().StringVar(&plan, "plan", music.PlanPremium, "free or premium; on free one device plays at a time")
	cmd.Flags().BoolVar(&withPassword, "password-stdin", false, "read a password (8 to 1024 bytes, one line) from standard input, to sign in to the web player")
	bindTokenFlags(cmd, cfg, &expires)
	return cmd
}

// runUsersAdd creates the account nu and prints its token.
func runUsersAdd(cmd *cobra.Command, cfg *Config, nu newUser, expires time.Duration, withPassword bool) error {
	ctx := cmd.Context()
	hash, err := passwordFromStdin(ctx, cmd.InOrStdin(), withPassword)
	if err != nil {
		return fmt.Errorf("users add %s: %w", nu.name, err)
	}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return err
	}
	defer cat.Close()
	u, token, err := createAccount(ctx, cat, nu, expires, hash)
	if err != nil {
		return fmt.Errorf("users add %s: %w", nu.name, err)
	}
	out := cmd.OutOrStdout()
	if cfg.JSON {
		return json.NewEncoder(out).Encode(map[string]any{
			"id": u.ID, "name": u.Name, "role": u.Role, "country": u.Country, "plan": u.Plan, "token": token,
		})
	}
	fmt.Fprintln(out, token)
	return nil
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

func newUsersTokenCmd(cfg *Config) *cobra.Command {
	var expires time.Duration
	cmd := &cobra.Command{
		Use:     "token NAME",
		Short:   "Issue another bearer token for an account (shown only once)",
		Example: `  musicctl users token acme-records --expires 720h`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cat, err := openCatalog(ctx, cfg)
			if err != nil {
				return err
			}
			defer cat.Close()
			token, err := cat.IssueToken(ctx, args[0], expires)
			if err != nil {
				return err
			}
			if cfg.JSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]any{"name": args[0], "token": token, "expires_in": expires.String()})
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	bindTokenFlags(cmd, cfg, &expires)
	return cmd
}

// bindTokenFlags declares --expires and --json on a command that mints a
// token.
func bindTokenFlags(cmd *cobra.Command, cfg *Config, expires *time.Duration) {
	cmd.Flags().DurationVar(expires, "expires", 0, "the token expires after this long (e.g. 720h; 0: until revoked)")
	cfg.BindJSON(cmd.Flags())
}

func newUsersRevokeCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke NAME | --token-file FILE",
		Short: "Revoke every token of an account, or one token",
		Long: `Revoke every bearer token and web player session of the named
account, or (with --token, MUSIC_TOKEN or --token-file and no NAME) that
one token. Running servers stop accepting a revoked token within 5
seconds (their token cache); an ended session at once.`,
		Example: `  musicctl users revoke acme-records
  musicctl users revoke --token-file leaked.txt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUsersRevoke(cmd, cfg, args)
		},
	}
	cfg.BindToken(cmd.Flags(), "the token to revoke")
	cfg.BindJSON(cmd.Flags())
	return cmd
}

// runUsersRevoke revokes the named account's tokens, or the one token given.
func runUsersRevoke(cmd *cobra.Command, cfg *Config, args []string) error {
	ctx := cmd.Context()
	if (len(args) == 1) == (cfg.Token != "") {
		return music.Errorf(music.EINVALID, "users revoke: give either an account NAME or a token (--token-file), not both or neither")
	}
	cat, err := openCatalog(ctx, cfg)
	if err != nil {
		return err
	}
	defer cat.Close()
	n := 1
	if len(args) == 1 {
		n, err = revokeAccount(ctx, cat, args[0])
	} else {
		err = cat.RevokeToken(ctx, cfg.Token)
	}
	if err != nil {
		return fmt.Errorf("users revoke: %w", err)
	}
	if cfg.JSON {
		return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]int{"revoked": n})
	}
	fmt.Fprintf(cmd.OutOrStdout(), "revoked %d token(s)\n", n)
	return nil
}
