package search

import (
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// RoleFeatured is the DDEX display artist role of a guest ("feat."). Every
// other role counts as a main artist for search.
const RoleFeatured = "FeaturedArtist"

// ReleaseDocs returns the search documents of one release: the
// album, one document per track and one per credited artist (on the
// release or on any track), in that order. It reads only r, so an artist's
// popularity is the highest popularity of the tracks crediting them here;
// IndexRelease and CatalogDocs combine it over the artist's releases with
// MergeArtistDoc. Credits without a name are skipped.
func ReleaseDocs(r *music.Release) []music.SearchDoc {
	released := ParseReleaseDate(r.ReleaseDate)
	relMain, relFeat := splitCredits(r.Artists)
	album := music.SearchDoc{
		Type: music.DocAlbum, ID: r.ID, Title: r.Title, Artists: relMain, Featured: relFeat,
		Genre: r.Genre, UPC: r.UPC, ReleaseDate: released,
	}
	docs := []music.SearchDoc{album}

	var artists []music.SearchDoc
	artistAt := map[string]int{} // artist ID → index in artists
	credit := func(c music.ArtistCredit, popularity int) {
		if c.ArtistID == "" || c.Name == "" {
			return
		}
		i, ok := artistAt[c.ArtistID]
		if !ok {
			i = len(artists)
			artistAt[c.ArtistID] = i
			artists = append(artists, music.SearchDoc{Type: music.DocArtist, ID: c.ArtistID, Title: c.Name})
		}
		artists[i] = MergeArtistDoc(artists[i], music.SearchDoc{Type: music.DocArtist, ID: c.ArtistID, Title: c.Name, Popularity: popularity})
	}
	for _, c := range r.Artists {
		credit(c, 0)
	}
	for _, t := range r.Tracks {
		main, feat := splitCredits(t.Artists)
		if len(main) == 0 {
			main = relMain
		}
		genre := t.Genre
		if genre == "" {
			genre = r.Genre
		}
		docs = append(docs, music.SearchDoc{
			Type: music.DocTrack, ID: t.ID, Title: t.Title, Artists: main, Featured: feat,
			Album: r.Title, Genre: genre, ISRC: t.ISRC, Popularity: t.Popularity,
			ReleaseDate: released, Explicit: t.Explicit,
		})
		// The album is as popular and as explicit as its best track.
		docs[0].Popularity = max(docs[0].Popularity, t.Popularity)
		docs[0].Explicit = docs[0].Explicit || t.Explicit
		if docs[0].Genre == "" {
			docs[0].Genre = genre
		}
		// A release credit covers every track of the release.
		for _, c := range r.Artists {
			credit(c, t.Popularity)
		}
		for _, c := range t.Artists {
			credit(c, t.Popularity)
		}
	}
	return append(docs, artists...)
}

// MergeArtistDoc combines two documents of the same artist taken from
// different releases: the artist is as popular as their most popular
// track anywhere. The later name wins, as the catalog keeps one name.
func MergeArtistDoc(a, b music.SearchDoc) music.SearchDoc {
	b.Popularity = max(a.Popularity, b.Popularity)
	return b
}

// ParseReleaseDate reads a release date as labels deliver it (YYYY,
// YYYY-MM or YYYY-MM-DD) as midnight UTC of its first day; anything else
// is the zero time, which ranking treats as an old release.
func ParseReleaseDate(s string) time.Time {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t
		}
	}
	return time.Time{}
}

// splitCredits returns the names of the main and of the featured artists.
func splitCredits(credits []music.ArtistCredit) (main, featured []string) {
	for _, c := range credits {
		switch {
		case c.Name == "":
		case strings.EqualFold(c.Role, RoleFeatured):
			featured = append(featured, c.Name)
		default:
			main = append(main, c.Name)
		}
	}
	return main, featured
}
