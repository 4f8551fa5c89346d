package workflows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/feedserver"
)

// TestPodcastFeedKeepsChaptersAndTranscripts: an episode's chapters and
// transcript are fetched with its audio and stored with their SHA-256
// beside the original; a transcript that is not what its type says is
// recorded with its reason, and the episode is published all the same.
func TestPodcastFeedKeepsChaptersAndTranscripts(t *testing.T) {
	ctx := context.Background()
	rig := newPodcastRig(t, true)
	dir := t.TempDir()
	day := time.Date(2026, 11, 2, 6, 0, 0, 0, time.UTC)
	chapters := []byte(`{"version":"1.2.0","chapters":[{"startTime":0,"title":"Hello"},{"startTime":1.5,"title":"Welcome"}]}`)
	vtt := []byte("WEBVTT\n\n00:00.000 --> 00:01.500\nHello and welcome.\n")
	good := feedserver.Item{GUID: "good", Title: "With files", Published: day.AddDate(0, 0, 1),
		Audio:      feedserver.Speech(t, dir, "good", "Hello and welcome."),
		Chapters:   feedserver.SideFile{Type: "application/json+chapters", Body: chapters},
		Transcript: feedserver.SideFile{Type: "text/vtt", Body: vtt}}
	bad := feedserver.Item{GUID: "bad", Title: "Bad transcript", Published: day,
		Audio:      feedserver.Speech(t, dir, "bad", "A short one."),
		Transcript: feedserver.SideFile{Type: "text/vtt", Body: []byte("1\n00:00:00,000 --> 00:00:01,000\nnot vtt\n")}}
	srv := feedserver.Start(t, "Files Show", good, bad)
	show, _, err := rig.cat.AddShow(ctx, srv.FeedURL())
	if err != nil {
		t.Fatal(err)
	}
	if res := rig.run(show.ID); len(res.Fetched) != 2 || len(res.Failed) != 0 {
		t.Fatalf("run %+v, want both episodes published", res)
	}
	eps, _, err := rig.cat.Episodes(ctx, show.ID, 0, 10)
	if err != nil || len(eps) != 2 {
		t.Fatalf("episodes %d, %v", len(eps), err)
	}
	g, b := eps[0].Audio, eps[1].Audio
	for kind, want := range map[string][]byte{music.EpisodeChapters: chapters, music.EpisodeTranscript: vtt} {
		f := g.File(kind)
		sum := sha256.Sum256(want)
		if f == nil || f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != int64(len(want)) ||
			!strings.HasPrefix(f.Key, strings.TrimSuffix(g.OriginalKey, "original")) {
			t.Fatalf("good %s = %+v (original %s)", kind, f, g.OriginalKey)
		}
		rc, _, err := rig.acts.Blobs.Get(ctx, f.Key)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != string(want) {
			t.Fatalf("stored %s = %q, %v", kind, got, err)
		}
	}
	if len(b.Files) != 1 || b.File(music.EpisodeTranscript) != nil || !strings.Contains(b.Files[0].Error, "must start with WEBVTT") ||
		!strings.Contains(b.Files[0].Error, "/side/bad/transcript") {
		t.Fatalf("bad episode files %+v, want the transcript's error naming its URL", b.Files)
	}
}
