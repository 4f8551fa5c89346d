package serving

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/friends"
)

// social returns the profile and follow routes' stores on e's database.
func (e *apiEnv) social() Social {
	mem := friends.NewMemory()
	mem.Now = func() time.Time { return catalogNow }
	return Social{Users: e.st, Profiles: e.st, Follows: e.st, Playlists: e.st, Catalog: e.st, Shares: e.st, Privacy: e.st,
		Friends: &friends.Feed{Store: mem, Settings: e.st, Hub: friends.NewHub()}, Editorial: e.st, Owners: e.st}
}

// socialEnv is an apiEnv with the social routes, an ops account and a
// private playlist of alice's.
type socialEnv struct {
	*apiEnv
	ops, private string
}

func newSocialEnv(t testing.TB) *socialEnv {
	e := &socialEnv{apiEnv: newAPIEnv(t)}
	e.s.HandleSocial(e.social())
	e.s.HandleSavedPlaylists(e.st, e.st, e.st)
	var err error
	if _, e.ops, err = e.st.CreateUser(context.Background(), "ops", music.RoleOps, "GB"); err != nil {
		t.Fatal(err)
	}
	e.private = e.create(e.alice, `{"name":"Secret"}`).ID
	return e
}

// TestSocialAuthorization checks every social route for every kind of
// caller: anonymous, a listener who owns what is asked, another listener,
// a label and an ops account. Each cell is one status.
func TestSocialAuthorization(t *testing.T) {
	e := newSocialEnv(t)
	pl := "/api/v1/playlists/" + e.private + "/followers"
	type cell struct{ anon, owner, other, label, ops int }
	for _, tc := range []struct {
		method, path, body string
		want               cell
	}{
		{"GET", "/api/v1/me", "", cell{401, 200, 200, 200, 200}},
		{"GET", "/api/v1/users/" + e.bobID, "", cell{401, 200, 200, 200, 200}},
		{"PUT", "/api/v1/me/following?type=artist", `{"ids":["art-main"]}`, cell{401, 204, 204, 403, 403}},
		{"GET", "/api/v1/me/following?type=artist", "", cell{401, 200, 200, 403, 403}},
		{"GET", "/api/v1/me/following/contains?type=artist&ids=art-main", "", cell{401, 200, 200, 403, 403}},
		{"DELETE", "/api/v1/me/following?type=artist", `{"ids":["art-main"]}`, cell{401, 204, 204, 403, 403}},
		{"GET", "/api/v1/artists/art-main/followers", "", cell{401, 200, 200, 200, 200}},
		// alice's private playlist: only she may follow it or count its
		// followers; anyone may stop following it.
		{"PUT", pl, "", cell{401, 204, 403, 403, 403}},
		{"GET", pl, "", cell{401, 200, 403, 403, 403}},
		{"DELETE", pl, "", cell{401, 204, 204, 403, 403}},
		{"PUT", "/api/v1/me/library/playlists", `{"ids":["` + e.private + `"]}`, cell{401, 204, 403, 403, 403}},
		{"GET", "/api/v1/me/library/playlists", "", cell{401, 200, 200, 403, 403}},
		{"DELETE", "/api/v1/me/library/playlists", `{"ids":["` + e.private + `"]}`, cell{401, 204, 204, 403, 403}},
	} {
		for _, who := range []struct {
			name, token string
			want        int
		}{{"anonymous", "", tc.want.anon}, {"owner", e.alice, tc.want.owner}, {"other", e.bob, tc.want.other},
			{"label", e.lbl, tc.want.label}, {"ops", e.ops, tc.want.ops}} {
			code, _, body := e.do(tc.method, tc.path, who.token, tc.body)
			if code != who.want {
				t.Errorf("%s %s as %s: %d, want %d: %s", tc.method, tc.path, who.name, code, who.want, body)
			}
		}
	}
}

