package serving

import (
	"strings"
	"testing"
)

// TestSettingsAPI changes settings and reads them back, also in GET /me.
func TestSettingsAPI(t *testing.T) {
	e := newSocialEnv(t)
	var st settingsJSON
	e.must(200, &st, "GET", "/api/v1/me/settings", e.alice, "")
	if st.PrivateSession || !st.ShareActivity {
		t.Errorf("defaults %+v, want sharing on and no private session", st)
	}
	e.must(200, &st, "PUT", "/api/v1/me/settings", e.alice, `{"private_session":true}`)
	if !st.PrivateSession || !st.ShareActivity {
		t.Errorf("after a private session: %+v", st)
	}
	var me meJSON
	e.must(200, &me, "GET", "/api/v1/me", e.alice, "")
	if !me.Settings.PrivateSession {
		t.Errorf("GET /me settings %+v, want the private session", me.Settings)
	}
	// Only the caller's own settings exist on these routes.
	e.must(200, &st, "GET", "/api/v1/me/settings", e.bob, "")
	if st.PrivateSession {
		t.Error("bob sees alice's private session as his")
	}
}

// TestBlockAPI: a block removes the blocked user's follow; they cannot
// follow again nor see the blocker's profile; unblocking undoes that.
func TestBlockAPI(t *testing.T) {
	e := newSocialEnv(t)
	e.must(204, nil, "PUT", "/api/v1/me/following?type=user", e.bob, `{"ids":["`+e.aliceID+`"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/blocks", e.alice, `{"ids":["`+e.bobID+`"]}`)
	var got []bool
	e.must(200, &got, "GET", "/api/v1/me/following/contains?type=user&ids="+e.aliceID, e.bob, "")
	if got[0] {
		t.Error("bob still follows alice after she blocked him")
	}
	code, _, body := e.do("PUT", "/api/v1/me/following?type=user", e.bob, `{"ids":["`+e.aliceID+`"]}`)
	if code != 422 || !strings.Contains(string(body), "no user") {
		t.Errorf("bob follows alice again: %d %s, want 422 no user", code, body)
	}
	e.must(404, nil, "GET", "/api/v1/users/"+e.aliceID, e.bob, "")
	// The block is one-way: alice still sees bob.
	e.must(200, nil, "GET", "/api/v1/users/"+e.bobID, e.alice, "")
	var blocks pageJSON[blockJSON]
	e.must(200, &blocks, "GET", "/api/v1/me/blocks", e.alice, "")
	if blocks.Total != 1 || blocks.Items[0].ID != e.bobID {
		t.Errorf("alice's blocks %+v, want bob", blocks)
	}
	e.must(204, nil, "DELETE", "/api/v1/me/blocks", e.alice, `{"ids":["`+e.bobID+`"]}`)
	e.must(200, nil, "GET", "/api/v1/users/"+e.aliceID, e.bob, "")
	e.must(204, nil, "PUT", "/api/v1/me/following?type=user", e.bob, `{"ids":["`+e.aliceID+`"]}`)
}

// TestPrivacyBadInput: each bad call is a clear 4xx and changes nothing.
func TestPrivacyBadInput(t *testing.T) {
	e := newSocialEnv(t)
	for _, tc := range []struct {
		method, path, body string
		want               int
		mentions           string
	}{
		{"PUT", "/api/v1/me/settings", `{"private_session":"yes"}`, 400, "private_session"},
		{"PUT", "/api/v1/me/settings", `{"share":false}`, 400, "share"},
		{"PUT", "/api/v1/me/blocks", `{"ids":["` + e.aliceID + `"]}`, 400, "yourself"},
		{"PUT", "/api/v1/me/blocks", `{"ids":["` + e.bobID + `","nobody"]}`, 422, "ids[1]"},
		{"PUT", "/api/v1/me/blocks", `{"ids":[]}`, 400, "ids"},
		{"GET", "/api/v1/me/blocks?limit=0", "", 400, "limit"},
	} {
		code, _, body := e.do(tc.method, tc.path, e.alice, tc.body)
		if code != tc.want || !strings.Contains(string(body), tc.mentions) {
			t.Errorf("%s %s %s: %d %s, want %d naming %q", tc.method, tc.path, tc.body, code, body, tc.want, tc.mentions)
		}
	}
	var blocks pageJSON[blockJSON]
	e.must(200, &blocks, "GET", "/api/v1/me/blocks", e.alice, "")
	var st settingsJSON
	e.must(200, &st, "GET", "/api/v1/me/settings", e.alice, "")
	if blocks.Total != 0 || st.PrivateSession || !st.ShareActivity {
		t.Errorf("after bad calls: %d blocks, settings %+v", blocks.Total, st)
	}
}
