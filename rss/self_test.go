package rss

import (
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// selfFeed is a feed whose channel holds extra, one element a line from
// line 3 on.
func selfFeed(extra ...string) string {
	return `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>T</title>
` + strings.Join(extra, "\n") + `
</channel></rss>`
}

func TestParseSelfLink(t *testing.T) {
	const (
		atom    = `<atom:link href="https://a.example/feed" rel="self" type="application/rss+xml"/>`
		moved   = `<itunes:new-feed-url>https://b.example/feed</itunes:new-feed-url>`
		hub     = `<atom:link href="https://hub.example/" rel="hub"/>`
		inItem  = `<item><title>e</title><enclosure url="https://c.example/e.mp3"/><atom:link rel="self" href="https://item.example/"/></item>`
		noAtomN = `<link rel="self" href="https://rss-link.example/"/>`
	)
	tests := []struct {
		name  string
		extra []string
		want  SelfLink
	}{
		{"atom self", []string{atom}, SelfLink{"https://a.example/feed", elAtomSelf, 3}},
		{"rel in capitals", []string{`<atom:link rel="SELF" href="https://a.example/feed"/>`}, SelfLink{"https://a.example/feed", elAtomSelf, 3}},
		{"new-feed-url", []string{moved}, SelfLink{"https://b.example/feed", elNewFeedURL, 3}},
		{"new-feed-url wins after atom", []string{atom, moved}, SelfLink{"https://b.example/feed", elNewFeedURL, 4}},
		{"new-feed-url wins before atom", []string{moved, atom}, SelfLink{"https://b.example/feed", elNewFeedURL, 3}},
		{"first atom self counts", []string{hub, atom, `<atom:link rel="self" href="https://later.example/"/>`}, SelfLink{"https://a.example/feed", elAtomSelf, 4}},
		{"hub only", []string{hub}, SelfLink{}},
		{"an item's link is not the feed's", []string{inItem}, SelfLink{}},
		{"rss link without the atom namespace", []string{noAtomN}, SelfLink{}},
		{"empty href", []string{`<atom:link rel="self" href=""/>`, moved}, SelfLink{"https://b.example/feed", elNewFeedURL, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Parse(strings.NewReader(selfFeed(tt.extra...)))
			if err != nil {
				t.Fatal(err)
			}
			if feed.Self != tt.want {
				t.Errorf("Self = %+v, want %+v", feed.Self, tt.want)
			}
		})
	}
}

func TestSelfURL(t *testing.T) {
	good := Feed{Self: SelfLink{"https://a.example/feed.xml", elAtomSelf, 3}}
	if u, err := good.SelfURL(); err != nil || u != "https://a.example/feed.xml" {
		t.Errorf("SelfURL = %q, %v", u, err)
	}
	bad := []struct {
		self SelfLink
		err  string
	}{
		{SelfLink{}, `no <atom:link rel="self" href="…"> or <itunes:new-feed-url>`},
		{SelfLink{"feed.xml", elAtomSelf, 7}, `line 7: <atom:link> "feed.xml" is not an absolute http`},
		{SelfLink{"ftp://a.example/feed", elNewFeedURL, 9}, `line 9: <itunes:new-feed-url> "ftp://a.example/feed"`},
		{SelfLink{"https://user:pw@a.example/feed", elAtomSelf, 4}, `line 4: <atom:link> "https://user:pw@a.example/feed"`},
		{SelfLink{"https://a.example/my feed", elAtomSelf, 5}, `line 5: <atom:link>`},
	}
	for _, b := range bad {
		f := Feed{Self: b.self}
		u, err := f.SelfURL()
		if err == nil || !strings.Contains(err.Error(), b.err) || music.ErrorCode(err) != music.EINVALID {
			t.Errorf("SelfURL of %+v = %q, %v; want an invalid error containing %q", b.self, u, err, b.err)
		}
	}
}
