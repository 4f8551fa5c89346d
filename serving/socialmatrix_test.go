package serving

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// TestSocialPrivacyMatrix is the authorisation and privacy matrix of the
// social layer: for every kind of caller (anonymous, the owner alice, a
// collaborator, a follower, a user alice blocked, a label and an ops
// account) and every thing one may try to see (playlists public,
// private, shared, collaborative and editorial; follower counts; a
// profile; friend activity, also in a private session; settings; blocks;
// whether one follows alice) the answer is checked. Every cell is
// spelled out, so a cell that leaks fails by name.
func TestSocialPrivacyMatrix(t *testing.T) {
	e := newFriendsEnv(t) // alice follows bob; undone below
	e.s.HandleSavedPlaylists(e.st, e.st, e.st)
	ctx := context.Background()
	_, ops, err := e.st.CreateUser(ctx, "ops", music.RoleOps, "GB")
	if err != nil {
		t.Fatal(err)
	}
	carolU, carol, _ := e.st.CreateUser(ctx, "carol", music.RoleListener, "GB")
	daveU, dave, _ := e.st.CreateUser(ctx, "dave", music.RoleListener, "GB")
	e.must(204, nil, "DELETE", "/api/v1/me/following?type=user", e.alice, `{"ids":["`+e.bobID+`"]}`)
	for _, f := range []string{e.bob, carol, dave} {
		e.must(204, nil, "PUT", "/api/v1/me/following?type=user", f, `{"ids":["`+e.aliceID+`"]}`)
	}
	public := e.create(e.alice, `{"name":"Open","public":true}`).ID
	private := e.create(e.alice, `{"name":"Closed"}`).ID
	collab := e.create(e.alice, `{"name":"Ours"}`).ID
	e.must(200, nil, "PUT", "/api/v1/playlists/"+collab+"/collaborators/"+carolU.ID, e.alice, "")
	var sh shareJSON
	e.must(201, &sh, "POST", "/api/v1/playlists/"+private+"/share", e.alice, "")
	var ed playlistJSON
	e.must(201, &ed, "POST", "/api/v1/editorial/playlists", ops, `{"name":"Picks",`+cover+`,"track_ids":["rel-1-d1t01"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/blocks", e.alice, `{"ids":["`+daveU.ID+`"]}`)
	e.must(200, nil, "PUT", "/api/v1/me/settings", dave, `{"share_activity":false}`)
	e.play(e.aliceID, "rel-1-d1t01", time.Minute)

	actors := []struct{ name, token string }{{"anon", ""}, {"owner", e.alice}, {"collab", carol}, {"follower", e.bob},
		{"blocked", dave}, {"label", e.lbl}, {"ops", ops}}
	status := func(method, path, body string) func(string) string {
		return func(tok string) string {
			code, _, _ := e.do(method, path, tok, body)
			return strconv.Itoa(code)
		}
	}
	// seesAlice reads friend activity: "yes" if alice's play is listed.
	seesAlice := func(tok string) string {
		code, _, b := e.do("GET", "/api/v1/me/friends/activity", tok, "")
		if code != 200 {
			return strconv.Itoa(code)
		}
		var out friendsJSON
		json.Unmarshal(b, &out)
		for _, f := range out.Friends {
			if f.User.ID == e.aliceID {
				return "yes"
			}
		}
		return "no"
	}
	// ownSettings: "share" or "quiet" for the caller's own settings.
	ownSettings := func(tok string) string {
		code, _, b := e.do("GET", "/api/v1/me/settings", tok, "")
		if code != 200 {
			return strconv.Itoa(code)
		}
		var st settingsJSON
		json.Unmarshal(b, &st)
		if st.ShareActivity {
			return "share"
		}
		return "quiet"
	}
	blockCount := func(tok string) string {
		code, _, b := e.do("GET", "/api/v1/me/blocks", tok, "")
		if code != 200 {
			return strconv.Itoa(code)
		}
		var p pageJSON[blockJSON]
		json.Unmarshal(b, &p)
		return strconv.Itoa(p.Total)
	}
	followsAlice := func(tok string) string {
		code, _, b := e.do("GET", "/api/v1/me/following/contains?type=user&ids="+e.aliceID, tok, "")
		if code != 200 {
			return strconv.Itoa(code)
		}
		var got []bool
		json.Unmarshal(b, &got)
		return strconv.FormatBool(got[0])
	}
	inPrivateSession := func(probe func(string) string) func(string) string {
		return func(tok string) string {
			e.must(200, nil, "PUT", "/api/v1/me/settings", e.alice, `{"private_session":true}`)
			defer e.play(e.aliceID, "rel-1-d1t01", time.Minute) // sharing again needs a new play
			defer e.must(200, nil, "PUT", "/api/v1/me/settings", e.alice, `{"private_session":false}`)
			return probe(tok)
		}
	}
	pl := "/api/v1/playlists/"
	for _, row := range []struct {
		name  string
		probe func(token string) string
		want  [7]string // anon, owner, collab, follower, blocked, label, ops
	}{
		{"read public playlist", status("GET", pl+public, ""), [7]string{"401", "200", "200", "200", "200", "403", "403"}},
		{"read private playlist", status("GET", pl+private, ""), [7]string{"401", "200", "403", "403", "403", "403", "403"}},
		{"open private playlist by share link", status("GET", sh.URL, ""), [7]string{"401", "200", "200", "200", "200", "200", "200"}},
		{"read collaborative playlist", status("GET", pl+collab, ""), [7]string{"401", "200", "200", "403", "403", "403", "403"}},
		{"edit collaborative playlist", status("POST", pl+collab+"/tracks", `{"track_ids":["rel-1-d1t01"]}`), [7]string{"401", "201", "201", "403", "403", "403", "403"}},
		{"read editorial playlist", status("GET", pl+ed.ID, ""), [7]string{"401", "200", "200", "200", "200", "403", "403"}},
		{"rename editorial playlist", status("PATCH", pl+ed.ID, `{"name":"Mine"}`), [7]string{"401", "403", "403", "403", "403", "403", "403"}},
		{"re-cover editorial playlist", status("PATCH", "/api/v1/editorial/playlists/"+ed.ID, `{`+cover+`}`), [7]string{"401", "403", "403", "403", "403", "403", "200"}},
		{"delete editorial playlist", status("DELETE", "/api/v1/editorial/playlists/no-such", ""), [7]string{"401", "403", "403", "403", "403", "404", "404"}},
		{"add to editorial playlist", status("POST", "/api/v1/editorial/playlists/"+ed.ID+"/tracks", `{"track_ids":["rel-1-d1t01"]}`), [7]string{"401", "403", "403", "403", "403", "403", "200"}},
		{"share private playlist", status("POST", pl+private+"/share", ""), [7]string{"401", "201", "403", "403", "403", "403", "403"}},
		{"follower count of private playlist", status("GET", pl+private+"/followers", ""), [7]string{"401", "200", "403", "403", "403", "403", "403"}},
		{"follower count of public playlist", status("GET", pl+public+"/followers", ""), [7]string{"401", "200", "200", "200", "200", "403", "403"}},
		{"alice's profile", status("GET", "/api/v1/users/"+e.aliceID, ""), [7]string{"401", "200", "200", "200", "404", "200", "200"}},
		{"follow alice", status("PUT", "/api/v1/me/following?type=user", `{"ids":["`+e.aliceID+`"]}`), [7]string{"401", "400", "204", "204", "422", "403", "403"}},
		{"follows alice", followsAlice, [7]string{"401", "false", "true", "true", "false", "403", "403"}},
		{"alice's activity", seesAlice, [7]string{"401", "no", "yes", "yes", "no", "403", "403"}},
		{"alice's activity in her private session", inPrivateSession(seesAlice), [7]string{"401", "no", "no", "no", "no", "403", "403"}},
		{"own settings", ownSettings, [7]string{"401", "share", "share", "share", "quiet", "403", "403"}},
		{"own blocks", blockCount, [7]string{"401", "1", "0", "0", "0", "403", "403"}},
		{"make editorial playlist", status("POST", "/api/v1/editorial/playlists", `{"name":"x",`+cover+`}`), [7]string{"401", "403", "403", "403", "403", "201", "201"}},
	} {
		for i, a := range actors {
			if got := row.probe(a.token); got != row.want[i] {
				t.Errorf("%s as %s: %s, want %s", row.name, a.name, got, row.want[i])
			}
		}
	}
}
