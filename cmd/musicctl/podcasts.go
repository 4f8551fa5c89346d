package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/openmusic/music/rss"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/serving/client"
)

func newPodcastsCmd(cfg *Config) *cobra.Command {
	var f adminFlags
	cmd := &cobra.Command{
		Use:   "podcasts",
		Short: "Register podcast shows by feed URL or feed file and see what their feeds gave",
		Long: `Podcasts come from RSS feeds, not label deliveries. A registered show's
feed is polled hourly (--podcast-poll on up/serve) by a PodcastFeed
workflow; new and changed episodes are fetched, normalised to -16 LUFS
and encoded, and published once their audio is stored. These commands
call a running server's API as an ops or label account (docs/podcasts.md).`,
	}
	f.bind(cmd, cfg)
	cmd.AddCommand(newPodcastsAddCmd(cfg, &f), newPodcastsRefreshCmd(cfg, &f), newPodcastsShowCmd(cfg, &f),
		newPodcastsRemoveCmd(cfg, &f), newPodcastsRestoreCmd(cfg, &f))
	return cmd
}

func newPodcastsAddCmd(cfg *Config, f *adminFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "add FEED_URL|FILE",
		Short: "Register a show and poll its feed now",
		Long: `Register a show by its feed URL, or by a copy of its feed in a local FILE.
A FILE is checked as a poll checks a feed, and the show is registered by
the URL the feed gives for itself (<itunes:new-feed-url>, else
<atom:link rel="self">): every poll, the first too, fetches that URL.`,
		Example: `  musicctl podcasts add https://feeds.example.org/show.xml
  musicctl podcasts add ./show.xml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			feedURL, err := rss.FeedURLFor(args[0])
			if err != nil {
				return err
			}
			u, err := f.url(cfg, "/api/v1/podcasts")
			if err != nil {
				return err
			}
			var res podcastAdded
			if err := adminCall(cmd.Context(), http.MethodPost, u, cfg.Token, map[string]string{"feed_url": feedURL}, &res); err != nil {
				return err
			}
			if cfg.JSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
			}
			return printPodcastAdded(cmd, res)
		},
	}
}

// podcastAdded is the answer of POST /api/v1/podcasts.
type podcastAdded struct {
	Show       serving.ShowJSON `json:"show"`
	Created    bool             `json:"created"`
	WorkflowID string           `json:"workflow_id"`
}

func printPodcastAdded(cmd *cobra.Command, res podcastAdded) error {
	if !res.Created {
		_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s already registered (feed %s)\n", res.Show.ID, res.Show.FeedURL)
		return err
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s registered (feed %s); polling now (workflow %s)\n", res.Show.ID, res.Show.FeedURL, res.WorkflowID)
	return err
}

func newPodcastsRefreshCmd(cfg *Config, f *adminFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "refresh SHOW_ID",
		Short: "Poll a show's feed now, past any backoff",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := f.url(cfg, "/api/v1/podcasts/"+url.PathEscape(args[0])+"/refresh")
			if err != nil {
				return err
			}
			var res struct {
				WorkflowID string `json:"workflow_id"`
			}
			if err := adminCall(cmd.Context(), http.MethodPost, u, cfg.Token, nil, &res); err != nil {
				return err
			}
			if cfg.JSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "polling %s (workflow %s)\n", args[0], res.WorkflowID)
			return err
		},
	}
}

func newPodcastsRemoveCmd(cfg *Config, f *adminFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "remove SHOW_ID",
		Short: "Take a show down (ops): hidden and no longer polled, nothing deleted",
		Long: `Take a show down: its feed is no longer polled, it and its episodes answer
404 and leave search and follows, their stream URLs stop and offline
renewal tells devices to delete them. Nothing is deleted: musicctl
podcasts restore brings it back (docs/podcasts.md).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showAdminCall(cmd, cfg, f, args[0], "taken_down", (*client.Admin).RemoveShow)
		},
	}
}

func newPodcastsRestoreCmd(cfg *Config, f *adminFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "restore SHOW_ID",
		Short: "Undo a show's takedown (ops): shown, searchable and polled again",
		Long: `Undo a takedown by ops, or by the show's feed turning podcast:locked: the
show and its episodes are served and indexed again, and its schedule is
unpaused. A feed still locked takes the show down again at its next poll.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showAdminCall(cmd, cfg, f, args[0], "restored", (*client.Admin).RestoreShow)
		},
	}
}

// showAdminCall runs an ops call on a show and says what became of it:
// "{id} taken down", or {"show_id","status"} with --json.
func showAdminCall(cmd *cobra.Command, cfg *Config, f *adminFlags, id, status string, call func(*client.Admin, context.Context, string) error) error {
	if _, err := f.url(cfg, ""); err != nil { // the token check
		return err
	}
	if err := call(&client.Admin{Base: f.server, Token: cfg.Token}, cmd.Context(), id); err != nil {
		return err
	}
	if cfg.JSON {
		return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]string{"show_id": id, "status": status})
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", id, strings.ReplaceAll(status, "_", " "))
	return err
}

func newPodcastsShowCmd(cfg *Config, f *adminFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "show SHOW_ID",
		Short: "A show, its feed's last poll and its published episodes, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res struct {
				serving.ShowJSON
				Episodes []serving.EpisodeJSON `json:"episodes"`
			}
			if err := getShow(cmd, cfg, f, args[0], &res.ShowJSON, &res.Episodes); err != nil {
				return err
			}
			if cfg.JSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
			}
			return printShow(cmd, res.ShowJSON, res.Episodes)
		},
	}
}

// getShow reads a show and its first page of episodes.
func getShow(cmd *cobra.Command, cfg *Config, f *adminFlags, id string, show *serving.ShowJSON, eps *[]serving.EpisodeJSON) error {
	u, err := f.url(cfg, "/api/v1/podcasts/"+url.PathEscape(id))
	if err != nil {
		return err
	}
	if err := adminCall(cmd.Context(), http.MethodGet, u, cfg.Token, nil, show); err != nil {
		return err
	}
	var page struct {
		Items []serving.EpisodeJSON `json:"items"`
	}
	if err := adminCall(cmd.Context(), http.MethodGet, u+"/episodes?limit=100", cfg.Token, nil, &page); err != nil {
		return err
	}
	*eps = page.Items
	return nil
}

func printShow(cmd *cobra.Command, sh serving.ShowJSON, eps []serving.EpisodeJSON) error {
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s  %s — %s\nfeed %s\n", sh.ID, orDash(sh.Title), orDash(sh.Author), sh.FeedURL)
	switch {
	case sh.PolledAt.IsZero():
		fmt.Fprintln(out, "not polled yet")
	case sh.FeedError != "":
		fmt.Fprintf(out, "last poll %s FAILED (%d in a row): %s\n", sh.PolledAt.Format("2006-01-02 15:04"), sh.Failures, sh.FeedError)
	default:
		fmt.Fprintf(out, "last poll %s ok\n", sh.PolledAt.Format("2006-01-02 15:04"))
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EPISODE\tPUBLISHED\tDURATION\tLUFS\tTITLE")
	for _, e := range eps {
		fmt.Fprintf(tw, "%s\t%s\t%d:%02d\t%.1f\t%s\n", e.ID, e.PublishedAt.Format("2006-01-02"), e.DurationMS/60000, e.DurationMS/1000%60, e.LoudnessLUFS, e.Title)
	}
	return tw.Flush()
}
