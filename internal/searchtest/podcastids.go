package searchtest

import (
	"context"
	"slices"
	"testing"

	music "github.com/openmusic/music"
)

// PodcastIDs lists, sorted, the shows and episodes the index itself holds
// for text, with no visibility filter: what search may find, not what it
// shows a listener. Takedown tests use it to see documents leave.
func PodcastIDs(t testing.TB, idx music.SearchIndex, text string) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), music.SearchQuery{Text: text, Types: []music.DocType{music.DocPodcast, music.DocEpisode}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range []*music.SearchGroup{res.Podcasts, res.Episodes} {
		if g == nil {
			continue
		}
		for _, h := range g.Items {
			ids = append(ids, h.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
