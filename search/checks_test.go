package search

import (
	"testing"

	"github.com/openmusic/music"
)

func TestCheckDoc(t *testing.T) {
	good := music.SearchDoc{Type: music.DocTrack, ID: "t1", Title: "Halo", Popularity: 50}
	if err := CheckDoc(good); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]music.SearchDoc{
		"type":       {Type: "playlist", ID: "p", Title: "x"},
		"id":         {Type: music.DocTrack, Title: "x"},
		"title":      {Type: music.DocTrack, ID: "t"},
		"utf8":       {Type: music.DocTrack, ID: "t", Title: "\xff"},
		"popularity": {Type: music.DocTrack, ID: "t", Title: "x", Popularity: 101},
	} {
		if err := CheckDoc(d); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
}
