package serving

import (
	"context"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

const cover = `"cover_url":"https://img.example.com/c.jpg"`

// TestEditorialPlaylists: ops make an editorial playlist that is
// featured and found by search; a listener follows it and has it in the
// library with a follower count of 1; no listener route changes it.
func TestEditorialPlaylists(t *testing.T) {
	e := newSocialEnv(t)
	e.s.HandleSearch(nil) // playlist search only: the index is never asked
	var p playlistJSON
	e.must(201, &p, "POST", "/api/v1/editorial/playlists", e.ops,
		`{"name":"Monday Motivation","description":"Start strong",`+cover+`,"track_ids":["rel-1-d1t01","rel-1-d1t02"]}`)
	if !p.Editorial || !p.Public || p.OwnerID != music.EditorialOwnerID || p.TrackCount != 2 || p.CoverURL == "" {
		t.Fatalf("created %+v", p)
	}
	var featured struct {
		Playlists pageJSON[playlistJSON] `json:"playlists"`
	}
	e.must(200, &featured, "GET", "/api/v1/browse/featured-playlists", e.alice, "")
	if featured.Playlists.Total != 1 || featured.Playlists.Items[0].ID != p.ID {
		t.Errorf("featured %+v", featured)
	}
	found := searchJSON{SearchResults: &music.SearchResults{}}
	e.must(200, &found, "GET", "/api/v1/search?q=monday&type=playlist", e.alice, "")
	if found.Playlists == nil || found.Playlists.Total != 1 || found.Playlists.Items[0].ID != p.ID || found.Tracks != nil {
		t.Errorf("search type=playlist: %+v", found)
	}
	e.must(204, nil, "PUT", "/api/v1/playlists/"+p.ID+"/followers", e.alice, "")
	var n followersJSON
	e.must(200, &n, "GET", "/api/v1/playlists/"+p.ID+"/followers", e.alice, "")
	var lib pageJSON[playlistJSON]
	e.must(200, &lib, "GET", "/api/v1/me/library/playlists", e.alice, "")
	if n.Total != 1 || lib.Total != 1 || lib.Items[0].ID != p.ID {
		t.Errorf("after alice follows: %d followers, library %+v", n.Total, lib)
	}
	// Its curators edit it through the editorial routes.
	var c changeJSON
	e.must(200, &c, "POST", "/api/v1/editorial/playlists/"+p.ID+"/tracks", e.ops, `{"track_ids":["rel-1-d1t01"]}`)
	if len(c.Entries) != 1 {
		t.Fatalf("add to the editorial playlist: %+v", c)
	}
	e.must(200, nil, "DELETE", "/api/v1/editorial/playlists/"+p.ID+"/tracks", e.ops, `{"entry_ids":["`+c.Entries[0].EntryID+`"]}`)
	e.must(403, nil, "POST", "/api/v1/editorial/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01"]}`)
	e.must(422, nil, "POST", "/api/v1/editorial/playlists/"+p.ID+"/tracks", e.ops, `{"track_ids":["nope"]}`)
	var got playlistJSON
	e.must(200, &got, "GET", "/api/v1/playlists/"+p.ID, e.alice, "")
	if got.TrackCount != 2 {
		t.Errorf("after one add and one remove the playlist has %d tracks, want 2", got.TrackCount)
	}
	e.must(403, nil, "PATCH", "/api/v1/playlists/"+p.ID, e.alice, `{"name":"Mine now"}`)
	e.must(403, nil, "PATCH", "/api/v1/editorial/playlists/"+p.ID, e.alice, `{"name":"Mine now"}`)
	// Its curators rename and re-cover it; search follows the new name.
	e.must(200, &c, "PATCH", "/api/v1/editorial/playlists/"+p.ID, e.ops,
		`{"name":"Tuesday Lift","cover_url":"https://img.example.com/t.jpg"}`)
	e.must(200, &got, "GET", "/api/v1/playlists/"+p.ID, e.alice, "")
	if got.Name != "Tuesday Lift" || got.Description != "Start strong" || got.CoverURL != "https://img.example.com/t.jpg" || !got.Public {
		t.Errorf("after renaming and re-covering: %+v", got)
	}
	e.must(200, &found, "GET", "/api/v1/search?q=tuesday&type=playlist", e.alice, "")
	if found.Playlists == nil || found.Playlists.Total != 1 || found.Playlists.Items[0].ID != p.ID {
		t.Errorf("search for the new name: %+v", found.Playlists)
	}
	e.must(403, nil, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01"]}`)
	e.must(204, nil, "DELETE", "/api/v1/editorial/playlists/"+p.ID, e.ops, "")
	e.must(404, nil, "GET", "/api/v1/playlists/"+p.ID, e.alice, "")
}

