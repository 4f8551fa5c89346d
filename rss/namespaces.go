package rss

import (
	"encoding/xml"
	"strings"
)

// Namespaces a podcast feed uses. Apple's URI appears in the wild in more
// than one case; Podcasting 2.0 was first published under a GitHub URI.
const (
	nsITunes           = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsPodcast          = "https://podcastindex.org/namespace/1.0"
	nsPodcastGitHubURI = "https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
	// nsAtom is lower-cased, as space compares it: feeds borrow Atom's
	// <atom:link rel="self"> to say where they are served from.
	nsAtom = "http://www.w3.org/2005/atom"
)

// space is the namespace family of an element: "" for RSS itself,
// "itunes", "podcast", "atom", or "other".
func space(n xml.Name) string {
	switch strings.ToLower(n.Space) {
	case "":
		return ""
	case nsITunes:
		return "itunes"
	case nsPodcast, nsPodcastGitHubURI:
		return "podcast"
	case nsAtom:
		return "atom"
	}
	return "other"
}

// key names an element as "family:local" ("title", "itunes:title").
func key(n xml.Name) string {
	if s := space(n); s != "" {
		return s + ":" + n.Local
	}
	return n.Local
}

// attr returns the attribute named local with no namespace.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}
