package main

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"

	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/webfetch"
	"github.com/openmusic/music/workflows"
)

// PodcastFlags configure feed polling (docs/podcasts.md).
type PodcastFlags struct {
	// AllowPrivate lets the fetcher reach loopback and private addresses.
	AllowPrivate bool
	Poll         time.Duration // how often each show's feed is polled
}

// BindPodcasts declares the podcast flags of up, serve and worker.
func (c *Config) BindPodcasts(fs *pflag.FlagSet) {
	fs.BoolVar(&c.Podcast.AllowPrivate, "podcast-allow-private", false,
		"let podcast feeds and enclosures be fetched from loopback and private addresses (tests, a feed host on your own network)")
	fs.DurationVar(&c.Podcast.Poll, "podcast-poll", workflows.DefaultPodcastPoll, "how often each podcast feed is polled")
}

// feedFetcher is the one HTTP client for feeds and enclosures.
func feedFetcher(cfg *Config) *webfetch.Client {
	return webfetch.New(webfetch.Options{AllowPrivate: cfg.Podcast.AllowPrivate})
}

// handlePodcasts routes the podcast API, polling through Temporal.
func handlePodcasts(srv *serving.Server, cfg *Config, st *stack, tc client.Client) error {
	if cfg.Podcast.Poll < time.Minute {
		return fmt.Errorf("%s %v: want at least 1m", cfg.Source("podcast-poll"), cfg.Podcast.Poll)
	}
	srv.HandlePodcasts(serving.Podcasts{Users: st.Catalog, Store: st.Catalog, Listening: st.Catalog, Plays: st.Catalog, Blobs: st.Blobs,
		Search: st.Search, Poller: workflows.PodcastPoller{Client: tc, Every: cfg.Podcast.Poll}})
	return nil
}
