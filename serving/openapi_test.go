package serving

import (
	"encoding/json"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/reco"
)

// TestOpenAPIMatchesRoutes checks the served document against the routes
// a fully wired server really has, both ways.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newAPIEnv(t)
	e.s.HandleSearch(nil) // routes only; never called here
	e.s.HandleAudio(openFileStore(t), AudioOptions{})
	e.s.HandleIdentify(nil, e.st, e.st)
	e.s.HandlePlayback(e.st, e.st, nil)
	e.s.HandleRankings(e.st)
	e.s.HandleReindex(e.st, &Reindexer{})
	e.s.HandleRecommendations(Recommendations{Catalog: e.st, Users: e.st, Cache: e.st, Popular: e.st, Live: &reco.Live{}})
	svc := connect.New(connect.NewMemory(), nil)
	e.s.HandleConnect(e.st, svc)
	e.s.HandlePlayer(e.st, svc)

	rec := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != 200 || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("document: %d %v", rec.Code, err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range e.s.Routes() {
		routed[r] = true
		if !documented[r] {
			t.Errorf("route %s is not in the OpenAPI document", r)
		}
	}
	var extra []string
	for d := range documented {
		if !routed[d] {
			extra = append(extra, d)
		}
	}
	sort.Strings(extra)
	for _, d := range extra {
		t.Errorf("documented %s is not routed", d)
	}
}
