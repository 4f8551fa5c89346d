package serving

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/sqlstore"
)

// downCache is a cache whose server is gone.
type downCache struct{}

func (downCache) PutLists(context.Context, []music.RecoList, time.Duration) error {
	return music.Errorf(music.EUNAVAILABLE, "down")
}
func (downCache) List(context.Context, string, string) (*music.RecoList, error) {
	return nil, music.Errorf(music.EUNAVAILABLE, "cache down (test)")
}

type recoAnswer struct {
	List        string      `json:"list"`
	GeneratedAt *time.Time  `json:"generated_at"`
	Source      string      `json:"source"`
	Tracks      []trackJSON `json:"tracks"`
	Mixes       []mixJSON   `json:"mixes"`
	Seeds       []seedJSON  `json:"seeds"`
}

// testModel trains a tiny model over the seeded catalog: listeners of
// rel-1-d1t01 also play rel-1-d1t02 and the German-only rel-2-d1t01.
func testModel(t *testing.T, st *sqlstore.Store) *reco.Model {
	t.Helper()
	items, feats, err := st.RecoItems(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int32{}
	for i, it := range items {
		idx[it.ID] = int32(i)
	}
	var users []reco.User
	for range 20 {
		u := reco.User{}
		for _, id := range []string{"rel-1-d1t01", "rel-1-d1t02", "rel-2-d1t01"} {
			u.Items, u.R = append(u.Items, idx[id]), append(u.R, 2)
		}
		users = append(users, u)
	}
	m, _, err := reco.Train(context.Background(), &reco.Corpus{Items: items, Features: feats, Users: users},
		catalogNow, reco.TrainOptions{ALS: reco.ALSOptions{Factors: 4, Iterations: 3}, W2V: reco.W2VOptions{Dim: 8}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRecommendationsAPI(t *testing.T) {
	e := newAPIEnv(t)
	live := &reco.Live{}
	d := Recommendations{Catalog: e.st, Licences: e.st, Users: e.st, Cache: e.st, Popular: e.st, Live: live}
	e.s.HandleRecommendations(d)
	ctx := context.Background()
	gen := time.Date(2026, 5, 25, 4, 0, 0, 0, time.UTC)
	if err := e.st.PutLists(ctx, []music.RecoList{
		{UserID: e.aliceID, List: reco.ListDiscoverWeekly, GeneratedAt: gen, TrackIDs: []string{"rel-2-d1t01", "rel-1-d1t02", "rel-1-d2t01", "rel-3-d1t01"}},
		{UserID: e.aliceID, List: reco.ListDailyMix, GeneratedAt: gen, TrackIDs: []string{"rel-1-d1t01", "rel-1-d2t02"},
			Mixes: []music.RecoMix{{Name: "Daily Mix 1: rock", TrackIDs: []string{"rel-1-d1t01", "rel-2-d1t01", "rel-1-d2t02"}}}},
	}, time.Hour); err != nil {
		t.Fatal(err)
	}
	get := func(path, token string) (int, recoAnswer, string) {
		t.Helper()
		code, _, body := e.do("GET", path, token, "")
		var a recoAnswer
		if code == 200 {
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		return code, a, string(body)
	}
	ids := func(ts []trackJSON) string {
		var out []string
		for _, tr := range ts {
			out = append(out, tr.TrackID)
		}
		return strings.Join(out, ",")
	}

	// The cached list, minus what GB cannot see (rel-2 is German only,
	// rel-3's deal ended), each track as the track route shows it.
	code, a, _ := get("/api/v1/me/recommendations", e.alice)
	if code != 200 || a.Source != sourceCache || a.List != reco.ListDiscoverWeekly || ids(a.Tracks) != "rel-1-d1t02,rel-1-d2t01" ||
		a.GeneratedAt == nil || !a.GeneratedAt.Equal(gen) || a.Tracks[0].StreamURLs["160"] == "" {
		t.Fatalf("discover weekly: %d %+v", code, a)
	}
	if _, a, _ = get("/api/v1/me/recommendations?list=discover_weekly&limit=1", e.alice); ids(a.Tracks) != "rel-1-d1t02" {
		t.Errorf("limit 1: %s", ids(a.Tracks))
	}
	if _, a, _ = get("/api/v1/me/recommendations?list=daily_mix", e.alice); len(a.Mixes) != 1 || ids(a.Mixes[0].Tracks) != "rel-1-d1t01,rel-1-d2t02" || a.Mixes[0].Name != "Daily Mix 1: rock" {
		t.Errorf("daily mix: %+v", a)
	}
	// No list for bob yet, and a cache that is down: popularity, not an error.
	if code, a, _ = get("/api/v1/me/recommendations?list=release_radar", e.bob); code != 200 || a.Source != sourcePopularity || len(a.Tracks) != 4 || a.GeneratedAt != nil {
		t.Errorf("empty cache: %d %+v", code, a)
	}
	down := newAPIEnv(t)
	down.s.HandleRecommendations(Recommendations{Catalog: down.st, Licences: down.st, Users: down.st, Cache: downCache{}, Popular: down.st, Live: live})
	if code, _, body := down.do("GET", "/api/v1/me/recommendations", down.alice, ""); code != 200 || !strings.Contains(string(body), `"source":"popularity"`) {
		t.Errorf("cache down: %d %s", code, body)
	}

	// Seeds with no model yet: popularity, the seed excluded.
	if code, a, _ = get("/api/v1/recommendations?seed_tracks=rel-1-d1t01", e.alice); code != 200 || a.Source != sourcePopularity || strings.Contains(ids(a.Tracks), "rel-1-d1t01") || len(a.Tracks) != 3 {
		t.Errorf("no model: %d %+v", code, a)
	}
	live.Set(testModel(t, e.st))
	code, a, _ = get("/api/v1/recommendations?seed_tracks=rel-1-d1t01&limit=2", e.alice)
	if code != 200 || a.Source != sourceModel || len(a.Tracks) != 2 || a.Tracks[0].TrackID != "rel-1-d1t02" || len(a.Seeds) != 1 || a.Seeds[0].Type != "track" {
		t.Errorf("seed track: %d %+v", code, a)
	}
	for _, tr := range a.Tracks {
		if strings.HasPrefix(tr.TrackID, "rel-2") || tr.TrackID == "rel-1-d1t01" {
			t.Errorf("answer holds %s (invisible in GB, or the seed)", tr.TrackID)
		}
	}
	if code, a, _ = get("/api/v1/recommendations?seed_artists=art-main&seed_genres=ROCK", e.alice); code != 200 || len(a.Tracks) == 0 || len(a.Seeds) != 2 {
		t.Errorf("artist and genre seeds: %d %+v", code, a)
	}

	for _, tc := range []struct {
		name, path, token string
		want              int
		mention           string
	}{
		{"no token", "/api/v1/me/recommendations", "", 401, ""},
		{"label account", "/api/v1/me/recommendations", e.lbl, 403, ""},
		{"no token on seeds", "/api/v1/recommendations?seed_tracks=rel-1-d1t01", "", 401, ""},
		{"unknown list", "/api/v1/me/recommendations?list=weekly_wonders", e.alice, 400, "weekly_wonders"},
		{"limit 0", "/api/v1/me/recommendations?limit=0", e.alice, 400, "limit"},
		{"limit 101", "/api/v1/recommendations?seed_tracks=rel-1-d1t01&limit=101", e.alice, 400, "limit"},
		{"limit not a number", "/api/v1/me/recommendations?limit=ten", e.alice, 400, "limit"},
		{"no seeds", "/api/v1/recommendations", e.alice, 400, "seed"},
		{"empty seed", "/api/v1/recommendations?seed_tracks=rel-1-d1t01,,rel-1-d1t02", e.alice, 400, "seed_tracks"},
		{"six seeds", "/api/v1/recommendations?seed_tracks=a,b,c&seed_artists=d,e,f", e.alice, 400, "at most 5"},
		{"unknown seed track", "/api/v1/recommendations?seed_tracks=rel-1-d1t01,nope-9", e.alice, 422, "nope-9"},
		{"invisible seed track", "/api/v1/recommendations?seed_tracks=rel-2-d1t01", e.alice, 422, "rel-2-d1t01"},
		{"expired seed track", "/api/v1/recommendations?seed_tracks=rel-3-d1t01", e.alice, 422, "rel-3-d1t01"},
		{"unknown seed artist", "/api/v1/recommendations?seed_artists=art-nobody", e.alice, 422, "art-nobody"},
		{"unknown seed genre", "/api/v1/recommendations?seed_genres=polka", e.alice, 422, "polka"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := get(tc.path, tc.token)
			if code != tc.want || !strings.Contains(body, tc.mention) {
				t.Errorf("%d %s, want %d naming %q", code, body, tc.want, tc.mention)
			}
		})
	}
}

// Both routes cost work, so both are rate-limited per token.
func TestRecommendationsRateLimit(t *testing.T) {
	e := newAPIEnv(t)
	e.s.HandleRecommendations(Recommendations{Catalog: e.st, Licences: e.st, Users: e.st, Cache: e.st, Popular: e.st, Live: &reco.Live{}})
	e.s.SetRateLimiter(LimitAPI, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 2}))
	for _, path := range []string{"/api/v1/me/recommendations", "/api/v1/recommendations?seed_tracks=rel-1-d1t01"} {
		codes := ""
		for range 2 {
			code, _, _ := e.do("GET", path, e.bob, "")
			codes += " " + string(rune('0'+code/100))
		}
		code, h, _ := e.do("GET", path, e.bob, "")
		if code != 429 || h.Get("Retry-After") == "" {
			t.Errorf("%s: third request %d (first two%s), want 429", path, code, codes)
		}
		e.s.SetRateLimiter(LimitAPI, NewMemoryLimiter(music.Rate{PerSecond: 0.01, Burst: 2})) // a fresh bucket for the next route
	}
}
