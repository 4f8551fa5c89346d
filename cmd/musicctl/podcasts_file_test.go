package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// podcastsAPI stands in for a server's POST /api/v1/podcasts and keeps
// the feed_url of every registration it is asked for.
type podcastsAPI struct {
	*httptest.Server
	mu    sync.Mutex
	asked []string
}

func startPodcastsAPI(t *testing.T) *podcastsAPI {
	api := &podcastsAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			FeedURL string `json:"feed_url"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		api.mu.Lock()
		api.asked = append(api.asked, r.Method+" "+r.URL.Path+" "+body.FeedURL)
		api.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"show": map[string]string{"id": "show-1", "feed_url": body.FeedURL}, "created": true, "workflow_id": "wf-1"})
	}))
	t.Cleanup(api.Close)
	return api
}

func (a *podcastsAPI) requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.asked...)
}

func writeFeedFile(t *testing.T, channel string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "show.xml")
	feed := `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Show</title>` + channel + `</channel></rss>`
	if err := os.WriteFile(path, []byte(feed), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPodcastsAddFile registers a show from a copy of its feed: the API
// is asked for the feed's self link, and --json prints its answer.
func TestPodcastsAddFile(t *testing.T) {
	api := startPodcastsAPI(t)
	path := writeFeedFile(t, `<atom:link rel="self" href="https://feeds.example.org/show.xml"/>`)
	out, stderr, code := run(t, "podcasts", "add", path, "--server", api.URL, "--token", "tok", "--json")
	if code != 0 {
		t.Fatalf("podcasts add %s: exit %d: %s", path, code, stderr)
	}
	if got := api.requests(); len(got) != 1 || got[0] != "POST /api/v1/podcasts https://feeds.example.org/show.xml" {
		t.Fatalf("API asked %q; want one registration of the self link", got)
	}
	var added podcastAdded
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.Show.ID != "show-1" || added.Show.FeedURL != "https://feeds.example.org/show.xml" || !added.Created || added.WorkflowID != "wf-1" {
		t.Fatalf("--json printed %q (%v)", out, err)
	}
}

// TestPodcastsAddFileRefused checks that a bad feed file fails with its
// name and the reason, and that nothing reaches the API.
func TestPodcastsAddFileRefused(t *testing.T) {
	api := startPodcastsAPI(t)
	tests := []struct{ name, path, err string }{
		{"no self link", writeFeedFile(t, ``), `has no <atom:link rel="self"`},
		{"malformed", writeFeedFile(t, "\n<item>"), "malformed XML near line 2"},
		{"missing", filepath.Join(t.TempDir(), "nope.xml"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := run(t, "podcasts", "add", tt.path, "--server", api.URL, "--token", "tok")
			if code == 0 || !strings.Contains(stderr, tt.path+": ") || !strings.Contains(stderr, tt.err) {
				t.Fatalf("exit %d, stderr %q; want a failure naming %s and %q", code, stderr, tt.path, tt.err)
			}
		})
	}
	if got := api.requests(); len(got) != 0 {
		t.Fatalf("API asked %q; want nothing registered", got)
	}
}
