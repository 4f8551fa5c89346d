package serving

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
)

func TestSearchAPI(t *testing.T) {
	idx, err := bleve.Open(t.TempDir(), bleve.Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	err = idx.Index(context.Background(),
		music.SearchDoc{Type: music.DocTrack, ID: "trk-1", Title: "Halo", Artists: []string{"Beyoncé"}, ISRC: "USSM10800001", Popularity: 80},
		music.SearchDoc{Type: music.DocArtist, ID: "art-1", Title: "Beyoncé", Popularity: 90},
	)
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	s.HandleSearch(idx)

	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	code, body := get("/api/v1/search?q=beyonce&type=track,artist")
	if code != 200 {
		t.Fatalf("search: %d %s", code, body)
	}
	var res music.SearchResults
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Artists == nil || len(res.Artists.Items) == 0 || res.Artists.Items[0].ID != "art-1" {
		t.Fatalf("accent-folded artist not found: %s", body)
	}
	if code, body := get("/api/v1/search/suggest?q=hal"); code != 200 || !strings.Contains(body, "trk-1") {
		t.Fatalf("suggest: %d %s", code, body)
	}
	bad := []string{
		"q=",
		"q=" + url.QueryEscape(strings.Repeat("a", 10<<10)),
		"q=halo&limit=-1",
		"q=halo&limit=1000000000",
		"q=%ff%fe",
	}
	for _, qs := range bad {
		code, body := get("/api/v1/search?" + qs)
		if code != 400 || !strings.Contains(body, `"code":"invalid"`) {
			t.Errorf("%.40s: %d %s", qs, code, body)
		}
	}
	// Query syntax is text, never an operator.
	if code, body := get("/api/v1/search?q=" + url.QueryEscape(`"*:~^(halo`)); code != 200 || !strings.Contains(body, "trk-1") {
		t.Errorf("syntax characters: %d %s", code, body)
	}
}