// TestFollowsAPI follows a user, an artist and a playlist over HTTP and
// reads every count and list back.
func TestFollowsAPI(t *testing.T) {
	e := newSocialEnv(t)
	e.must(204, nil, "PUT", "/api/v1/me/following?type=user", e.alice, `{"ids":["`+e.bobID+`"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/following?type=artist", e.alice, `{"ids":["art-main"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/following?type=artist", e.bob, `{"ids":["art-main"]}`)
	pub := e.create(e.bob, `{"name":"Bob's","public":true}`)
	e.must(204, nil, "PUT", "/api/v1/playlists/"+pub.ID+"/followers", e.alice, "")

	var me meJSON
	e.must(200, &me, "GET", "/api/v1/me", e.alice, "")
	if me.ID != e.aliceID || me.DisplayName != "alice" || me.Country != "GB" || me.Plan == "" || me.Role != music.RoleListener {
		t.Errorf("GET /me = %+v", me)
	}
	var prof profileJSON
	e.must(200, &prof, "GET", "/api/v1/users/"+e.bobID, e.alice, "")
	if prof.DisplayName != "bob" || prof.FollowerCount != 1 || len(prof.PublicPlaylists) != 1 || prof.PublicPlaylists[0].ID != pub.ID {
		t.Errorf("bob's profile = %+v, want 1 follower and the public playlist %s", prof, pub.ID)
	}
	// alice's private playlist is not on her profile.
	e.must(200, &prof, "GET", "/api/v1/users/"+e.aliceID, e.bob, "")
	if len(prof.PublicPlaylists) != 0 {
		t.Errorf("alice's profile lists %+v, want no public playlist", prof.PublicPlaylists)
	}
	for path, want := range map[string]int{"/api/v1/artists/art-main/followers": 2, "/api/v1/playlists/" + pub.ID + "/followers": 1} {
		var n followersJSON
		e.must(200, &n, "GET", path, e.alice, "")
		if n.Total != want {
			t.Errorf("%s: %d followers, want %d", path, n.Total, want)
		}
	}
	var got []bool
	e.must(200, &got, "GET", "/api/v1/me/following/contains?type=user&ids="+e.bobID+",nobody", e.alice, "")
	if !slices.Equal(got, []bool{true, false}) {
		t.Errorf("contains = %v, want [true false]", got)
	}
	var page map[string]followPageJSON
	e.must(200, &page, "GET", "/api/v1/me/following?type=artist&limit=1", e.alice, "")
	if a := page["artists"]; len(a.Items) != 1 || a.Items[0].ID != "art-main" || a.Total != 1 || a.Next != nil || a.Limit != 1 {
		t.Errorf("following artists = %+v, want art-main alone and no next page", page)
	}
	e.must(204, nil, "DELETE", "/api/v1/playlists/"+pub.ID+"/followers", e.alice, "")
	var n followersJSON
	e.must(200, &n, "GET", "/api/v1/playlists/"+pub.ID+"/followers", e.alice, "")
	if n.Total != 0 {
		t.Errorf("%d followers after the only one left, want 0", n.Total)
	}
}

// TestFollowingCursor walks three followed users one page at a time by
// following each page's next link.
func TestFollowingCursor(t *testing.T) {
	e := newSocialEnv(t)
	var ids []string
	for i := range 3 {
		u, _, err := e.st.CreateUser(context.Background(), fmt.Sprintf("friend-%d", i), music.RoleListener, "GB")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	e.must(204, nil, "PUT", "/api/v1/me/following?type=user", e.alice, `{"ids":["`+strings.Join(ids, `","`)+`"]}`)
	slices.Sort(ids)
	var seen []string
	next := "/api/v1/me/following?type=user&limit=2"
	for pages := 0; next != ""; pages++ {
		if pages == 3 {
			t.Fatal("more than 2 pages of 2 for 3 follows")
		}
		var page map[string]followPageJSON
		e.must(200, &page, "GET", next, e.alice, "")
		for _, f := range page["users"].Items {
			seen = append(seen, f.ID)
		}
		next = ""
		if p := page["users"]; p.Next != nil {
			next = *p.Next
		}
	}
	if !slices.Equal(seen, ids) {
		t.Errorf("pages gave %v, want %v", seen, ids)
	}
}

// TestFollowBadInput: every bad call is a 4xx whose message names what is
// wrong, and nothing is followed.
func TestFollowBadInput(t *testing.T) {
	e := newSocialEnv(t)
	many := make([]string, music.MaxFollowIDs+1)
	for i := range many {
		many[i] = "art-main"
	}
	manyJSON := `{"ids":["` + strings.Join(many, `","`) + `"]}`
	for _, tc := range []struct {
		method, path, token, body string
		want                      int
		mentions                  string
	}{
		{"PUT", "/api/v1/me/following?type=user", e.alice, `{"ids":["` + e.aliceID + `"]}`, 400, "yourself"},
		{"PUT", "/api/v1/me/following?type=user", e.alice, `{"ids":["` + e.bobID + `","nobody"]}`, 422, "ids[1]"},
		{"PUT", "/api/v1/me/following?type=artist", e.alice, `{"ids":["art-main","no-artist"]}`, 422, "ids[1]"},
		{"PUT", "/api/v1/me/following?type=artist", e.alice, manyJSON, 400, "ids"},
		{"PUT", "/api/v1/me/following?type=album", e.alice, `{"ids":["rel-1"]}`, 400, "type"},
		{"PUT", "/api/v1/me/following", e.alice, `{"ids":["art-main"]}`, 400, "type"},
		{"PUT", "/api/v1/me/following?type=user", e.alice, `{"ids":["` + e.bobID + `"],"x":1}`, 400, "x"},
		{"GET", "/api/v1/me/following?type=user&limit=51", e.alice, "", 400, "limit"},
		{"GET", "/api/v1/me/following/contains?type=user", e.alice, "", 400, "ids"},
		{"GET", "/api/v1/me/following/contains?type=artist&ids=" + strings.Join(many, ","), e.alice, "", 400, "ids"},
		{"GET", "/api/v1/users/nobody", e.alice, "", 404, "nobody"},
		{"GET", "/api/v1/users/" + url.PathEscape(e.lblID(t)), e.alice, "", 404, "no user"},
		{"PUT", "/api/v1/playlists/nope/followers", e.alice, "", 404, "nope"},
		{"GET", "/api/v1/artists/no-artist/followers", e.alice, "", 404, "no-artist"},
	} {
		code, _, body := e.do(tc.method, tc.path, tc.token, tc.body)
		if code != tc.want || !strings.Contains(string(body), tc.mentions) {
			t.Errorf("%s %s %s: %d %s, want %d naming %q", tc.method, tc.path, tc.body, code, body, tc.want, tc.mentions)
		}
	}
	for _, kind := range []string{"user", "artist"} {
		var page map[string]followPageJSON
		e.must(200, &page, "GET", "/api/v1/me/following?type="+kind, e.alice, "")
		if n := page[kind+"s"].Total; n != 0 {
			t.Errorf("alice follows %d %ss after refused calls, want 0", n, kind)
		}
	}
}

// lblID is the label account's user ID.
func (e *socialEnv) lblID(t *testing.T) string {
	u, err := e.st.UserByToken(context.Background(), e.lbl)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// FuzzFollowingQuery: any query is refused with EINVALID or read into a
// valid type, cursor and limit.
func FuzzFollowingQuery(f *testing.F) {
	for _, s := range []string{"type=artist", "type=user&after=x&limit=50", "type=user&limit=0", "type=album", "limit=-1&type=artist", "", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		kind, after, limit, err := followingQuery(q)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("%q: %v is not EINVALID", raw, err)
			}
			return
		}
		if kind != music.FollowArtist && kind != music.FollowUser || limit < 1 || limit > maxFollowLimit || len(after) > 200 {
			t.Fatalf("%q: accepted type %q, limit %d, after of %d bytes", raw, kind, limit, len(after))
		}
		if v := q.Get("limit"); v != "" && strconv.Itoa(limit) != strings.TrimLeft(strings.TrimPrefix(v, "+"), "0") {
			t.Fatalf("%q: limit %d is not the parameter %q", raw, limit, v)
		}
	})
}

// FuzzIDList: any ids parameter is refused with EINVALID or split into 1
// to 50 non-empty ids that join back to it.
func FuzzIDList(f *testing.F) {
	for _, s := range []string{"a", "a,b", ",", "a,,b", "", strings.Repeat("x,", 50) + "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ids, err := idList(url.Values{"ids": {v}}, "ids")
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "ids") {
				t.Fatalf("%q: %v is not an EINVALID naming ids", v, err)
			}
			return
		}
		if len(ids) < 1 || len(ids) > music.MaxFollowIDs || strings.Join(ids, ",") != v || slices.Contains(ids, "") {
			t.Fatalf("%q: accepted %q", v, ids)
		}
	})
}

