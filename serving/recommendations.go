package serving

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
)

// PopularSource serves the popularity fallback (sqlstore.Store).
type PopularSource interface {
	PopularTracks(ctx context.Context, territory string, limit int) ([]string, error)
}

// Recommendations are the recommendation routes' dependencies.
type Recommendations struct {
	Catalog music.Catalog
	// Licences tells which of a seed answer's candidates the caller may
	// see, all in one lookup.
	Licences music.Licences
	Users    music.UserStore
	Cache    music.RecoCache
	Popular  PopularSource
	// Live holds the newest trained model for seed-based answers; with
	// none loaded they come from popularity.
	Live *reco.Live
}

// Bounds of the recommendation routes.
const (
	defaultRecoLimit = 30
	maxSeeds         = 5
)

// Answer sources, so clients and tests can tell a fallback.
const (
	sourceCache      = "cache"
	sourceModel      = "model"
	sourcePopularity = "popularity"
)

// HandleRecommendations routes
//
//	GET /api/v1/me/recommendations?list=discover_weekly|daily_mix|release_radar&limit=
//	GET /api/v1/recommendations?seed_tracks=&seed_artists=&seed_genres=&limit=
//
// The first reads the batch's cached list of the caller; the second
// answers online from the model's item vectors. Both show only what the
// caller may see in their territory, each track as GET /api/v1/tracks/{id}
// shows it, and fall back to popularity when the cache or the model has
// nothing (or is down): never an error for that.
func (s *Server) HandleRecommendations(d Recommendations) {
	popular := newTTLCache[[]string](time.Minute, 1000).counted(s.cacheRequests, "popular")
	s.popular = func(ctx context.Context, territory string, limit int) ([]string, error) {
		return popular.get(territory+"\x00"+strconv.Itoa(limit), s.Now(), func() ([]string, error) {
			return d.Popular.PopularTracks(ctx, territory, limit)
		})
	}
	s.Handle("GET /api/v1/me/recommendations", s.authed(d.Users, listeners, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		list := q.Get("list")
		if list == "" {
			list = reco.ListDiscoverWeekly
		}
		if !slices.Contains(reco.ListNames, list) {
			writeError(w, music.Errorf(music.EINVALID, "query parameter list: %q is not one of %s", list, strings.Join(reco.ListNames, ", ")))
			return
		}
		limit, v, err := s.recoRequest(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ctx := r.Context()
		out := meRecoJSON{List: list, Tracks: []trackJSON{}}
		cached, err := d.Cache.List(ctx, UserFrom(ctx).ID, list)
		s.cacheRequests.WithLabelValues("reco_lists", cacheResult(err)).Inc()
		if err == nil {
			out.Source = sourceCache
			gen := cached.GeneratedAt
			out.GeneratedAt = &gen
			out.Tracks = s.visibleTracks(ctx, d.Catalog, v, cached.TrackIDs, limit, nil)
			for _, m := range cached.Mixes {
				out.Mixes = append(out.Mixes, mixJSON{Name: m.Name, Tracks: s.visibleTracks(ctx, d.Catalog, v, m.TrackIDs, len(m.TrackIDs), nil)})
			}
		}
		if err != nil || len(out.Tracks) == 0 { // down, empty, or nothing visible here
			out.Source, out.GeneratedAt, out.Mixes = sourcePopularity, nil, nil
			if out.Tracks, err = s.popularTracks(ctx, d, v, limit, nil); err != nil {
				writeError(w, err)
				return
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.Handle("GET /api/v1/recommendations", s.authed(d.Users, nil, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		seeds, err := parseSeeds(q)
		if err != nil {
			writeError(w, err)
			return
		}
		limit, v, err := s.recoRequest(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ctx := r.Context()
		online := d.Live.Get()
		items, exclude, err := s.resolveSeeds(ctx, d.Catalog, online, v, seeds)
		if err != nil {
			writeError(w, err)
			return
		}
		out := seedRecoJSON{Seeds: seeds, Tracks: []trackJSON{}}
		if online != nil && len(items) > 0 {
			out.Source = sourceModel
			ranked, err := online.Recommend(items, limit, func(i int) bool { return exclude[online.Model.Items[i].ID] },
				func(cands []int) ([]int, error) { return keepVisible(ctx, d.Licences, v, online, cands) })
			if err != nil {
				writeError(w, err)
				return
			}
			ids := make([]string, len(ranked))
			for k, i := range ranked {
				ids[k] = online.Model.Items[i].ID
			}
			out.Tracks = s.visibleTracks(ctx, d.Catalog, v, ids, limit, nil)
		}
		if len(out.Tracks) == 0 {
			out.Source = sourcePopularity
			if out.Tracks, err = s.popularTracks(ctx, d, v, limit, exclude); err != nil {
				writeError(w, err)
				return
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
}

// meRecoJSON is a cached list; Mixes only for the Daily Mix.
type meRecoJSON struct {
	List        string      `json:"list"`
	GeneratedAt *time.Time  `json:"generated_at"` // null for the fallback
	Source      string      `json:"source"`
	Tracks      []trackJSON `json:"tracks"`
	Mixes       []mixJSON   `json:"mixes,omitempty"`
}

type mixJSON struct {
	Name   string      `json:"name"`
	Tracks []trackJSON `json:"tracks"`
}

// seedJSON is one seed as the caller gave it.
type seedJSON struct {
	Type string `json:"type"` // track, artist or genre
	ID   string `json:"id"`
}

type seedRecoJSON struct {
	Tracks []trackJSON `json:"tracks"`
	Seeds  []seedJSON  `json:"seeds"`
	Source string      `json:"source"`
}

// recoRequest reads what both routes take: ?limit= (1 to maxLimit) and
// the caller's view.
func (s *Server) recoRequest(r *http.Request) (int, music.Visibility, error) {
	limit := defaultRecoLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return 0, music.Visibility{}, music.Errorf(music.EINVALID, "query parameter limit: want 1 to %d, got %q", maxLimit, v)
		}
		limit = n
	}
	v, err := s.visibility(r)
	return limit, v, err
}

// parseSeeds reads the comma-separated seed parameters: 1 to maxSeeds
// seeds in all, no empty entries.
func parseSeeds(q map[string][]string) ([]seedJSON, error) {
	var seeds []seedJSON
	for _, p := range []struct{ param, kind string }{{"seed_tracks", "track"}, {"seed_artists", "artist"}, {"seed_genres", "genre"}} {
		raw := strings.Join(q[p.param], ",")
		if raw == "" {
			continue
		}
		for _, id := range strings.Split(raw, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				return nil, music.Errorf(music.EINVALID, "query parameter %s: empty seed in %q", p.param, raw)
			}
			seeds = append(seeds, seedJSON{Type: p.kind, ID: id})
		}
	}
	switch {
	case len(seeds) == 0:
		return nil, music.Errorf(music.EINVALID, "give at least one seed: seed_tracks, seed_artists or seed_genres")
	case len(seeds) > maxSeeds:
		return nil, music.Errorf(music.EINVALID, "%d seeds given, at most %d allowed", len(seeds), maxSeeds)
	}
	return seeds, nil
}

// resolveSeeds checks every seed against what the caller may see (an
// unknown or invisible seed is EUNPROCESSABLE, naming it) and maps them
// to model items; exclude holds the seed tracks, never recommended back.
func (s *Server) resolveSeeds(ctx context.Context, cat music.Catalog, online *reco.Online, v music.Visibility, seeds []seedJSON) (items []int, exclude map[string]bool, err error) {
	exclude = map[string]bool{}
	for _, sd := range seeds {
		switch sd.Type {
		case "track":
			if !s.visible(ctx, cat, v, sd.ID) {
				return nil, nil, music.Errorf(music.EUNPROCESSABLE, "seed track %q is unknown or not available in %s", sd.ID, v.Territory)
			}
			exclude[sd.ID] = true
			if online != nil {
				if i, ok := online.Track(sd.ID); ok {
					items = append(items, i)
				}
			}
		case "artist":
			if _, _, err := cat.Artist(ctx, sd.ID, v); music.ErrorCode(err) == music.ENOTFOUND {
				return nil, nil, music.Errorf(music.EUNPROCESSABLE, "seed artist %q is unknown or has nothing available in %s", sd.ID, v.Territory)
			} else if err != nil {
				return nil, nil, err
			}
			if online != nil {
				is, _ := online.Artist(sd.ID)
				items = append(items, is...)
			}
		case "genre":
			if online == nil {
				continue // no model: popularity answers, genres cannot be checked
			}
			is, ok := online.Genre(sd.ID)
			if !ok {
				return nil, nil, music.Errorf(music.EUNPROCESSABLE, "seed genre %q is not a genre of the catalog", sd.ID)
			}
			items = append(items, is...)
		}
	}
	return items, exclude, nil
}

// keepVisible returns, in order, the candidates the caller may see,
// checked in one batch: a check per candidate was the seed route's whole
// cost at 1 M tracks (docs/benchmarks/reco.md).
func keepVisible(ctx context.Context, lic music.Licences, v music.Visibility, online *reco.Online, cands []int) ([]int, error) {
	ids := make([]string, len(cands))
	for k, i := range cands {
		ids[k] = online.Model.Items[i].ID
	}
	vis, err := lic.VisibleIDs(ctx, music.DocTrack, ids, v)
	if err != nil {
		return nil, err
	}
	kept := cands[:0:0]
	for k, i := range cands {
		if vis[ids[k]] {
			kept = append(kept, i)
		}
	}
	return kept, nil
}

// visible reports whether the caller may see a track (cached lookups).
func (s *Server) visible(ctx context.Context, cat music.Catalog, v music.Visibility, id string) bool {
	_, err := s.tracks.get(v.Territory+"\x00"+id, v.At, func() (*music.Track, error) { return cat.Track(ctx, id, v) })
	return err == nil
}

// visibleTracks renders up to limit of ids that the caller may see, in
// order, skipping those in exclude. Tracks not in the cache are read in
// one batch: a read per track cost 1–5 ms each at 1 M tracks.
func (s *Server) visibleTracks(ctx context.Context, cat music.Catalog, v music.Visibility, ids []string, limit int, exclude map[string]bool) []trackJSON {
	prefix := v.Territory + "\x00"
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		if !exclude[id] {
			keys = append(keys, prefix+id)
		}
	}
	found, _ := s.tracks.getMany(keys, v.At, func(missing []string) (map[string]*music.Track, error) {
		want := make([]string, len(missing))
		for i, k := range missing {
			want[i] = strings.TrimPrefix(k, prefix)
		}
		got, err := cat.TracksByID(ctx, want, v)
		byKey := make(map[string]*music.Track, len(got))
		for id, t := range got {
			byKey[prefix+id] = t
		}
		return byKey, err
	}) // an unreadable track is left out, as an invisible one is
	out := make([]trackJSON, 0, min(limit, len(keys)))
	for _, k := range keys {
		if len(out) == limit {
			break
		}
		if t, ok := found[k]; ok {
			out = append(out, s.newTrackJSON(t, t.ReleaseID, t.ReleaseTitle, v.Territory))
		}
	}
	return out
}

// popularTracks is the fallback: the territory's most popular tracks
// the caller may see.
func (s *Server) popularTracks(ctx context.Context, d Recommendations, v music.Visibility, limit int, exclude map[string]bool) ([]trackJSON, error) {
	ids, err := s.popular(ctx, v.Territory, 3*limit+len(exclude))
	if err != nil {
		return nil, err
	}
	return s.visibleTracks(ctx, d.Catalog, v, ids, limit, exclude), nil
}

// cacheResult is a cache lookup's result label: hit, miss (ENOTFOUND:
// never written or expired) or error.
func cacheResult(err error) string {
	switch {
	case err == nil:
		return "hit"
	case music.ErrorCode(err) == music.ENOTFOUND:
		return "miss"
	}
	return "error"
}
