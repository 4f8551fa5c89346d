package elastic

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/searchtest"
	"github.com/openmusic/music/search"
)

var update = flag.Bool("update", false, "rewrite the golden query bodies in testdata/")

// TestConformance runs the shared suite on a real cluster. None can be
// installed on the development machines, so it needs MUSIC_ES_URL.
func TestConformance(t *testing.T) {
	url := os.Getenv("MUSIC_ES_URL")
	if url == "" {
		t.Skip("SKIPPED: MUSIC_ES_URL is not set, so the Elasticsearch conformance suite did not run (no ES server on this machine)")
	}
	n := 0
	searchtest.Run(t, func(t *testing.T) music.SearchIndex {
		n++
		ctx := context.Background()
		idx, err := Open(ctx, Options{URL: url, Alias: fmt.Sprintf("music-test-%d-%d", time.Now().UnixNano(), n), Now: searchtest.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Drop(context.Background()) })
		return idx
	})
}

// TestIndexJSON checks that the mapping parses and declares every field
// the query builder uses.
func TestIndexJSON(t *testing.T) {
	var m struct {
		Settings struct {
			Analysis struct {
				Analyzer map[string]any `json:"analyzer"`
			} `json:"analysis"`
		} `json:"settings"`
		Mappings struct {
			Properties map[string]struct {
				Fields map[string]any `json:"fields"`
			} `json:"properties"`
		} `json:"mappings"`
	}
	if err := json.Unmarshal([]byte(indexJSON), &m); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	for _, a := range []string{"music_text", "music_prefix"} {
		if m.Settings.Analysis.Analyzer[a] == nil {
			t.Errorf("index.json lacks analyzer %s", a)
		}
	}
	for _, f := range append(search.Fields, search.Field{Name: "all"}, search.Field{Name: "type"},
		search.Field{Name: "genre"}, search.Field{Name: "code"}, search.Field{Name: "popularity"},
		search.Field{Name: "release_date"}, search.Field{Name: "doc"}) {
		p, ok := m.Mappings.Properties[f.Name]
		if !ok {
			t.Errorf("index.json lacks field %s", f.Name)
		}
		if f.Prefix && p.Fields["prefix"] == nil {
			t.Errorf("index.json lacks %s.prefix", f.Name)
		}
	}
}

// TestQueryBodies pins the request bodies sent to Elasticsearch, so a
// reviewer sees the exact DSL and a change to it shows in the diff.
func TestQueryBodies(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for name, body := range map[string]obj{
		"search_bohem":       searchBody(filtered(textQuery("Bohemian rhap", true, true), music.DocTrack, "Rock"), 0, 10, now),
		"search_bohem_exact": searchBody(filtered(textQuery("Bohemian rhap", true, false), music.DocTrack, "Rock"), 0, 10, now),
		"search_syntax":      searchBody(filtered(textQuery(`halo"*:~^(`, true, true), music.DocArtist, ""), 10, 5, now),
		"search_cjk":         searchBody(filtered(textQuery("冬の夜", true, true), music.DocTrack, ""), 0, 10, now),
		"suggest_exact":      suggestBody(music.SearchQuery{Text: "bohem", Limit: 8}, false, now),
		"search_isrc":        searchBody(filtered(codeQuery("GBUM71029604"), music.DocTrack, ""), 0, 10, now),
		"did_you_mean":       didYouMeanBody("bettles yesterday"),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(body, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".json")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if strings.TrimSpace(string(want)) != string(got) {
				t.Errorf("%s differs from golden file:\n%s", path, got)
			}
			if strings.Contains(string(got), "query_string") {
				t.Error("user text must never reach a query_string query")
			}
		})
	}
}

// TestOpenBadURL fails cleanly when no cluster answers.
func TestOpenBadURL(t *testing.T) {
	if _, err := Open(context.Background(), Options{}); music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("no URL: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := Open(ctx, Options{URL: "http://127.0.0.1:1"}); err == nil {
		t.Fatal("open of a closed port succeeded")
	}
}
