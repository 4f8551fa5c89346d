package search

import (
	"slices"

	music "github.com/openmusic/music"
)

// validType reports whether t is one of music.DocTypes.
func validType(t music.DocType) bool { return slices.Contains(music.DocTypes, t) }

// WantsType reports whether q asked for results of kind t.
func WantsType(q music.SearchQuery, t music.DocType) bool {
	if len(q.Types) == 0 {
		return true
	}
	for _, x := range q.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Matched is the number of matches over all of r's groups.
func Matched(r *music.SearchResults) uint64 {
	var n uint64
	for _, t := range music.DocTypes {
		if g := r.Group(t); g != nil {
			n += g.Total
		}
	}
	return n
}

// setGroup stores g as r's group for kind t (music.SearchResults.Group
// reads it back).
func setGroup(r *music.SearchResults, t music.DocType, g *music.SearchGroup) {
	switch t {
	case music.DocTrack:
		r.Tracks = g
	case music.DocArtist:
		r.Artists = g
	case music.DocAlbum:
		r.Albums = g
	case music.DocPodcast:
		r.Podcasts = g
	case music.DocEpisode:
		r.Episodes = g
	}
}
