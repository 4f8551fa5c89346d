package search

import (
	"testing"

	music "github.com/openmusic/music"
)

func TestSetGroupIsReadBackByGroup(t *testing.T) {
	var r music.SearchResults
	for i, k := range music.DocTypes {
		setGroup(&r, k, &music.SearchGroup{Total: uint64(i + 1)})
	}
	for i, k := range music.DocTypes {
		if g := r.Group(k); g == nil || g.Total != uint64(i+1) {
			t.Errorf("Group(%s) = %+v, want the group set for it (total %d)", k, g, i+1)
		}
	}
	n := len(music.DocTypes)
	if got, want := Matched(&r), uint64(n*(n+1)/2); got != want {
		t.Errorf("Matched = %d, want %d", got, want)
	}
	if got := Matched(&music.SearchResults{}); got != 0 {
		t.Errorf("Matched of no groups = %d, want 0", got)
	}
}

func TestWantsTypeAndValidType(t *testing.T) {
	all := music.SearchQuery{}
	albums := music.SearchQuery{Types: []music.DocType{music.DocAlbum}}
	for _, k := range music.DocTypes {
		if !WantsType(all, k) {
			t.Errorf("a query with no types does not want %s", k)
		}
		if got := WantsType(albums, k); got != (k == music.DocAlbum) {
			t.Errorf("an album query: WantsType(%s) = %v", k, got)
		}
		if !validType(k) {
			t.Errorf("validType(%s) = false", k)
		}
	}
	if validType("playlist") || validType("") {
		t.Error("validType accepts a kind outside DocTypes")
	}
}
