package rss

import (
	"encoding/xml"
	"net/url"
	"strings"

	music "github.com/openmusic/music"
)

// The channel elements that say where a feed is served from.
const (
	elAtomSelf   = "atom:link"
	elNewFeedURL = "itunes:new-feed-url"
)

// SelfLink is where a feed says it is served from, as written, and the
// line that says it. The zero SelfLink means the feed does not say.
type SelfLink struct {
	URL     string
	Element string // elAtomSelf or elNewFeedURL
	Line    int
}

// noteSelf keeps the channel's self link. <itunes:new-feed-url> wins over
// <atom:link rel="self">: it is how an owner says the show has moved, and
// the old address may still serve a copy. The first of each kind counts.
func (f *Feed) noteSelf(l SelfLink) {
	if l.URL == "" {
		return
	}
	if f.Self.URL == "" || (l.Element == elNewFeedURL && f.Self.Element != elNewFeedURL) {
		f.Self = l
	}
}

// atomSelf reads <atom:link rel="self" href="…"/>; other relations (hub,
// next, alternate) say nothing about where this feed lives.
func atomSelf(start xml.StartElement, line int) SelfLink {
	if !strings.EqualFold(attr(start, "rel"), "self") {
		return SelfLink{}
	}
	return SelfLink{URL: attr(start, "href"), Element: elAtomSelf, Line: line}
}

// SelfURL is the feed's self link, checked as POST /api/v1/podcasts checks
// a feed_url: absolute http or https, no credentials, no white space. A
// feed without one, or with an unusable one, is EINVALID.
func (f *Feed) SelfURL() (string, error) {
	s := f.Self
	if s.URL == "" {
		return "", music.Errorf(music.EINVALID,
			`the channel has no <atom:link rel="self" href="…"> or <itunes:new-feed-url>: nothing says which URL serves the feed`)
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || strings.ContainsAny(s.URL, " \t\r\n") {
		return "", music.Errorf(music.EINVALID, "line %d: <%s> %q is not an absolute http or https URL without credentials or white space",
			s.Line, s.Element, s.URL)
	}
	return s.URL, nil
}
