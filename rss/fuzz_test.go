package rss

import (
	"bytes"
	"os"
	"testing"

	music "github.com/openmusic/music"
)

// FuzzParse checks that no feed panics the parser, that every refusal is
// EINVALID, and that an accepted feed keeps its promises: a titled show,
// episodes with unique guids and an http(s) enclosure, and a self link
// that SelfURL either refuses as invalid or gives as an http(s) URL.
func FuzzParse(f *testing.F) {
	show, err := os.ReadFile("testdata/show.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(show)
	f.Add([]byte(`<rss version="2.0"><channel><title>T</title><item><title>e</title><enclosure url="http://h/a.mp3"/></item></channel></rss>`))
	f.Add([]byte(`<rss version="2.0"><channel><title>T</title><image><url>x</url></image></channel></rss>`))
	f.Add([]byte(selfFeed(`<atom:link rel="self" href="https://a.example/f"/>`, `<itunes:new-feed-url>feed.xml</itunes:new-feed-url>`)))
	f.Fuzz(func(t *testing.T, doc []byte) {
		feed, err := Parse(bytes.NewReader(doc))
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("refusal without the invalid code: %v", err)
			}
			return
		}
		if feed.Show.Title == "" {
			t.Fatal("accepted a show without a title")
		}
		seen := map[string]bool{}
		for _, ep := range feed.Episodes {
			if ep.GUID == "" || seen[ep.GUID] {
				t.Fatalf("episode guid %q empty or repeated", ep.GUID)
			}
			seen[ep.GUID] = true
			if absoluteHTTP(ep.Enclosure.URL) != nil {
				t.Fatalf("accepted enclosure %q", ep.Enclosure.URL)
			}
		}
		self, err := feed.SelfURL()
		if err != nil && music.ErrorCode(err) != music.EINVALID {
			t.Fatalf("self link refused without the invalid code: %v", err)
		}
		if err == nil && (absoluteHTTP(self) != nil || self != feed.Self.URL) {
			t.Fatalf("accepted self link %q of %+v", self, feed.Self)
		}
	})
}
