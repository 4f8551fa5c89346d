package workflows

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/lake/synth"
	"github.com/openmusic/music/reco"
	"github.com/openmusic/music/sqlstore"
)

var recoAsOf = time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)

// flakyCache fails the first write after failAt writes, as a Redis that
// goes away mid-run and comes back.
type flakyCache struct {
	music.RecoCache
	writes, failAt atomic.Int64
}

func (f *flakyCache) PutLists(ctx context.Context, lists []music.RecoList, ttl time.Duration) error {
	if n := f.writes.Add(1); n == f.failAt.Load() {
		return music.Errorf(music.EUNAVAILABLE, "cache down (test)")
	}
	return f.RecoCache.PutLists(ctx, lists, ttl)
}

// recoEnv is a planted-taste world in a file lake and a SQLite catalog,
// with the batch's activities on them.
func recoEnv(t *testing.T, users int) (*Activities, *sqlstore.Store, *synth.World) {
	t.Helper()
	ctx := context.Background()
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(ctx, catalogtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &synth.World{}
	if users > 0 {
		w, err = synth.GenerateTastes(ctx, blobs, synth.TasteConfig{Start: recoAsOf.AddDate(0, 0, -28), Days: 28,
			Users: users, Tracks: 240, Genres: 6, TracksPerArt: 8, PlaysPerUser: 40, Playlists: 40, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first two artists released this week.
	for _, p := range synth.Publications(w, map[int]bool{0: true, 1: true}, recoAsOf.AddDate(0, 0, -3).Format(time.DateOnly)) {
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return &Activities{Blobs: blobs, Catalog: st, Reco: st, Cache: st, CountWorkers: 2}, st, w
}

func runRecommendations(t *testing.T, a *Activities, in RecommendationsInput) RecommendationsResult {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute)
	env.RegisterActivity(a)
	env.ExecuteWorkflow(Recommendations, in)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res RecommendationsResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRecommendationsBatch: every listener's Discover Weekly favours their
// planted genres, holds nothing they played, skipped or saved, spreads
// artists; Daily Mixes and Release Radar are written too; a cache that
// fails mid-run costs a retry, not a list.
func TestRecommendationsBatch(t *testing.T) {
	a, st, w := recoEnv(t, 120)
	flaky := &flakyCache{RecoCache: st}
	flaky.failAt.Store(2)
	a.Cache = flaky
	res := runRecommendations(t, a, RecommendationsInput{AsOf: recoAsOf.Format(time.DateOnly), Days: 28, Buckets: 16, Parts: 3, Factors: 16, Iterations: 6})
	if res.Users != 120 || res.Items != 240 || res.Lists < 120*2 {
		t.Fatalf("result %+v", res)
	}
	if flaky.writes.Load() < 3 {
		t.Fatalf("the cache saw %d writes; the failure was not exercised", flaky.writes.Load())
	}
	ctx := context.Background()
	genreOf := map[string]int{}
	artistOf := map[string]string{}
	for _, tr := range w.Tracks {
		genreOf[tr.ID], artistOf[tr.ID] = tr.Genre, tr.Artist
	}
	played := playedInLake(t, a, w)
	onTaste, total := 0, 0
	for _, u := range w.Users {
		l, err := st.List(ctx, u.ID, reco.ListDiscoverWeekly)
		if err != nil {
			t.Fatalf("%s: %v", u.ID, err)
		}
		if len(l.TrackIDs) != reco.DiscoverWeeklySize {
			t.Errorf("%s: discover weekly has %d tracks", u.ID, len(l.TrackIDs))
		}
		for i, id := range l.TrackIDs {
			if played[u.ID][id] {
				t.Errorf("%s: discover weekly holds %s, which they played", u.ID, id)
			}
			same := 0
			for _, prev := range l.TrackIDs[max(0, i-reco.ArtistWindow+1) : i+1] {
				if artistOf[prev] == artistOf[id] {
					same++
				}
			}
			if same > reco.ArtistsPerWindow {
				t.Errorf("%s: %d tracks by %s within %d", u.ID, same, artistOf[id], reco.ArtistWindow)
			}
			for _, g := range u.Genres {
				if genreOf[id] == g {
					onTaste++
					break
				}
			}
			total++
		}
		if mix, err := st.List(ctx, u.ID, reco.ListDailyMix); err == nil && len(mix.Mixes) == 0 {
			t.Errorf("%s: daily mix without mixes", u.ID)
		}
	}
	// A user likes 1–2 of 6 genres: chance is about 25 %.
	if share := float64(onTaste) / float64(total); share < 0.6 {
		t.Errorf("only %.0f%% of Discover Weekly is in the listener's own genres", 100*share)
	}
	radar := 0
	for _, u := range w.Users {
		l, err := st.List(ctx, u.ID, reco.ListReleaseRadar)
		if music.ErrorCode(err) == music.ENOTFOUND {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		radar++
		for _, id := range l.TrackIDs {
			if a := artistOf[id]; a != w.Tracks[0].Artist && a != w.Tracks[1].Artist {
				t.Errorf("%s: release radar holds %s by %s, not a new release", u.ID, id, a)
			}
		}
	}
	if radar == 0 {
		t.Error("no listener got a Release Radar, though two artists released this week")
	}
}

// playedInLake lists each user's tracks with any report in the window.
func playedInLake(t *testing.T, a *Activities, w *synth.World) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	err := reco.ScanPlays(context.Background(), a.Blobs, w.Start, recoAsOf.AddDate(0, 0, 1), 1, 0, 1, func(u, tr string, _ float32) {
		if out[u] == nil {
			out[u] = map[string]bool{}
		}
		out[u][tr] = true
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// An empty lake trains on nothing and writes no list; nothing fails.
func TestRecommendationsEmptyLake(t *testing.T) {
	a, _, _ := recoEnv(t, 0)
	res := runRecommendations(t, a, RecommendationsInput{AsOf: recoAsOf.Format(time.DateOnly), Parts: 2, Factors: 8, Iterations: 2})
	if res.Users != 0 || res.Lists != 0 {
		t.Fatalf("empty lake: %+v", res)
	}
}

func TestRecommendationsBadInput(t *testing.T) {
	a, _, _ := recoEnv(t, 0)
	for _, in := range []RecommendationsInput{{AsOf: "2026-13-01"}, {Lists: []string{"weekly_wonders"}}} {
		var suite testsuite.WorkflowTestSuite
		env := suite.NewTestWorkflowEnvironment()
		env.RegisterActivity(a)
		env.ExecuteWorkflow(Recommendations, in)
		if err := env.GetWorkflowError(); err == nil {
			t.Errorf("%+v: no error", in)
		}
	}
}
