package serving

import (
	"context"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// TestShareLinkOpensPrivatePlaylist: alice shares her private playlist;
// bob, who may not read it, opens it through the link, read-only, until
// alice revokes the link.
func TestShareLinkOpensPrivatePlaylist(t *testing.T) {
	e := newSocialEnv(t)
	e.must(201, nil, "POST", "/api/v1/playlists/"+e.private+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01","rel-1-d1t02"]}`)
	e.must(403, nil, "GET", "/api/v1/playlists/"+e.private, e.bob, "")

	var sh shareJSON
	h := e.must(201, &sh, "POST", "/api/v1/playlists/"+e.private+"/share", e.alice, "")
	if !strings.HasPrefix(sh.Token, music.ShareTokenPrefix) || sh.URL != "/api/v1/shared/"+sh.Token || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("share = %+v (Cache-Control %q), want a token, its URL, not cached", sh, h.Get("Cache-Control"))
	}
	var got sharedJSON
	e.must(200, &got, "GET", sh.URL, e.bob, "")
	if got.Type != "playlist" || got.Playlist == nil || got.Playlist.ID != e.private || got.Tracks == nil || got.Tracks.Total != 2 {
		t.Fatalf("bob opens the link: %+v, want the playlist with its 2 tracks", got)
	}
	// The link reads; it does not let bob edit.
	e.must(403, nil, "POST", "/api/v1/playlists/"+e.private+"/tracks", e.bob, `{"track_ids":["rel-1-d1t01"]}`)

	var mine pageJSON[shareJSON]
	e.must(200, &mine, "GET", "/api/v1/me/shares", e.alice, "")
	if mine.Total != 1 || mine.Items[0].ID != sh.ID || mine.Items[0].Token != "" {
		t.Errorf("alice's shares = %+v, want the one share without its token", mine)
	}
	// bob cannot revoke it, nor learn that it exists.
	e.must(404, nil, "DELETE", "/api/v1/shares/"+sh.ID, e.bob, "")
	e.must(204, nil, "DELETE", "/api/v1/shares/"+sh.ID, e.alice, "")
	code, _, body := e.do("GET", sh.URL, e.bob, "")
	if code != 404 || strings.Contains(string(body), sh.Token) {
		t.Errorf("revoked link: %d %s, want 404 not echoing the token", code, body)
	}
	e.must(404, nil, "DELETE", "/api/v1/shares/"+sh.ID, e.alice, "")
}

// TestShareLinkKeepsTerritory: a link to a release licensed only in
// Germany opens for a German listener and not for a British one.
func TestShareLinkKeepsTerritory(t *testing.T) {
	e := newSocialEnv(t)
	_, de, err := e.st.CreateUser(context.Background(), "dieter", music.RoleListener, "DE")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{`{"type":"track","id":"rel-2-d1t01"}`, `{"type":"album","id":"rel-2"}`} {
		var sh shareJSON
		e.must(201, &sh, "POST", "/api/v1/shares", de, kind)
		var got sharedJSON
		e.must(200, &got, "GET", sh.URL, de, "")
		if got.Track == nil && got.Album == nil {
			t.Errorf("%s: dieter opens %+v, want the track or album", kind, got)
		}
		e.must(404, nil, "GET", sh.URL, e.alice, "")
	}
	// And a GB listener cannot share what she cannot see.
	e.must(422, nil, "POST", "/api/v1/shares", e.alice, `{"type":"track","id":"rel-2-d1t01"}`)
}

// TestShareBadInput: each bad call is a clear 4xx and makes no share.
func TestShareBadInput(t *testing.T) {
	e := newSocialEnv(t)
	for _, tc := range []struct {
		method, path, token, body string
		want                      int
		mentions                  string
	}{
		{"POST", "/api/v1/shares", e.alice, `{"type":"user","id":"` + e.bobID + `"}`, 400, "type"},
		{"POST", "/api/v1/shares", e.alice, `{"type":"track","id":""}`, 400, "id"},
		{"POST", "/api/v1/shares", e.alice, `{"type":"track","id":"no-track"}`, 422, "no-track"},
		{"POST", "/api/v1/shares", e.alice, `{"type":"playlist","id":"pl_nope"}`, 422, "pl_nope"},
		{"POST", "/api/v1/shares", e.bob, `{"type":"playlist","id":"` + e.private + `"}`, 403, "private"},
		{"POST", "/api/v1/shares", e.alice, `{"type":"track","id":"rel-1-d1t01","extra":1}`, 400, "extra"},
		{"POST", "/api/v1/playlists/" + e.private + "/share", e.bob, "", 403, "private"},
		{"POST", "/api/v1/playlists/pl_nope/share", e.alice, "", 404, "pl_nope"},
		{"GET", "/api/v1/shared/sh_00", e.alice, "", 404, "revoked"},
		{"DELETE", "/api/v1/shares/shr_nope", e.alice, "", 404, "shr_nope"},
	} {
		code, _, body := e.do(tc.method, tc.path, tc.token, tc.body)
		if code != tc.want || !strings.Contains(string(body), tc.mentions) {
			t.Errorf("%s %s %s: %d %s, want %d naming %q", tc.method, tc.path, tc.body, code, body, tc.want, tc.mentions)
		}
	}
	for _, tok := range []string{e.alice, e.bob} {
		var mine pageJSON[shareJSON]
		e.must(200, &mine, "GET", "/api/v1/me/shares", tok, "")
		if mine.Total != 0 {
			t.Errorf("%d shares after bad calls, want 0", mine.Total)
		}
	}
}
