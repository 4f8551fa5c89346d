package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/openmusic/music/encode"
	"github.com/openmusic/music/internal/feedserver"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/workflows"
)

// TestPodcastsThroughUp runs the podcast path on the real binary: a local
// host serves a feed of real speech (espeak-ng, lame); a label registers
// the show with `musicctl podcasts add`; the PodcastFeed workflow on
// `musicctl up` fetches, normalises and encodes every episode; a listener
// sees them newest first with their measured duration and loudness,
// streams a byte range, finds one by a misspelt word and keeps a resume
// point. A refresh of the unchanged feed is a 304; a new item and a moved
// enclosure are the only audio fetched afterwards. Ops then take the show
// down with `podcasts remove` and bring it back with `podcasts restore`.
func TestPodcastsThroughUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up and the PodcastFeed workflow")
	}
	work := t.TempDir()
	day := time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	one := feedserver.Item{GUID: "ep1", Title: "Hello and welcome", Published: day,
		Audio: feedserver.Speech(t, work, "one", "Hello and welcome to the first episode of our show about sound.")}
	two := feedserver.Item{GUID: "ep2", Title: "Loudness explained", Published: day.AddDate(0, 0, 7),
		Audio: feedserver.Speech(t, work, "two", "Today we explain loudness, and why speech is normalised to minus sixteen.")}
	host := feedserver.Start(t, "Signal and Noise", two, one)

	data := filepath.Join(work, "data")
	up := startUp(t, "--data-dir", data, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "",
		"--podcast-allow-private")
	base := "http://" + up.ready["http"]
	label, stderr, code := run(t, "users", "add", "pod-label", "--role", "label", "--data-dir", data)
	if code != 0 {
		t.Fatalf("users add: exit %d: %s", code, stderr)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(label))
	alice := addUser(t, data, "pod-alice")

	out, stderr, code := run(t, "podcasts", "add", host.FeedURL(), "--server", base, "--json")
	if code != 0 {
		t.Fatalf("podcasts add: exit %d: %s %s", code, out, stderr)
	}
	var added podcastAdded
	if err := json.Unmarshal([]byte(out), &added); err != nil || !added.Created {
		t.Fatalf("podcasts add printed %q: %v", out, err)
	}
	show := added.Show.ID

	// A copy of the feed in a file names the same show by its self link.
	copyPath := filepath.Join(work, "copy.xml")
	if err := os.WriteFile(copyPath, []byte(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Signal and Noise</title>
<atom:link rel="self" href="`+host.FeedURL()+`"/></channel></rss>`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = run(t, "podcasts", "add", copyPath, "--server", base, "--json")
	var again podcastAdded
	if code != 0 || json.Unmarshal([]byte(out), &again) != nil || again.Created || again.Show.ID != show {
		t.Fatalf("podcasts add %s: exit %d, printed %q %s; want show %s, already registered", copyPath, code, out, stderr, show)
	}
	eps := waitEpisodes(t, base, show, alice, 2)
	if eps[0].Title != two.Title || eps[1].Title != one.Title {
		t.Fatalf("episodes %q, %q; want newest first", eps[0].Title, eps[1].Title)
	}
	for i, it := range []feedserver.Item{two, one} {
		want := wavSeconds(t, strings.TrimSuffix(it.Audio, ".mp3")+".wav")
		got := float64(eps[i].DurationMS) / 1000
		// MP3 adds the encoder's delay and padding: up to about 0.1 s.
		t.Logf("%s %q: %.3f s (source %.3f s), %.2f LUFS", it.GUID, eps[i].Title, got, want, eps[i].LoudnessLUFS)
		if got < want-0.05 || got > want+0.15 || eps[i].LoudnessLUFS < -17.5 || eps[i].LoudnessLUFS > -15.5 {
			t.Errorf("%s: %.2f s at %.2f LUFS; want %.2f s near -16 LUFS", it.GUID, got, eps[i].LoudnessLUFS, want)
		}
	}

	// A byte range of the 96 kbps stream.
	resp := rangeGet(t, base+eps[0].StreamURLs["96"], "bytes=0-99")
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") == "" || resp.ContentLength != 100 {
		t.Fatalf("range request: %d %q %d bytes", resp.StatusCode, resp.Header.Get("Content-Range"), resp.ContentLength)
	}

	t.Logf("range: %d, Content-Range %s", resp.StatusCode, resp.Header.Get("Content-Range"))
	// Search with a misspelt title word.
	var found struct {
		Episodes struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		} `json:"episodes"`
	}
	// Indexing follows publication in the same workflow run: wait for it.
	waitFor(t, "the episode in search", func() bool {
		getJSON(t, base+"/api/v1/search?type=episode&q=loudnes", alice, &found)
		return len(found.Episodes.Items) > 0
	})
	if found.Episodes.Items[0].ID != eps[0].ID {
		t.Fatalf("search loudnes: %+v, want %s first", found, eps[0].ID)
	}

	// A resume point round-trips.
	put(t, base+"/api/v1/me/episodes/"+eps[0].ID+"/position", alice, `{"position_ms":1500}`, http.StatusNoContent)
	var ep serving.EpisodeJSON
	getJSON(t, base+"/api/v1/episodes/"+eps[0].ID, alice, &ep)
	if ep.ResumePositionMS == nil || *ep.ResumePositionMS != 1500 {
		t.Fatalf("resume point %v, want 1500", ep.ResumePositionMS)
	}

	// Unchanged: the refresh is one conditional GET answered 304.
	host.Requests()
	refresh(t, base, show)
	var reqs []feedserver.Request
	waitFor(t, "the unchanged poll", func() bool { reqs = append(reqs, host.Requests()...); return len(reqs) > 0 })
	time.Sleep(time.Second) // anything else the run would fetch
	reqs = append(reqs, host.Requests()...)
	if len(reqs) != 1 || reqs[0].Path != "/feed.xml" || reqs[0].Status != http.StatusNotModified || reqs[0].IfNoneMatch == "" {
		t.Fatalf("unchanged feed: requests %+v, want one conditional GET answered 304", reqs)
	}

	// A new item and a moved enclosure: only they are fetched.
	oldOne := urlPath(eps[1].StreamURLs["96"])
	three := feedserver.Item{GUID: "ep3", Title: "Third time", Published: day.AddDate(0, 0, 14),
		Audio: feedserver.Speech(t, work, "three", "The third episode is short.")}
	moved := one
	moved.Path, moved.Audio = "/audio/ep1-v2.mp3", feedserver.Speech(t, work, "one-v2", "Hello again, this is the first episode, recorded once more.")
	host.SetItems(three, two, moved)
	refresh(t, base, show)
	eps = waitEpisodes(t, base, show, alice, 3)
	waitFor(t, "ep1's new audio", func() bool {
		var e serving.EpisodeJSON
		getJSON(t, base+"/api/v1/episodes/"+eps[2].ID, alice, &e)
		return urlPath(e.StreamURLs["96"]) != oldOne
	})
	t.Logf("unchanged poll: %+v", reqs)
	fetched := map[string]int{}
	conditional := false
	for _, r := range host.Requests() {
		fetched[r.Path]++
		conditional = conditional || r.Path == "/feed.xml" && r.IfNoneMatch != "" && r.Status == http.StatusOK
	}
	t.Logf("after the change: %v, conditional GET %v", fetched, conditional)
	if !conditional || fetched["/audio/ep3.mp3"] != 1 || fetched["/audio/ep1-v2.mp3"] != 1 || fetched["/audio/ep2.mp3"] != 0 || fetched["/audio/ep1.mp3"] != 0 {
		t.Fatalf("after the change: fetched %v (conditional GET %v); want the feed by a conditional GET, then ep3 and ep1-v2 once each", fetched, conditional)
	}
	takeDown(t, up, data, base, show, alice)
}

// takeDown: ops take the show down with `musicctl podcasts remove`; its
// Temporal schedule is paused and a listener gets 404 for the show.
// `musicctl podcasts restore` brings both back.
func takeDown(t *testing.T, up *proc, data, base, show, listener string) {
	t.Helper()
	ops, stderr, code := run(t, "users", "add", "pod-ops", "--role", "ops", "--data-dir", data)
	if code != 0 {
		t.Fatalf("users add ops: exit %d: %s", code, stderr)
	}
	t.Setenv("MUSIC_TOKEN", strings.TrimSpace(ops))
	if out, stderr, code := run(t, "podcasts", "remove", show, "--server", base); code != 0 || !strings.Contains(out, "taken down") {
		t.Fatalf("podcasts remove: exit %d: %s %s", code, out, stderr)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/podcasts/"+show, nil)
	req.Header.Set("Authorization", "Bearer "+listener)
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET the show taken down: %d, want 404", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tc, err := client.DialContext(ctx, client.Options{HostPort: up.ready["temporal"]})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	desc, err := tc.ScheduleClient().GetHandle(ctx, workflows.PodcastFeedID(show)).Describe(ctx)
	if err != nil || !desc.Schedule.State.Paused {
		t.Fatalf("the show's schedule after the takedown: %+v, %v; want paused", desc, err)
	}

	// `podcasts restore` brings it back: served and polled again.
	out, stderr, code := run(t, "podcasts", "restore", show, "--server", base, "--json")
	var restored struct {
		ShowID string `json:"show_id"`
		Status string `json:"status"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &restored) != nil || restored.ShowID != show || restored.Status != "restored" {
		t.Fatalf("podcasts restore --json: exit %d: %s %s", code, out, stderr)
	}
	var sh serving.ShowJSON
	getJSON(t, base+"/api/v1/podcasts/"+show, listener, &sh)
	if sh.ID != show {
		t.Fatalf("GET the restored show: %+v", sh)
	}
	if desc, err = tc.ScheduleClient().GetHandle(ctx, workflows.PodcastFeedID(show)).Describe(ctx); err != nil || desc.Schedule.State.Paused {
		t.Fatalf("the show's schedule after the restore: %+v, %v; want running", desc, err)
	}
}

