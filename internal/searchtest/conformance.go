package searchtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/testwait"
	"github.com/openmusic/music/search"
)

// Opener makes a fresh, empty index for one subtest and arranges its
// cleanup. Ranking must use the Now clock of this package.
type Opener func(t *testing.T) music.SearchIndex

// Run is the conformance suite every music.SearchIndex passes.
func Run(t *testing.T, open Opener) {
	t.Run("Relevance", func(t *testing.T) { Relevance(t, open(t)) })
	t.Run("IndexDelete", func(t *testing.T) { testIndexDelete(t, open(t)) })
	t.Run("GroupsAndPaging", func(t *testing.T) { testGroupsAndPaging(t, open(t)) })
	t.Run("Codes", func(t *testing.T) { testCodes(t, open(t)) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, open(t)) })
	t.Run("Suggest", func(t *testing.T) { testSuggest(t, open(t)) })
	t.Run("DidYouMean", func(t *testing.T) { testDidYouMean(t, open(t)) })
	t.Run("FuzzyPass", func(t *testing.T) { testFuzzyPass(t, open(t)) })
	t.Run("NoQuerySyntax", func(t *testing.T) { testNoQuerySyntax(t, open(t)) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, open(t)) })
	t.Run("Reindex", func(t *testing.T) { testReindex(t, open(t)) })
	t.Run("Podcasts", func(t *testing.T) { testPodcasts(t, open(t)) })
}

// testPodcasts: shows and episodes are found like music, misspelt words
// included, by type and in suggest.
func testPodcasts(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	show := music.SearchDoc{Type: music.DocPodcast, ID: "show_1", Title: "Signal and Noise", Artists: []string{"The Signal Team"}}
	ep := music.SearchDoc{Type: music.DocEpisode, ID: "ep_1", Title: "Loudness explained", Album: "Signal and Noise",
		Artists: []string{"The Signal Team"}}
	other := music.SearchDoc{Type: music.DocEpisode, ID: "ep_2", Title: "Hello there", Album: "Signal and Noise",
		Artists: []string{"The Signal Team"}}
	if err := idx.Index(context.Background(), show, ep, other); err != nil {
		t.Fatal(err)
	}
	res := searchFor(t, idx, "q", "loudnes", "type", "podcast,episode")
	if res.Episodes == nil || len(res.Episodes.Items) == 0 || res.Episodes.Items[0].ID != "ep_1" {
		t.Fatalf("misspelt episode word: episodes %+v", res.Episodes)
	}
	if res.Tracks != nil {
		t.Fatalf("type=podcast,episode returned tracks")
	}
	res = searchFor(t, idx, "q", "signal noize", "type", "podcast")
	if res.Podcasts == nil || len(res.Podcasts.Items) != 1 || res.Podcasts.Items[0].ID != "show_1" {
		t.Fatalf("misspelt show title: podcasts %+v", res.Podcasts)
	}
	q, err := search.ParseSuggestParams(url.Values{"q": {"loud"}, "type": {"episode"}})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := idx.Suggest(context.Background(), q)
	if err != nil || len(hits) == 0 || hits[0].ID != "ep_1" {
		t.Fatalf("suggest loud (episodes): %v, %v", hits, err)
	}
}

func loaded(t *testing.T, idx music.SearchIndex) []music.SearchDoc {
	t.Helper()
	docs, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Index(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	return docs
}

func searchFor(t *testing.T, idx music.SearchIndex, params ...string) *music.SearchResults {
	t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	q, err := search.ParseParams(v)
	if err != nil {
		t.Fatalf("parse %v: %v", v, err)
	}
	res, err := idx.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %v: %v", v, err)
	}
	return res
}

func top(r *music.SearchResults) string {
	if r.Top == nil {
		return ""
	}
	return r.Top.Key()
}

func find(t *testing.T, docs []music.SearchDoc, typ music.DocType, title string) music.SearchDoc {
	t.Helper()
	for _, d := range docs {
		if d.Type == typ && d.Title == title {
			return d
		}
	}
	t.Fatalf("catalog has no %s %q", typ, title)
	return music.SearchDoc{}
}