// TestSavedPlaylists: saving a playlist to the library follows it, and
// the library lists playlists followed either way, newest first.
func TestSavedPlaylists(t *testing.T) {
	e := newSocialEnv(t)
	first := e.create(e.bob, `{"name":"First","public":true}`)
	second := e.create(e.bob, `{"name":"Second","public":true}`)
	e.st.Now = func() time.Time { return catalogNow }
	e.must(204, nil, "PUT", "/api/v1/me/library/playlists", e.alice, `{"ids":["`+first.ID+`"]}`)
	e.st.Now = func() time.Time { return catalogNow.Add(time.Hour) }
	e.must(204, nil, "PUT", "/api/v1/playlists/"+second.ID+"/followers", e.alice, "")
	var page pageJSON[libraryItemJSON]
	e.must(200, &page, "GET", "/api/v1/me/library/playlists", e.alice, "")
	if page.Total != 2 || len(page.Items) != 2 || page.Items[0].ID != second.ID || page.Items[1].ID != first.ID {
		t.Errorf("library playlists %+v, want %s then %s", page, second.ID, first.ID)
	}
	var n followersJSON
	e.must(200, &n, "GET", "/api/v1/playlists/"+first.ID+"/followers", e.bob, "")
	if n.Total != 1 {
		t.Errorf("a saved playlist has %d followers, want 1", n.Total)
	}
	for _, tc := range []struct {
		body     string
		want     int
		mentions string
	}{
		{`{"ids":["` + first.ID + `","nope"]}`, 422, "ids[1]"},
		{`{"ids":["` + e.private + `"]}`, 403, "ids[0]"},
		{`{"ids":[]}`, 400, "ids"},
	} {
		code, _, body := e.do("PUT", "/api/v1/me/library/playlists", e.bob, tc.body)
		if code != tc.want || !strings.Contains(string(body), tc.mentions) {
			t.Errorf("bob saves %s: %d %s, want %d naming %q", tc.body, code, body, tc.want, tc.mentions)
		}
	}
	e.must(200, &page, "GET", "/api/v1/me/library/playlists", e.bob, "")
	if page.Total != 0 {
		t.Errorf("bob's refused saves left %+v in his library", page.Items)
	}
	e.must(204, nil, "DELETE", "/api/v1/me/library/playlists", e.alice, `{"ids":["`+first.ID+`","`+second.ID+`"]}`)
	e.must(200, &page, "GET", "/api/v1/me/library/playlists", e.alice, "")
	if page.Total != 0 {
		t.Errorf("library after removing both: %+v", page.Items)
	}
}