func urlPath(u string) string { return strings.Split(u, "?")[0] }

// waitEpisodes polls a show's published episodes until there are n.
func waitEpisodes(t *testing.T, base, show, token string, n int) []serving.EpisodeJSON {
	t.Helper()
	var page struct {
		Items []serving.EpisodeJSON `json:"items"`
		Total int                   `json:"total"`
	}
	waitFor(t, fmt.Sprintf("%d published episodes", n), func() bool {
		getJSON(t, base+"/api/v1/podcasts/"+show+"/episodes", token, &page)
		return page.Total >= n
	})
	return page.Items
}

// waitFor polls ok for up to 2 minutes.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func refresh(t *testing.T, base, show string) {
	t.Helper()
	if out, stderr, code := run(t, "podcasts", "refresh", show, "--server", base); code != 0 {
		t.Fatalf("podcasts refresh: exit %d: %s %s", code, out, stderr)
	}
}

func rangeGet(t *testing.T, url, rng string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Range", rng)
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func put(t *testing.T, url, token, body string, want int) {
	t.Helper()
	req, _ := http.NewRequest("PUT", url, bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("PUT %s: %d %s, want %d", url, resp.StatusCode, b, want)
	}
}

// wavSeconds is the length of espeak-ng's 16-bit mono WAV.
func wavSeconds(t *testing.T, path string) float64 {
	t.Helper()
	d, _, err := encode.ProbeSeconds(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