func testIndexDelete(t *testing.T, idx music.SearchIndex) {
	ctx := context.Background()
	docs := loaded(t, idx)
	halo := find(t, docs, music.DocTrack, "Single Ladies (Put a Ring on It)")
	if got := top(searchFor(t, idx, "q", "single ladies")); got != halo.Key() {
		t.Fatalf("before delete: top %q, want %q", got, halo.Key())
	}
	if err := idx.Delete(ctx, halo.Type, halo.ID); err != nil {
		t.Fatal(err)
	}
	if got := top(searchFor(t, idx, "q", "single ladies")); got == halo.Key() {
		t.Fatalf("deleted %s still found", got)
	}
	if err := idx.Delete(ctx, music.DocTrack, "no-such-id"); err != nil {
		t.Fatalf("deleting a missing doc: %v", err)
	}
	if err := idx.Delete(ctx, "playlist", halo.ID); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("deleting with an unknown type: %v, want %s", err, music.EINVALID)
	}
	// Re-indexing replaces by key rather than adding a second copy.
	halo.Title = "Single Ladies (Remastered)"
	for range 2 {
		if err := idx.Index(ctx, halo); err != nil {
			t.Fatal(err)
		}
	}
	res := searchFor(t, idx, "q", "single ladies remastered", "type", "track")
	if res.Tracks == nil || res.Tracks.Total != 1 || res.Tracks.Items[0].Title != halo.Title {
		t.Fatalf("after re-index: %+v", res.Tracks)
	}
	bad := halo
	bad.Popularity = 101
	if err := idx.Index(ctx, bad); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("popularity 101: err %v, want EINVALID", err)
	}
}

func testGroupsAndPaging(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	res := searchFor(t, idx, "q", "queen")
	if res.Tracks == nil || res.Artists == nil || res.Albums == nil {
		t.Fatalf("want all three groups, got %+v", res)
	}
	only := searchFor(t, idx, "q", "queen", "type", "artist,album")
	if only.Tracks != nil || only.Artists == nil || only.Albums == nil {
		t.Fatalf("type=artist,album: got tracks=%v artists=%v albums=%v", only.Tracks != nil, only.Artists != nil, only.Albums != nil)
	}
	all := searchFor(t, idx, "q", "queen", "type", "track", "limit", "4")
	if all.Tracks.Total < 4 || len(all.Tracks.Items) != 4 {
		t.Fatalf("limit 4: total %d, %d items", all.Tracks.Total, len(all.Tracks.Items))
	}
	p1 := searchFor(t, idx, "q", "queen", "type", "track", "limit", "2")
	p2 := searchFor(t, idx, "q", "queen", "type", "track", "limit", "2", "offset", "2")
	var keys []string
	for _, h := range append(p1.Tracks.Items, p2.Tracks.Items...) {
		keys = append(keys, h.Key())
	}
	var want []string
	for _, h := range all.Tracks.Items {
		want = append(want, h.Key())
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("pages %v, want %v", keys, want)
	}
	far := searchFor(t, idx, "q", "queen", "type", "track", "offset", "1000")
	if len(far.Tracks.Items) != 0 || far.Tracks.Total == 0 {
		t.Fatalf("offset past the end: %+v", far.Tracks)
	}
	for _, g := range []*music.SearchGroup{res.Tracks, res.Artists, res.Albums} {
		for i := 1; i < len(g.Items); i++ {
			if g.Items[i].Score > g.Items[i-1].Score {
				t.Fatalf("group not sorted by score: %v", g.Items)
			}
		}
	}
}

func testCodes(t *testing.T, idx music.SearchIndex) {
	docs := loaded(t, idx)
	song := find(t, docs, music.DocTrack, "Bohemian Rhapsody")
	isrc := strings.ToLower(song.ISRC[:2] + "-" + song.ISRC[2:5] + "-" + song.ISRC[5:7] + "-" + song.ISRC[7:])
	res := searchFor(t, idx, "q", isrc)
	if !res.ExactCode || top(res) != song.Key() || res.Tracks.Total != 1 {
		t.Fatalf("ISRC %s: exact=%v top=%q tracks=%+v", isrc, res.ExactCode, top(res), res.Tracks)
	}
	album := find(t, docs, music.DocAlbum, "A Night at the Opera")
	res = searchFor(t, idx, "q", album.UPC, "type", "album")
	if !res.ExactCode || top(res) != album.Key() {
		t.Fatalf("UPC %s: exact=%v top=%q", album.UPC, res.ExactCode, top(res))
	}
	// An unknown code falls back to text search and finds nothing.
	res = searchFor(t, idx, "q", "ZZ-ZZZ-99-99999")
	if res.ExactCode || res.Top != nil {
		t.Fatalf("unknown ISRC: exact=%v top=%q", res.ExactCode, top(res))
	}
}