// TestLabelCuratesOnlyItsOwn: a label's editorial playlist may hold only
// recordings it owns; another label's is 403 and nothing is made.
func TestLabelCuratesOnlyItsOwn(t *testing.T) {
	e := newSocialEnv(t)
	ctx := context.Background()
	other, otherTok, err := e.st.CreateUser(ctx, "label2", music.RoleLabel, "GB")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.TransferOwnership(ctx, music.OwnRelease, "rel-1", e.lblID(t)); err != nil {
		t.Fatal(err)
	}
	if err := e.st.TransferOwnership(ctx, music.OwnRelease, "rel-2", other.ID); err != nil {
		t.Fatal(err)
	}
	code, _, body := e.do("POST", "/api/v1/editorial/playlists", e.lbl, `{"name":"Ours",`+cover+`,"track_ids":["rel-1-d1t01","rel-2-d1t01"]}`)
	if code != 403 || !strings.Contains(string(body), "track_ids[1]") {
		t.Errorf("label curates another label's track: %d %s, want 403 naming track_ids[1]", code, body)
	}
	var featured struct {
		Playlists pageJSON[playlistJSON] `json:"playlists"`
	}
	e.must(200, &featured, "GET", "/api/v1/browse/featured-playlists", e.alice, "")
	if featured.Playlists.Total != 0 {
		t.Fatalf("a refused playlist was made: %+v", featured)
	}
	var p playlistJSON
	e.must(201, &p, "POST", "/api/v1/editorial/playlists", e.lbl, `{"name":"Ours",`+cover+`,"track_ids":["rel-1-d1t01"]}`)
	// Only its curator (or ops) may change or delete it, and the label
	// still only with its own recordings.
	e.must(403, nil, "POST", "/api/v1/editorial/playlists/"+p.ID+"/tracks", otherTok, `{"track_ids":["rel-2-d1t01"]}`)
	code, _, body = e.do("POST", "/api/v1/editorial/playlists/"+p.ID+"/tracks", e.lbl, `{"track_ids":["rel-2-d1t01"]}`)
	if code != 403 || !strings.Contains(string(body), "track_ids[0]") {
		t.Errorf("label adds another label's track: %d %s", code, body)
	}
	e.must(200, nil, "POST", "/api/v1/editorial/playlists/"+p.ID+"/tracks", e.lbl, `{"track_ids":["rel-1-d1t02"]}`)
	e.must(403, nil, "DELETE", "/api/v1/editorial/playlists/"+p.ID, otherTok, "")
	e.must(204, nil, "DELETE", "/api/v1/editorial/playlists/"+p.ID, e.lbl, "")
}

// TestEditorialBadInput: each bad call is a clear 4xx and makes nothing.
func TestEditorialBadInput(t *testing.T) {
	e := newSocialEnv(t)
	e.s.HandleSearch(nil) // playlist search only: the index is never asked
	mine := e.create(e.alice, `{"name":"Mine","public":true}`)
	var ed playlistJSON
	e.must(201, &ed, "POST", "/api/v1/editorial/playlists", e.ops, `{"name":"Kept",`+cover+`}`)
	for _, tc := range []struct {
		method, path, token, body string
		want                      int
		mentions                  string
	}{
		{"POST", "/api/v1/editorial/playlists", e.alice, `{"name":"x",` + cover + `}`, 403, "ops/label"},
		{"POST", "/api/v1/editorial/playlists", e.ops, `{"name":"x",` + cover + `,"track_ids":["nope"]}`, 422, "track_ids[0]"},
		{"POST", "/api/v1/editorial/playlists", e.ops, `{"name":"x","cover_url":"http://img.example.com/c.jpg"}`, 400, "cover_url"},
		{"POST", "/api/v1/editorial/playlists", e.ops, `{"name":"",` + cover + `}`, 400, "name"},
		{"POST", "/api/v1/editorial/playlists", e.ops, `{"name":"x",` + cover + `,"tracks":[]}`, 400, "tracks"},
		{"DELETE", "/api/v1/editorial/playlists/" + mine.ID, e.ops, "", 404, "editorial"},
		{"PATCH", "/api/v1/editorial/playlists/" + mine.ID, e.ops, `{"name":"Taken"}`, 404, "editorial"},
		{"PATCH", "/api/v1/editorial/playlists/" + ed.ID, e.ops, `{}`, 400, "cover_url"},
		{"PATCH", "/api/v1/editorial/playlists/" + ed.ID, e.ops, `{"cover_url":"javascript:alert(1)"}`, 400, "cover_url"},
		{"PATCH", "/api/v1/editorial/playlists/" + ed.ID, e.ops, `{"name":""}`, 400, "name"},
		{"PATCH", "/api/v1/editorial/playlists/" + ed.ID, e.ops, `{"public":false}`, 400, "public"},
		{"DELETE", "/api/v1/editorial/playlists/pl_nope", e.ops, "", 404, "pl_nope"},
		{"GET", "/api/v1/search?q=&type=playlist", e.alice, "", 400, "q"},
		{"GET", "/api/v1/search?q=x&type=playlist,song", e.alice, "", 400, "song"},
		{"GET", "/api/v1/search?q=x&type=playlist,", e.alice, "", 400, "empty"},
	} {
		code, _, body := e.do(tc.method, tc.path, tc.token, tc.body)
		if code != tc.want || !strings.Contains(string(body), tc.mentions) {
			t.Errorf("%s %s %s: %d %s, want %d naming %q", tc.method, tc.path, tc.body, code, body, tc.want, tc.mentions)
		}
	}
	var featured struct {
		Playlists pageJSON[playlistJSON] `json:"playlists"`
	}
	e.must(200, &featured, "GET", "/api/v1/browse/featured-playlists", e.alice, "")
	if featured.Playlists.Total != 1 || featured.Playlists.Items[0].Name != "Kept" ||
		featured.Playlists.Items[0].CoverURL != "https://img.example.com/c.jpg" || featured.Playlists.Items[0].Version != ed.Version {
		t.Errorf("bad calls changed something: %+v", featured)
	}
}
