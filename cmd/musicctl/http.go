package main

import (
	"context"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/serving"
	"go.temporal.io/sdk/client"
)

// newHTTPServer builds the serving layer with a readiness check for every
// dependency it relies on.
func newHTTPServer(ctx context.Context, cfg *Config, st *stack, tc client.Client) (*serving.Server, error) {
	srv := serving.New()
	signer, err := newStreamSigner(cfg)
	if err != nil {
		return nil, err
	}
	audio, err := audioOptions(cfg)
	if err != nil {
		return nil, err
	}
	srv.Signer = signer
	if err := applyAbuseLimits(ctx, cfg, st, srv); err != nil {
		return nil, err
	}
	srv.AddCheck("catalog", func(ctx context.Context) error { return st.Catalog.DB().PingContext(ctx) })
	srv.AddCheck("blobstore", func(ctx context.Context) error {
		_, err := st.Blobs.Stat(ctx, readyProbeKey)
		if err != nil && music.ErrorCode(err) == music.ENOTFOUND {
			return nil // reachable; the probe key simply does not exist
		}
		return err
	})
	srv.HandleSearch(st.Search)
	srv.HandleReindex(st.Catalog, &serving.Reindexer{Index: st.Search, Source: func(ctx context.Context) music.DocSource {
		return music.CatalogDocs(ctx, st.Catalog)
	}})
	srv.HandleCatalog(st.Catalog, st.Catalog)
	srv.HandleAudio(st.Blobs, audio)
	srv.HandlePlaylists(st.Catalog, st.Catalog, st.Catalog)
	srv.HandleLibrary(st.Catalog, st.Catalog, st.Catalog)
	srv.HandleOpenAPI()
	srv.HandleRankings(st.Catalog)
	srv.HandleRecommendations(serving.Recommendations{Catalog: st.Catalog, Users: st.Catalog, Cache: st.RecoCache,
		Popular: st.Catalog, Live: st.liveModel()})
	players := connect.New(st.Players, &connect.CatalogTracks{Catalog: st.Catalog, Playlists: st.Catalog, Now: time.Now})
	srv.HandleConnect(st.Catalog, players)
	srv.HandlePlayer(st.Catalog, players)
	if st.Fingerprints != nil {
		srv.HandleIdentify(identifyWith(st.Fingerprints), st.Catalog, st.Catalog)
	}
	if st.Log != nil {
		srv.HandlePlayback(st.Catalog, st.Catalog, st.Log)
		srv.AddCheck("eventlog", st.Log.Ping)
	}
	srv.AddCheck("temporal", func(ctx context.Context) error {
		_, err := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	})
	return srv, nil
}

// readyProbeKey is looked up by the readiness check: any answer, found or
// not found, proves the store is reachable.
const readyProbeKey = "healthz/probe"