func testFilters(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	res := searchFor(t, idx, "q", "one", "genre", "METAL", "type", "track")
	if res.Tracks == nil || len(res.Tracks.Items) == 0 {
		t.Fatal("genre=metal: no tracks")
	}
	for _, h := range res.Tracks.Items {
		if h.Genre != "metal" {
			t.Fatalf("genre=metal returned %q (%s)", h.Title, h.Genre)
		}
	}
	if res := searchFor(t, idx, "q", "one", "genre", "polka"); res.Top != nil {
		t.Fatalf("genre=polka: got %q", top(res))
	}
	// Accents in the filter fold like the text: "r&b" vs "R&B".
	if res := searchFor(t, idx, "q", "halo", "genre", "R&B"); res.Top == nil || res.Top.Title != "Halo" {
		t.Fatalf("genre=R&B: top %q", top(res))
	}
}

func testSuggest(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	q, err := search.ParseSuggestParams(url.Values{"q": {"bohem"}, "limit": {"3"}})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := idx.Suggest(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || len(hits) > 3 || hits[0].Title != "Bohemian Rhapsody" {
		t.Fatalf("suggest bohem: %v", hits)
	}
	q, _ = search.ParseSuggestParams(url.Values{"q": {"imag"}, "type": {"artist"}})
	hits, err = idx.Suggest(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].Title != "Imagine Dragons" {
		t.Fatalf("suggest imag (artists): %v", hits)
	}
	for _, h := range hits {
		if h.Type != music.DocArtist {
			t.Fatalf("type=artist suggested a %s", h.Type)
		}
	}
}

func testDidYouMean(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	for q, want := range map[string]string{
		"bettles":          "beatles",
		"metalica":         "metallica",
		"bohemian rapsody": "bohemian rhapsody",
		"halo":             "",
		"beyonce":          "", // accent folding makes it a known word
	} {
		if got := searchFor(t, idx, "q", q).DidYouMean; got != want {
			t.Errorf("did you mean for %q: %q, want %q", q, got, want)
		}
	}
}

// testFuzzyPass: near words widen a result only when the exact words
// match fewer than search.ExactEnough documents (search.NeedsFuzzyPass).
// "light" is an indexed word, so "Lights" matches "light orla" only
// through the fuzzy clause.
func testFuzzyPass(t *testing.T, idx music.SearchIndex) {
	ctx := context.Background()
	var exact []music.SearchDoc
	for i := range search.ExactEnough {
		exact = append(exact, music.SearchDoc{Type: music.DocTrack, ID: fmt.Sprintf("t%d", i), Title: "Light", Artists: []string{"Orla"}})
	}
	near := music.SearchDoc{Type: music.DocTrack, ID: "near", Title: "Lights", Artists: []string{"Orla"}}
	if err := idx.Index(ctx, append(exact, near)...); err != nil {
		t.Fatal(err)
	}
	for _, enough := range []bool{true, false} {
		// Enough exact matches: those alone. One fewer: those and the near
		// word, the same total.
		if !enough {
			if err := idx.Delete(ctx, music.DocTrack, exact[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		g := searchFor(t, idx, "q", "light orla", "type", "track", "limit", "20").Group(music.DocTrack)
		found := slices.ContainsFunc(g.Items, func(h music.SearchHit) bool { return h.ID == near.ID })
		if found == enough || g.Total != uint64(len(exact)) {
			t.Errorf("enough exact matches %v: near word found %v, total %d, want total %d", enough, found, g.Total, len(exact))
		}
		q, err := search.ParseSuggestParams(url.Values{"q": {"light orla"}, "limit": {"20"}})
		if err != nil {
			t.Fatal(err)
		}
		hits, err := idx.Suggest(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if found := slices.ContainsFunc(hits, func(h music.SearchHit) bool { return h.ID == near.ID }); found == enough {
			t.Errorf("suggest with enough exact matches %v: near word found %v", enough, found)
		}
	}
}

func testNoQuerySyntax(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	for _, c := range []string{`"`, `*`, `:`, `~`, `^`, `(`, `)`, `+`, `-`, `!`, `\`, `/`, `[`, `{`, `&&`, `||`} {
		for _, q := range []string{"halo" + c, c + "halo", `"` + c + "halo" + c + `"`} {
			if res := searchFor(t, idx, "q", q); res.Top == nil || res.Top.Title != "Halo" {
				t.Errorf("q=%q: top %q, want Halo", q, top(res))
			}
		}
	}
	// Field, fuzzy and boost syntax stays text: "name:halo" needs a word
	// "name" and "halo~2" a word "2", which no document has.
	for _, q := range []string{"name:halo", "halo~2", "halo^10", "title:(halo)"} {
		if res := searchFor(t, idx, "q", q); res.Top != nil {
			t.Errorf(`q=%q was interpreted as query syntax: %q`, q, top(res))
		}
	}
	if _, err := search.ParseParams(url.Values{"q": {"*:*"}}); music.ErrorCode(err) != music.EINVALID {
		t.Errorf(`q="*:*": %v, want EINVALID`, err)
	}
}

func testBadInput(t *testing.T, idx music.SearchIndex) {
	loaded(t, idx)
	ctx := context.Background()
	for name, q := range map[string]music.SearchQuery{
		"limit 0":     {Text: "halo", Limit: 0},
		"limit 1e9":   {Text: "halo", Limit: 1_000_000_000},
		"offset -1":   {Text: "halo", Limit: 10, Offset: -1},
		"no words":    {Text: `"*:~^(`, Limit: 10},
		"10 kB query": {Text: strings.Repeat("a", 10_000), Limit: 10},
	} {
		if _, err := idx.Search(ctx, q); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("%s: search err %v, want EINVALID", name, err)
		}
		if _, err := idx.Suggest(ctx, q); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("%s: suggest err %v, want EINVALID", name, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := idx.Search(cancelled, music.SearchQuery{Text: "halo", Limit: 10}); err == nil {
		t.Error("search with a cancelled context succeeded")
	}
}

// testReindex rebuilds from a source that pauses half way, while searches
// run without pause and a live write and delete land during the build.
func testReindex(t *testing.T, idx music.SearchIndex) {
	ctx := context.Background()
	docs := loaded(t, idx)
	halfway, resume := make(chan struct{}), make(chan struct{})
	// A test that fails half way still lets the rebuild finish.
	release := sync.OnceFunc(func() { close(resume) })
	defer release()
	live := find(t, docs, music.DocTrack, "Creep")
	gone := find(t, docs, music.DocTrack, "Waterfalls")
	src := func(yield func(music.SearchDoc) error) error {
		for i, d := range docs {
			if i == len(docs)/2 {
				close(halfway)
				<-resume
			}
			if err := yield(d); err != nil {
				return err
			}
		}
		return yield(music.SearchDoc{Type: music.DocTrack, ID: "new-1", Title: "Brand New Song", Artists: []string{"Queen"}, Popularity: 10})
	}

	var searches, failures atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		q := music.SearchQuery{Text: "bohemian rhapsody", Limit: 5}
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := idx.Search(ctx, q)
			searches.Add(1)
			if err != nil || res.Top == nil || res.Top.Title != "Bohemian Rhapsody" {
				failures.Add(1)
			}
			time.Sleep(time.Millisecond)
		}
	}()

	type result struct {
		st  music.ReindexStats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := idx.Reindex(ctx, src)
		done <- result{st, err}
	}()
	testwait.Recv(t, halfway, time.Minute, "the rebuild reaching half way")
	updated := live
	updated.Title = "Creep (Live Rewrite)"
	if err := idx.Index(ctx, updated); err != nil {
		t.Fatal(err)
	}
	if err := idx.Delete(ctx, gone.Type, gone.ID); err != nil {
		t.Fatal(err)
	}
	release()
	r := testwait.Recv(t, done, 5*time.Minute, "the end of the rebuild")
	close(stop)
	testwait.Group(t, &wg, time.Minute, "the searches running beside the rebuild")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d searches during reindex failed", failures.Load(), searches.Load())
	}
	if r.st.Docs != len(docs)+1-2 || r.st.Skipped != 2 {
		t.Errorf("stats %+v, want %d docs and 2 skipped", r.st, len(docs)-1)
	}
	if got := top(searchFor(t, idx, "q", "brand new song")); got != "track:new-1" {
		t.Errorf("doc only in the new source: top %q", got)
	}
	if res := searchFor(t, idx, "q", "creep live rewrite", "type", "track"); res.Top == nil || res.Top.ID != live.ID {
		t.Errorf("live write during reindex lost: top %q", top(res))
	}
	if res := searchFor(t, idx, "q", "waterfalls"); res.Top != nil && res.Top.ID == gone.ID {
		t.Errorf("live delete during reindex undone")
	}
	// A failing source leaves the serving index untouched.
	boom := errors.New("catalog went away")
	if _, err := idx.Reindex(ctx, func(yield func(music.SearchDoc) error) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("failing source: err %v", err)
	}
	if got := top(searchFor(t, idx, "q", "brand new song")); got != "track:new-1" {
		t.Errorf("after a failed reindex: top %q", got)
	}
}
