package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/search"
	"github.com/openmusic/music/serving"
	"go.temporal.io/sdk/client"
)

// newHTTPServer builds the serving layer with a readiness check for every
// dependency it relies on.
func newHTTPServer(ctx context.Context, cfg *Config, st *stack, tc client.Client) (*serving.Server, error) {
	srv := serving.NewOn(st.Metrics)
	signer, err := newStreamSigner(ctx, cfg, st.Catalog)
	if err != nil {
		return nil, err
	}
	audio, err := audioOptions(cfg)
	if err != nil {
		return nil, err
	}
	srv.Signer, srv.Log = signer, cfg.Logger
	srv.GeoHeader = cfg.GeoHeader
	srv.Users = st.Catalog
	srv.Licences = st.Catalog
	if srv.DefaultTerritory = strings.ToUpper(cfg.DefaultTerr); len(srv.DefaultTerritory) != 2 {
		return nil, fmt.Errorf("%s %q: want an ISO 3166-1 alpha-2 code", cfg.Source("default-territory"), cfg.DefaultTerr)
	}
	if err := applyAbuseLimits(ctx, cfg, st, srv); err != nil {
		return nil, err
	}
	addReadyChecks(srv, st, tc)
	if err := startFriendFeed(ctx, cfg, st); err != nil {
		return nil, err
	}
	handleRoutes(srv, st, audio)
	if err := handleOffline(srv, cfg, st, audio); err != nil {
		return nil, err
	}
	if err := handleWebPlayer(srv, cfg, st); err != nil {
		return nil, err
	}
	if err := handlePodcasts(srv, cfg, st, tc); err != nil {
		return nil, err
	}
	return srv, nil
}

// handleRoutes registers every API route on the stack's backends.
func handleRoutes(srv *serving.Server, st *stack, audio serving.AudioOptions) {
	srv.HandleSearch(st.Search)
	srv.HandleReindex(st.Catalog, &serving.Reindexer{Index: st.Search, Source: func(ctx context.Context) music.DocSource {
		return search.AllDocs(ctx, st.Catalog, st.Catalog)
	}})
	srv.HandleCatalog(st.Catalog, st.Catalog)
	srv.HandleReviews(st.Catalog, st.Catalog, st.Catalog, st.Catalog, func(ctx context.Context, releaseID string) error {
		return search.IndexRelease(ctx, st.Catalog, st.Search, releaseID)
	})
	srv.HandleAudio(st.Blobs, audio)
	srv.HandlePlaylists(st.Catalog, st.Catalog, st.Catalog)
	srv.HandleLibrary(st.Catalog, st.Catalog, st.Catalog)
	handleSocial(srv, st)
	srv.HandleOpenAPI()
	srv.HandleRankings(st.Catalog)
	srv.HandleRecommendations(serving.Recommendations{Catalog: st.Catalog, Licences: st.Catalog, Users: st.Catalog, Cache: st.RecoCache,
		Popular: st.Catalog, Live: st.liveModel()})
	players := connect.New(st.Players, &connect.CatalogTracks{Catalog: st.Catalog, Playlists: st.Catalog, Now: time.Now})
	srv.HandleConnect(st.Catalog, players)
	srv.HandlePlayer(st.Catalog, players)
	if st.Fingerprints != nil {
		srv.HandleIdentify(identifyWith(st.Fingerprints), st.Catalog, st.Catalog)
	}
	if st.Log != nil {
		srv.HandlePlayback(st.Catalog, st.Catalog, st.Log)
		registerLakeLag(srv, st.Log)
	}
}

// handleSocial registers the profile, follow and friend routes (#17).
func handleSocial(srv *serving.Server, st *stack) {
	srv.HandleSocial(serving.Social{Users: st.Catalog, Profiles: st.Catalog, Follows: st.Catalog, Playlists: st.Catalog, Catalog: st.Catalog,
		Shares: st.Catalog, Privacy: st.Catalog, Friends: st.Friends,
		Editorial: st.Catalog, Owners: st.Catalog})
	srv.HandleSavedPlaylists(st.Catalog, st.Catalog, st.Catalog)
}

// addReadyChecks gives /readyz a check for every dependency; those the
// server can limp without are "degradable".
func addReadyChecks(srv *serving.Server, st *stack, tc client.Client) {
	srv.AddDegradableCheck("catalog", func(ctx context.Context) error { return st.Catalog.DB().PingContext(ctx) })
	srv.AddDegradableCheck("blobstore", func(ctx context.Context) error {
		_, err := st.Blobs.Stat(ctx, readyProbeKey)
		if err != nil && music.ErrorCode(err) == music.ENOTFOUND {
			return nil // reachable; the probe key simply does not exist
		}
		return err
	})
	if st.Log != nil {
		srv.AddDegradableCheck("eventlog", st.Log.Ping)
	}
	srv.AddCheck("temporal", func(ctx context.Context) error {
		_, err := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	})
}

// readyProbeKey is looked up by the readiness check: any answer, found or
// not found, proves the store is reachable.
const readyProbeKey = "healthz/probe"
