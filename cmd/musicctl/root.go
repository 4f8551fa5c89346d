package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each subcommand lives in its own file
// and is added here; subcommands read their settings from one Config.
func newRootCmd() *cobra.Command {
	cfg := &Config{}
	root := &cobra.Command{
		Use:           "musicctl",
		Short:         "Run and operate the music catalog and streaming platform",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.Load(cmd.Flags()); err != nil {
				return err
			}
			log, err := newLogger(cfg, cmd.ErrOrStderr())
			cfg.Logger = log
			return err
		},
	}
	cfg.BindGlobal(root.PersistentFlags())
	root.AddCommand(rootSubcommands(cfg)...)
	return root
}

// rootSubcommands are musicctl's commands, in the order they were added.
func rootSubcommands(cfg *Config) []*cobra.Command {
	return []*cobra.Command{
		newUpCmd(cfg),
		newWorkerCmd(cfg),
		newServeCmd(cfg),
		newSmokeCmd(cfg),
		newUsersCmd(cfg),
		newIngestCmd(cfg),
		newEncodeCmd(cfg),
		newLoudnessCmd(cfg),
		newFingerprintCmd(cfg),
		newIdentifyCmd(cfg),
		newSearchCmd(cfg),
		newReindexCmd(cfg),
		newLakeCmd(cfg),
		newRoyaltyCmd(cfg),
		newPlayerCmd(cfg),
		newReviewCmd(cfg),
		newPodcastsCmd(cfg),
		newOwnersCmd(cfg),
		newRecommendCmd(cfg),
		newOfflineCmd(cfg),
		newCapacityCmd(),
	}
}

// exitError carries a specific process exit status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 1
}
