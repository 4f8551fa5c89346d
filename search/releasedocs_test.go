package search_test

import (
	"slices"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/search"
)

// release turns a fixture publication into the release a catalog read
// returns.
func release(p music.Publication) *music.Release {
	r := p.Release
	r.Tracks = p.Tracks
	r.Status = music.ReleasePublished
	return &r
}

func TestReleaseDocs(t *testing.T) {
	p := catalogtest.Publication(1, 3)
	p.Tracks[0].Popularity = 60
	p.Tracks[1].Artists = nil // falls back to the release's main artist
	p.Tracks[2].Genre = ""
	docs := search.ReleaseDocs(release(p))

	var kinds []music.DocType
	for _, d := range docs {
		kinds = append(kinds, d.Type)
		if err := search.CheckDoc(d); err != nil {
			t.Errorf("%s: %v", d.Key(), err)
		}
	}
	want := []music.DocType{music.DocAlbum, music.DocTrack, music.DocTrack, music.DocTrack, music.DocArtist, music.DocArtist}
	if !slices.Equal(kinds, want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	album := docs[0]
	if album.ID != "rel-1" || album.Title != "Album 1" || album.UPC != p.Release.UPC || album.Popularity != 60 ||
		!album.Explicit || !slices.Equal(album.Artists, []string{"The Main Band"}) ||
		!album.ReleaseDate.Equal(time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("album doc %+v", album)
	}
	tr := docs[1]
	if tr.ID != p.Tracks[0].ID || tr.Title != p.Tracks[0].Title || tr.ISRC != p.Tracks[0].ISRC || tr.Album != "Album 1" ||
		tr.Popularity != 60 || !slices.Equal(tr.Artists, []string{"The Main Band"}) ||
		!slices.Equal(tr.Featured, []string{"Guest 1"}) || !tr.ReleaseDate.Equal(album.ReleaseDate) {
		t.Errorf("track doc %+v", tr)
	}
	if got := docs[2]; !slices.Equal(got.Artists, []string{"The Main Band"}) || len(got.Featured) != 0 {
		t.Errorf("uncredited track: artists %v featured %v, want the release's main artist only", got.Artists, got.Featured)
	}
	if got := docs[3].Genre; got != "Rock" {
		t.Errorf("track without genre got %q, want the release's", got)
	}
	mainArtist, guest := docs[4], docs[5]
	if mainArtist.ID != "art-main" || mainArtist.Title != "The Main Band" || mainArtist.Popularity != 60 {
		t.Errorf("main artist doc %+v, want popularity of the best track (60)", mainArtist)
	}
	// The guest is not on the uncredited track but is on the 60 one.
	if guest.ID != "art-feat-1" || guest.Title != "Guest 1" || guest.Popularity != 60 {
		t.Errorf("guest doc %+v", guest)
	}
}

func TestParseReleaseDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2021-03-04", day(2021, 3, 4)},
		{"2021-03", day(2021, 3, 1)},
		{"1999", day(1999, 1, 1)},
		{" 2001 ", day(2001, 1, 1)},
		{"", time.Time{}},
		{"2021-13-01", time.Time{}},
		{"March 2021", time.Time{}},
	} {
		if got := search.ParseReleaseDate(tc.in); !got.Equal(tc.want) {
			t.Errorf("ParseReleaseDate(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
