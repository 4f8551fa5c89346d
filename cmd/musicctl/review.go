package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/serving"
)

// adminFlags are the settings of commands that call a running server's
// admin API as an ops account.
type adminFlags struct{ server string }

func (f *adminFlags) bind(cmd *cobra.Command, cfg *Config) {
	cmd.PersistentFlags().StringVar(&f.server, "server", "http://127.0.0.1:8080", "base URL of a running musicctl up/serve")
	cfg.BindToken(cmd.PersistentFlags(), "an ops account")
	cfg.BindJSON(cmd.PersistentFlags())
}

// url joins the server's base URL and an API path.
func (f *adminFlags) url(cfg *Config, path string) (string, error) {
	if cfg.Token == "" {
		return "", music.Errorf(music.EINVALID, "an ops account's bearer token is needed: MUSIC_TOKEN, --token-file or --token")
	}
	return strings.TrimRight(f.server, "/") + path, nil
}

func newReviewCmd(cfg *Config) *cobra.Command {
	var f adminFlags
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Act on tracks held because another label owns the same audio",
		Long: `A delivery whose audio is the same recording as a track another label
account owns is not linked to it: the track is encoded on its own and its
release is stored unpublished, with a review. Ops list the reviews and
accept (the release is published once none of its reviews is open) or
reject them (the release stays unpublished, also when delivered again).
These commands call a running server's admin API as an ops account.`,
	}
	f.bind(cmd, cfg)
	cmd.AddCommand(newReviewListCmd(cfg, &f), newReviewDecideCmd(cfg, &f, "accept"), newReviewDecideCmd(cfg, &f, "reject"))
	return cmd
}

func newReviewListCmd(cfg *Config, f *adminFlags) *cobra.Command {
	var status string
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List reviews (default: pending), oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, err := f.url(cfg, "/api/v1/admin/reviews?"+url.Values{"status": {status}, "limit": {fmt.Sprint(limit)}}.Encode())
			if err != nil {
				return err
			}
			var res struct {
				Items []serving.ReviewJSON `json:"items"`
			}
			if err := adminCall(cmd.Context(), http.MethodGet, u, cfg.Token, nil, &res); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if cfg.JSON {
				return json.NewEncoder(out).Encode(res)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "REVIEW\tSTATUS\tRELEASE\tTRACK\tISRC\tOWNER\tSAME AUDIO AS\tITS OWNER\tSCORE")
			for _, r := range res.Items {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.3f\n", r.ID, r.Status, r.ReleaseID, r.TrackID, r.ISRC,
					r.OwnerID, r.MatchedTrackID, orDash(r.MatchedOwnerID), r.Score)
			}
			return tw.Flush()
		},
	}
	list.Flags().StringVar(&status, "status", music.ReviewPending, "pending, accepted, rejected, or empty for all")
	list.Flags().IntVar(&limit, "limit", 100, "at most this many")
	return list
}

// newReviewDecideCmd builds `review accept` or `review reject`.
func newReviewDecideCmd(cfg *Config, f *adminFlags, decision string) *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   decision + " REVIEW_ID",
		Short: map[string]string{"accept": "Accept a held track; its release is published when no review of it is open", "reject": "Reject a held track; its release stays unpublished"}[decision],
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := f.url(cfg, "/api/v1/admin/reviews/"+url.PathEscape(args[0]))
			if err != nil {
				return err
			}
			var res struct {
				Review    serving.ReviewJSON `json:"review"`
				Published bool               `json:"release_published"`
			}
			if err := adminCall(cmd.Context(), http.MethodPost, u, cfg.Token, map[string]string{"decision": decision, "note": note}, &res); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if cfg.JSON {
				return json.NewEncoder(out).Encode(res)
			}
			fmt.Fprintf(out, "%s %s (release %s", res.Review.ID, res.Review.Status, res.Review.ReleaseID)
			if res.Published {
				fmt.Fprint(out, " published")
			}
			fmt.Fprintln(out, ")")
			return nil
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "why (kept with the decision)")
	return cmd
}

func newOwnersCmd(cfg *Config) *cobra.Command {
	var f adminFlags
	cmd := &cobra.Command{
		Use:   "owners",
		Short: "Change which label account owns a release or an ISRC",
	}
	f.bind(cmd, cfg)
	var to string
	transfer := &cobra.Command{
		Use:   "transfer release|isrc ID --to USER_ID",
		Short: "Give a release (with all its ISRCs) or one ISRC to a label account",
		Long: `Releases and ISRCs belong to the label account that first delivered them;
another label's delivery or purge touching them is rejected. This is the
explicit ops action that changes the owner (also needed once for items
delivered before ownership was recorded). USER_ID is from musicctl users list.`,
		Example: `  musicctl owners transfer release rel-00195999000015 --to usr_0123abcd…`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := f.url(cfg, "/api/v1/admin/owners/"+url.PathEscape(args[0])+"/"+url.PathEscape(args[1]))
			if err != nil {
				return err
			}
			var res map[string]string
			if err := adminCall(cmd.Context(), http.MethodPut, u, cfg.Token, map[string]string{"owner_id": to}, &res); err != nil {
				return err
			}
			if cfg.JSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s now belongs to %s\n", res["kind"], res["id"], res["owner_id"])
			return nil
		},
	}
	transfer.Flags().StringVar(&to, "to", "", "user ID of the label account (musicctl users list)")
	_ = transfer.MarkFlagRequired("to")
	cmd.AddCommand(transfer)
	return cmd
}
