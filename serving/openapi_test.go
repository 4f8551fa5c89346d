package serving

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
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
	e.s.HandleReviews(e.st, e.st, e.st, e.st, nil)
	e.s.HandleRecommendations(Recommendations{Catalog: e.st, Licences: e.st, Users: e.st, Cache: e.st, Popular: e.st, Live: &reco.Live{}})
	svc := connect.New(connect.NewMemory(), nil)
	e.s.HandleConnect(e.st, svc)
	e.s.HandlePlayer(e.st, svc)
	e.s.HandleSocial(e.social())
	e.s.HandleSavedPlaylists(e.st, e.st, e.st)
	e.s.HandleAuth(e.st, e.st, AuthOptions{})
	e.s.HandleOffline(Offline{Users: e.st, Store: e.st, Catalog: e.st, Playlists: e.st})
	e.s.HandlePodcasts(Podcasts{Users: e.st, Store: e.st, Listening: e.st, Plays: e.st, Poller: &recordingPoller{}})

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

// openAPIFile is the document as a file: the input of the OpenAPI lint
// and of the generated client in serving/apiclient.
const openAPIFile = "apiclient/openapi.json"

// TestOpenAPIFileIsCurrent keeps openAPIFile equal to the served
// document; -update rewrites it (`make openapi` does that and more).
func TestOpenAPIFileIsCurrent(t *testing.T) {
	want, err := openAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(openAPIFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("serving/%s differs from the document openapi.go builds; run `make openapi`", openAPIFile)
	}
}

func TestOperationIDs(t *testing.T) {
	for _, tc := range []struct{ method, path, want string }{
		{"get", "/api/v1/tracks/{id}", "getTracksById"},
		{"post", "/api/v1/playlists/{id}/tracks/move", "postPlaylistsByIdTracksMove"},
		{"put", "/api/v1/playlists/{id}/collaborators/{user_id}", "putPlaylistsByIdCollaboratorsByUserId"},
		{"get", "/audio/{track_id}/{file}", "getAudioByTrackIdByFile"},
		{"get", "/api/v1/openapi.json", "getOpenapiJson"},
	} {
		if got := operationID(tc.method, tc.path); got != tc.want {
			t.Errorf("operationID(%s, %s) = %s, want %s", tc.method, tc.path, got, tc.want)
		}
	}
	seen := map[string]string{}
	for _, op := range apiOperations {
		id := operationID(op.method, op.path)
		if prev, dup := seen[id]; dup {
			t.Errorf("%s %s and %s share the operationId %s", op.method, op.path, prev, id)
		}
		seen[id] = op.method + " " + op.path
	}
}
