package rss

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestFeedURLForURL(t *testing.T) {
	for _, u := range []string{"https://feeds.example.org/show.xml", "http://127.0.0.1:8080/feed.xml", "HTTPS://feeds.example.org/x"} {
		if got, err := FeedURLFor(u); err != nil || got != u {
			t.Errorf("FeedURLFor(%q) = %q, %v; want it unchanged", u, got, err)
		}
	}
}

func TestFeedURLForFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "show.xml")
	writeFile(t, path, selfFeed(`<atom:link rel="self" href="https://feeds.example.org/show.xml"/>`))
	got, err := FeedURLFor(path)
	if err != nil || got != "https://feeds.example.org/show.xml" {
		t.Fatalf("FeedURLFor(%s) = %q, %v", path, got, err)
	}
}

func TestFeedURLForRefusesFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, feed, code, err string
	}{
		{"no self link", selfFeed(), music.EINVALID, `: the channel has no <atom:link rel="self"`},
		{"relative self link", selfFeed(`<atom:link rel="self" href="show.xml"/>`), music.EINVALID, `: line 3: <atom:link> "show.xml" is not an absolute http`},
		{"malformed", selfFeed(`<atom:link rel="self" href="https://a.example/f">`, `<item>`), music.EINVALID, ": malformed XML near line 5"},
		{"DTD", "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaa\">]>\n" + selfFeed(), music.EINVALID, ": line 2: DOCTYPE, DTD and ENTITY declarations are not allowed"},
		{"not rss", `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>`, music.EINVALID, ": root element <feed> is not <rss>"},
		{"locked", selfFeed(`<atom:link rel="self" href="https://a.example/f"/>`, `<podcast:locked xmlns:podcast="https://podcastindex.org/namespace/1.0">yes</podcast:locked>`), music.EFORBIDDEN, ": the feed is locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".xml")
			writeFile(t, path, tt.feed)
			checkRefused(t, path, tt.code, path+tt.err)
		})
	}
	t.Run("no such file", func(t *testing.T) {
		path := filepath.Join(dir, "missing.xml")
		checkRefused(t, path, music.ENOTFOUND, path+": no such file (a feed URL starts with http:// or https://)")
	})
	t.Run("a directory", func(t *testing.T) {
		checkRefused(t, dir, music.EINVALID, dir+": read feed:")
	})
}

func checkRefused(t *testing.T, path, code, msg string) {
	t.Helper()
	got, err := FeedURLFor(path)
	if err == nil || music.ErrorCode(err) != code || !strings.HasPrefix(err.Error(), msg) {
		t.Fatalf("FeedURLFor(%s) = %q, %v (code %s); want code %s and an error starting %q", path, got, err, music.ErrorCode(err), code, msg)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
