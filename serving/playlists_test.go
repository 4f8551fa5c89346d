package serving

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/sqlstore"
)

// apiEnv is a server with the catalog, playlist and library routes on a
// seeded SQLite store, and tokens for two listeners and a label account.
type apiEnv struct {
	t               testing.TB
	s               *Server
	st              *sqlstore.Store
	alice, bob, lbl string // tokens
	aliceID, bobID  string
}

func newAPIEnv(t testing.TB) *apiEnv {
	t.Helper()
	st := seedCatalog(t)
	e := &apiEnv{t: t, st: st}
	ctx := context.Background()
	for _, u := range []struct {
		name, role string
		token, id  *string
	}{{"alice", music.RoleListener, &e.alice, &e.aliceID}, {"bob", music.RoleListener, &e.bob, &e.bobID}, {"label", music.RoleLabel, &e.lbl, new(string)}} {
		usr, tok, err := st.CreateUser(ctx, u.name, u.role, "GB")
		if err != nil {
			t.Fatal(err)
		}
		*u.token, *u.id = tok, usr.ID
	}
	e.s = New()
	e.s.Now = func() time.Time { return catalogNow }
	e.s.HandleCatalog(st, st)
	e.s.HandlePlaylists(st, st, st)
	e.s.HandleLibrary(st, st, st)
	e.s.HandleOpenAPI()
	return e
}

// do sends one request and returns status, headers and body.
func (e *apiEnv) do(method, path, token, body string, hdr ...string) (int, http.Header, []byte) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

// must sends a request that has to answer want, and decodes into out.
func (e *apiEnv) must(want int, out any, method, path, token, body string, hdr ...string) http.Header {
	e.t.Helper()
	code, h, b := e.do(method, path, token, body, hdr...)
	if code != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, code, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return h
}

// tracks returns a playlist's track IDs as alice sees them.
func (e *apiEnv) tracks(id string) string {
	e.t.Helper()
	var page entriesPageJSON
	e.must(200, &page, "GET", "/api/v1/playlists/"+id+"/tracks?limit=100", e.alice, "")
	var out []string
	for _, it := range page.Items {
		out = append(out, it.TrackID)
	}
	return strings.Join(out, " ")
}

func (e *apiEnv) create(token, body string) playlistJSON {
	e.t.Helper()
	var p playlistJSON
	e.must(201, &p, "POST", "/api/v1/playlists", token, body)
	return p
}

func TestPlaylistAPI(t *testing.T) {
	e := newAPIEnv(t)
	p := e.create(e.alice, `{"name":"Mix","description":"d","public":false}`)
	if p.Version != 1 || p.OwnerID != e.aliceID {
		t.Fatalf("created %+v", p)
	}
	var c changeJSON
	h := e.must(201, &c, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice,
		`{"track_ids":["rel-1-d1t01","rel-1-d1t02","rel-1-d2t01"],"position":0}`, "If-Match", `"1"`)
	if c.Version != 2 || len(c.Entries) != 3 || h.Get("ETag") != `"2"` || c.After == nil || *c.After != "" {
		t.Fatalf("add: %+v, ETag %s", c, h.Get("ETag"))
	}
	first, second := c.Entries[0].EntryID, c.Entries[1].EntryID
	e.must(201, &c, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d2t02"],"after":"`+first+`"}`)
	if got := e.tracks(p.ID); got != "rel-1-d1t01 rel-1-d2t02 rel-1-d1t02 rel-1-d2t01" {
		t.Fatalf("after adds: %s", got)
	}
	var page entriesPageJSON
	e.must(200, &page, "GET", "/api/v1/playlists/"+p.ID+"/tracks?offset=1&limit=2", e.alice, "")
	if page.Total != 4 || len(page.Items) != 2 || page.Items[0].Position != 1 || page.Version != 3 {
		t.Fatalf("page: %+v", page)
	}
	e.must(200, &c, "POST", "/api/v1/playlists/"+p.ID+"/tracks/move", e.alice, `{"entry_ids":["`+first+`"],"position":3}`)
	e.must(200, &c, "DELETE", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"entry_ids":["`+second+`"]}`, "If-Match", `"4"`)
	if got := e.tracks(p.ID); got != "rel-1-d2t02 rel-1-d2t01 rel-1-d1t01" {
		t.Fatalf("after move and remove: %s", got)
	}

	// A stale If-Match is 409 with the current version, and changes nothing.
	code, h, body := e.do("PATCH", "/api/v1/playlists/"+p.ID, e.alice, `{"name":"New"}`, "If-Match", `"2"`)
	var eb errorBody
	json.Unmarshal(body, &eb)
	if code != 409 || eb.Error.CurrentVersion == nil || *eb.Error.CurrentVersion != 5 || h.Get("ETag") != `"5"` {
		t.Fatalf("stale rename: %d %s ETag %s", code, body, h.Get("ETag"))
	}
	e.must(200, &c, "PATCH", "/api/v1/playlists/"+p.ID, e.alice, `{"name":"New","public":true}`, "If-Match", `"5"`)
	if c.Playlist == nil || c.Playlist.Name != "New" || !c.Playlist.Public {
		t.Fatalf("rename: %+v", c)
	}
	e.must(200, &c, "PUT", "/api/v1/playlists/"+p.ID+"/collaborators/"+e.bobID, e.alice, "")
	var mine pageJSON[playlistJSON]
	e.must(200, &mine, "GET", "/api/v1/me/playlists", e.bob, "")
	if mine.Total != 1 || mine.Items[0].ID != p.ID {
		t.Fatalf("bob's playlists: %+v", mine)
	}
	e.must(201, &c, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.bob, `{"track_ids":["rel-1-d1t01"]}`)
	e.must(204, nil, "DELETE", "/api/v1/playlists/"+p.ID, e.alice, "", "If-Match", `"8"`)
	e.must(404, nil, "GET", "/api/v1/playlists/"+p.ID, e.alice, "")
}

// TestCollaborativeExampleHTTP runs the collaborative-editing example through the
// API in both orders: A inserts X after S2, B removes S2, both with the
// version they read; the loser gets 409, re-reads and retries.
func TestCollaborativeExampleHTTP(t *testing.T) {
	for _, aFirst := range []bool{true, false} {
		e := newAPIEnv(t)
		p := e.create(e.alice, `{"name":"Collab"}`)
		e.must(200, nil, "PUT", "/api/v1/playlists/"+p.ID+"/collaborators/"+e.bobID, e.alice, "")
		var c changeJSON
		e.must(201, &c, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01","rel-1-d1t02","rel-1-d2t01","rel-1-d2t02"]}`)
		s2 := c.Entries[1].EntryID
		version := `"3"`
		insert := func() (int, []byte) {
			code, _, b := e.do("POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01"],"after":"`+s2+`"}`,
				"If-Match", version)
			return code, b
		}
		remove := func() (int, []byte) {
			code, _, b := e.do("DELETE", "/api/v1/playlists/"+p.ID+"/tracks", e.bob, `{"entry_ids":["`+s2+`"]}`, "If-Match", version)
			return code, b
		}
		first, second := insert, remove
		if !aFirst {
			first, second = remove, insert
		}
		if code, b := first(); code/100 != 2 {
			t.Fatalf("first edit: %d %s", code, b)
		}
		code, b := second()
		var eb errorBody
		json.Unmarshal(b, &eb)
		if code != 409 || eb.Error.CurrentVersion == nil {
			t.Fatalf("second edit on the old version: %d %s, want 409", code, b)
		}
		version = versionETag(*eb.Error.CurrentVersion)
		if code, b := second(); code/100 != 2 {
			t.Fatalf("retried edit: %d %s", code, b)
		}
		if got, want := e.tracks(p.ID), "rel-1-d1t01 rel-1-d1t01 rel-1-d2t01 rel-1-d2t02"; got != want {
			t.Errorf("A first %v: got [%s], want [%s]", aFirst, got, want)
		}
	}
}

// TestMoveOfRemovedEntryHTTP: bob removes an entry alice then moves
// without If-Match. The move is 409 with a message naming the entry and
// the current version in the body and ETag, as a stale If-Match is, and
// the playlist is as bob left it.
func TestMoveOfRemovedEntryHTTP(t *testing.T) {
	e := newAPIEnv(t)
	p := e.create(e.alice, `{"name":"Moves"}`)
	e.must(200, nil, "PUT", "/api/v1/playlists/"+p.ID+"/collaborators/"+e.bobID, e.alice, "")
	var c changeJSON
	e.must(201, &c, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01","rel-1-d1t02"]}`)
	gone := c.Entries[1].EntryID
	e.must(200, &c, "DELETE", "/api/v1/playlists/"+p.ID+"/tracks", e.bob, `{"entry_ids":["`+gone+`"]}`)
	code, h, b := e.do("POST", "/api/v1/playlists/"+p.ID+"/tracks/move", e.alice, `{"entry_ids":["`+gone+`"],"position":0}`)
	var eb errorBody
	json.Unmarshal(b, &eb)
	if code != 409 || eb.Error.Code != music.ECONFLICT || !strings.Contains(eb.Error.Message, gone) ||
		eb.Error.CurrentVersion == nil || *eb.Error.CurrentVersion != c.Version || h.Get("ETag") != versionETag(c.Version) {
		t.Fatalf("move of a removed entry: %d %s ETag %s, want 409 naming %s at version %d", code, b, h.Get("ETag"), gone, c.Version)
	}
	var pl playlistJSON
	e.must(200, &pl, "GET", "/api/v1/playlists/"+p.ID, e.alice, "")
	if pl.Version != c.Version || e.tracks(p.ID) != "rel-1-d1t01" {
		t.Errorf("after the refused move: version %d (want %d), tracks %s", pl.Version, c.Version, e.tracks(p.ID))
	}
}

// TestSecurity checks that each refused request gets its status and
// leaves the playlist and library exactly as they were.
func TestSecurity(t *testing.T) {
	e := newAPIEnv(t)
	priv := e.create(e.alice, `{"name":"Private"}`)
	pub := e.create(e.alice, `{"name":"Public","public":true}`)
	for _, id := range []string{priv.ID, pub.ID} {
		e.must(201, nil, "POST", "/api/v1/playlists/"+id+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01"]}`)
	}
	huge := `{"name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`
	tests := []struct {
		name, method, path, token, body string
		hdr                             []string
		want                            int
		msg                             string // part of the error message
	}{
		{"edit a playlist you don't own", "POST", "/api/v1/playlists/" + pub.ID + "/tracks", e.bob, `{"track_ids":["rel-1-d1t02"]}`, nil, 403, "owner and collaborators"},
		{"remove from a playlist you don't own", "DELETE", "/api/v1/playlists/" + pub.ID + "/tracks", e.bob, `{"entry_ids":["x"]}`, nil, 403, ""},
		{"rename a playlist you don't own", "PATCH", "/api/v1/playlists/" + pub.ID, e.bob, `{"name":"mine"}`, nil, 403, "owner"},
		{"delete a playlist you don't own", "DELETE", "/api/v1/playlists/" + pub.ID, e.bob, "", nil, 403, ""},
		{"make yourself a collaborator", "PUT", "/api/v1/playlists/" + pub.ID + "/collaborators/" + e.bobID, e.bob, "", nil, 403, ""},
		{"read a private playlist", "GET", "/api/v1/playlists/" + priv.ID, e.bob, "", nil, 403, "private"},
		{"read a private playlist's tracks", "GET", "/api/v1/playlists/" + priv.ID + "/tracks", e.bob, "", nil, 403, "private"},
		{"watch a private playlist", "GET", "/api/v1/playlists/" + priv.ID + "/events", e.bob, "", nil, 403, "private"},
		{"read a private playlist's changes", "GET", "/api/v1/playlists/" + priv.ID + "/changes?since=0", e.bob, "", nil, 403, "private"},
		{"changes of an unknown playlist", "GET", "/api/v1/playlists/pl_nope/changes?since=0", e.alice, "", nil, 404, "pl_nope"},
		{"changes with no token", "GET", "/api/v1/playlists/" + pub.ID + "/changes?since=0", "", "", nil, 401, "bearer"},
		{"changes without since", "GET", "/api/v1/playlists/" + priv.ID + "/changes", e.alice, "", nil, 400, "since: required"},
		{"changes with a bad since", "GET", "/api/v1/playlists/" + priv.ID + "/changes?since=-1", e.alice, "", nil, 400, `since "-1"`},
		{"changes with a bad limit", "GET", "/api/v1/playlists/" + priv.ID + "/changes?since=0&limit=501", e.alice, "", nil, 400, `limit "501"`},
		{"changes since a version ahead", "GET", "/api/v1/playlists/" + priv.ID + "/changes?since=99", e.alice, "", nil, 410, "read the whole playlist"},
		{"no token", "POST", "/api/v1/playlists/" + priv.ID + "/tracks", "", `{"track_ids":["rel-1-d1t02"]}`, nil, 401, "bearer"},
		{"token of the wrong role", "POST", "/api/v1/playlists/" + priv.ID + "/tracks", e.lbl, `{"track_ids":["rel-1-d1t02"]}`, nil, 403, "listener"},
		{"wrong role reads the library", "GET", "/api/v1/me/library/tracks", e.lbl, "", nil, 403, "listener"},
		{"oversized body", "PATCH", "/api/v1/playlists/" + priv.ID, e.alice, huge, nil, 400, "over 65536 bytes"},
		{"malformed body", "POST", "/api/v1/playlists/" + priv.ID + "/tracks", e.alice, `{"track_ids":["a",}`, nil, 400, "malformed JSON at byte"},
		{"unknown field", "POST", "/api/v1/playlists/" + priv.ID + "/tracks", e.alice, `{"track_ids":["rel-1-d1t02"],"positon":0}`, nil, 400, `unknown field "positon"`},
		{"wrong type", "PATCH", "/api/v1/playlists/" + priv.ID, e.alice, `{"public":"yes"}`, nil, 400, "field public: want bool"},
		{"two JSON values", "PATCH", "/api/v1/playlists/" + priv.ID, e.alice, `{"name":"a"}{"name":"b"}`, nil, 400, "more than one JSON value"},
		{"empty body", "POST", "/api/v1/playlists/" + priv.ID + "/tracks/move", e.alice, "", nil, 400, "empty"},
		{"track not visible here", "POST", "/api/v1/playlists/" + priv.ID + "/tracks", e.alice, `{"track_ids":["rel-2-d1t01"]}`, nil, 422, `track_ids[0]: no track "rel-2-d1t01"`},
		{"unknown entry", "DELETE", "/api/v1/playlists/" + priv.ID + "/tracks", e.alice, `{"entry_ids":["ent_nope"]}`, nil, 422, "ent_nope"},
		{"malformed If-Match", "DELETE", "/api/v1/playlists/" + priv.ID, e.alice, "", []string{"If-Match", "yesterday"}, 400, "If-Match"},
		{"bad limit", "GET", "/api/v1/playlists/" + priv.ID + "/tracks?limit=1000", e.alice, "", nil, 400, "limit"},
		{"save an invisible album", "PUT", "/api/v1/me/library/albums", e.alice, `{"ids":["rel-3"]}`, nil, 422, `ids[0]: no album "rel-3"`},
		{"unknown library kind", "PUT", "/api/v1/me/library/podcasts", e.alice, `{"ids":["x"]}`, nil, 404, "podcasts"},
	}
	before := func() string { return e.tracks(priv.ID) + "|" + e.tracks(pub.ID) }
	snapshot := before()
	var p1, p2 playlistJSON
	e.must(200, &p1, "GET", "/api/v1/playlists/"+priv.ID, e.alice, "")
	e.must(200, &p2, "GET", "/api/v1/playlists/"+pub.ID, e.alice, "")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := e.do(tc.method, tc.path, tc.token, tc.body, tc.hdr...)
			var eb errorBody
			if err := json.Unmarshal(body, &eb); err != nil || code != tc.want || !strings.Contains(eb.Error.Message, tc.msg) || eb.Error.Code == "" {
				t.Errorf("status %d body %.300s; want %d with a message containing %q", code, body, tc.want, tc.msg)
			}
		})
	}
	var q1, q2 playlistJSON
	e.must(200, &q1, "GET", "/api/v1/playlists/"+priv.ID, e.alice, "")
	e.must(200, &q2, "GET", "/api/v1/playlists/"+pub.ID, e.alice, "")
	if before() != snapshot || q1.Version != p1.Version || q2.Version != p2.Version || q1.Name != p1.Name || q2.Name != p2.Name || len(q2.Collaborators) != 0 {
		t.Errorf("refused requests changed state: %s vs %s, versions %d/%d vs %d/%d", before(), snapshot, q1.Version, q2.Version, p1.Version, p2.Version)
	}
	var lib pageJSON[libraryItemJSON]
	e.must(200, &lib, "GET", "/api/v1/me/library/albums", e.alice, "")
	if lib.Total != 0 {
		t.Errorf("refused save left %d albums", lib.Total)
	}
}

func TestRateLimit(t *testing.T) {
	e := newAPIEnv(t)
	now := catalogNow
	e.s.Now = func() time.Time { return now }
	lim := NewMemoryLimiter(music.Rate{PerSecond: 2, Burst: 3})
	lim.Now = func() time.Time { return now }
	e.s.SetRateLimiter(LimitAPI, lim)
	for i := 0; i < 3; i++ {
		e.must(200, nil, "GET", "/api/v1/me/playlists", e.alice, "")
	}
	code, h, body := e.do("GET", "/api/v1/me/playlists", e.alice, "")
	if code != 429 || h.Get("Retry-After") != "1" || !strings.Contains(string(body), music.ERATELIMIT) {
		t.Fatalf("4th request: %d Retry-After %q %s", code, h.Get("Retry-After"), body)
	}
	// Per token: bob is not throttled by alice's burst.
	e.must(200, nil, "GET", "/api/v1/me/playlists", e.bob, "")
	now = now.Add(500 * time.Millisecond)
	e.must(200, nil, "GET", "/api/v1/me/playlists", e.alice, "")
}

func TestIdempotencyKey(t *testing.T) {
	e := newAPIEnv(t)
	var a, b playlistJSON
	e.must(201, &a, "POST", "/api/v1/playlists", e.alice, `{"name":"Once"}`, IdempotencyHeader, "k1")
	h := e.must(201, &b, "POST", "/api/v1/playlists", e.alice, `{"name":"Once"}`, IdempotencyHeader, "k1")
	if a.ID != b.ID || h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay made %s then %s (replayed %q)", a.ID, b.ID, h.Get("Idempotent-Replayed"))
	}
	e.must(422, nil, "POST", "/api/v1/playlists", e.alice, `{"name":"Other"}`, IdempotencyHeader, "k1")
	// Keys are per user: bob's k1 is his own.
	var c playlistJSON
	e.must(201, &c, "POST", "/api/v1/playlists", e.bob, `{"name":"Once"}`, IdempotencyHeader, "k1")
	var mine pageJSON[playlistJSON]
	e.must(200, &mine, "GET", "/api/v1/me/playlists", e.alice, "")
	if mine.Total != 1 || c.ID == a.ID {
		t.Errorf("alice has %d playlists, want 1; bob's %s", mine.Total, c.ID)
	}
	// Adding tracks twice with one key adds them once.
	for i := 0; i < 2; i++ {
		e.must(201, nil, "POST", "/api/v1/playlists/"+a.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01"]}`, IdempotencyHeader, "add-1")
	}
	if got := e.tracks(a.ID); got != "rel-1-d1t01" {
		t.Errorf("tracks after a replayed add: %s", got)
	}
}

func TestLibraryAPI(t *testing.T) {
	e := newAPIEnv(t)
	tick := catalogNow
	e.st.Now = func() time.Time { tick = tick.Add(time.Second); return tick }
	e.must(204, nil, "PUT", "/api/v1/me/library/tracks", e.alice, `{"ids":["rel-1-d1t01"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/library/tracks", e.alice, `{"ids":["rel-1-d2t01"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/library/albums", e.alice, `{"ids":["rel-1"]}`)
	e.must(204, nil, "PUT", "/api/v1/me/library/artists", e.alice, `{"ids":["art-main"]}`)
	var lib pageJSON[libraryItemJSON]
	e.must(200, &lib, "GET", "/api/v1/me/library/tracks?limit=1", e.alice, "")
	if lib.Total != 2 || len(lib.Items) != 1 || lib.Items[0].ID != "rel-1-d2t01" {
		t.Fatalf("newest track first: %+v", lib)
	}
	e.must(200, &lib, "GET", "/api/v1/me/library/tracks?offset=1", e.alice, "")
	if len(lib.Items) != 1 || lib.Items[0].ID != "rel-1-d1t01" {
		t.Fatalf("second page: %+v", lib)
	}
	e.must(204, nil, "DELETE", "/api/v1/me/library/tracks", e.alice, `{"ids":["rel-1-d2t01"]}`)
	e.must(200, &lib, "GET", "/api/v1/me/library/tracks", e.alice, "")
	if lib.Total != 1 {
		t.Errorf("after remove: %+v", lib)
	}
	e.must(200, &lib, "GET", "/api/v1/me/library/tracks", e.bob, "")
	if lib.Total != 0 {
		t.Errorf("bob sees alice's library: %+v", lib)
	}
}

// TestPlaylistEvents watches a playlist over SSE while its owner edits it.
func TestPlaylistEvents(t *testing.T) {
	e := newAPIEnv(t)
	p := e.create(e.alice, `{"name":"Live","public":true}`)
	ts := httptest.NewServer(e.s.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/playlists/"+p.ID+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+e.bob)
	res, err := testHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(res.Body)
		var ev []string
		for sc.Scan() {
			if sc.Text() == "" {
				events <- strings.Join(ev, "\n")
				ev = nil
				continue
			}
			ev = append(ev, sc.Text())
		}
		close(events)
	}()
	next := func() string {
		t.Helper()
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatal("stream ended")
				}
				if strings.HasPrefix(ev, ":") {
					continue // comment
				}
				return ev
			case <-time.After(5 * time.Second):
				t.Fatal("no event within 5 s")
			}
		}
	}
	e.must(201, nil, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01","rel-1-d1t02"]}`)
	ev := next()
	if !strings.HasPrefix(ev, "id: 2\nevent: change\ndata: ") {
		t.Fatalf("first event %q", ev)
	}
	var c changeJSON
	json.Unmarshal([]byte(ev[strings.Index(ev, "data: ")+6:]), &c)
	if c.Kind != music.EditAdd || len(c.Entries) != 2 || c.Entries[1].TrackID != "rel-1-d1t02" || c.After == nil || *c.After != "" {
		t.Fatalf("add event %+v", c)
	}
	e.must(200, nil, "PATCH", "/api/v1/playlists/"+p.ID, e.alice, `{"name":"Live 2"}`)
	if ev := next(); !strings.Contains(ev, `"kind":"update"`) || !strings.Contains(ev, `"name":"Live 2"`) {
		t.Fatalf("update event %q", ev)
	}
	e.must(204, nil, "DELETE", "/api/v1/playlists/"+p.ID, e.alice, "")
	if ev := next(); !strings.HasPrefix(ev, "event: deleted") {
		t.Fatalf("delete event %q", ev)
	}
}

// TestPlaylistChanges: the bounded read of the change log pages through
// it, says when more remain, and is 410 for a version the log no longer
// reaches back to.
func TestPlaylistChanges(t *testing.T) {
	e := newAPIEnv(t)
	p := e.create(e.alice, `{"name":"Synced","public":true}`) // version 1
	var add changeJSON
	e.must(201, &add, "POST", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"track_ids":["rel-1-d1t01","rel-1-d1t02"]}`)   // 2
	e.must(200, nil, "DELETE", "/api/v1/playlists/"+p.ID+"/tracks", e.alice, `{"entry_ids":["`+add.Entries[0].EntryID+`"]}`) // 3
	e.must(200, nil, "PATCH", "/api/v1/playlists/"+p.ID, e.alice, `{"name":"Synced 2"}`)                                     // 4
	read := func(q string) changesPageJSON {
		t.Helper()
		var page changesPageJSON
		e.must(200, &page, "GET", "/api/v1/playlists/"+p.ID+"/changes?"+q, e.bob, "") // a reader, not an editor
		return page
	}
	kinds := func(page changesPageJSON) string {
		var out []string
		for _, c := range page.Changes {
			out = append(out, strconv.FormatInt(c.Version, 10)+c.Kind)
		}
		return strings.Join(out, " ")
	}
	if page := read("since=1&limit=2"); kinds(page) != "2add 3remove" || page.Version != 4 || !page.More ||
		page.Changes[0].Entries[1].TrackID != "rel-1-d1t02" || page.Changes[1].Removed[0] != add.Entries[0].EntryID {
		t.Fatalf("first page: %+v", page)
	}
	if page := read("since=3&limit=2"); kinds(page) != "4update" || page.Version != 4 || page.More {
		t.Fatalf("last page: %+v", page)
	}
	if page := read("since=4"); kinds(page) != "" || page.Version != 4 || page.More || page.Changes == nil {
		t.Fatalf("nothing new: %+v", page)
	}
	if page := read("since=0"); kinds(page) != "1create 2add 3remove 4update" || page.More {
		t.Fatalf("the whole log: %+v", page)
	}
	// The log trimmed up to version 2: from 2 on it still answers, from
	// before it the client is told to read the whole playlist.
	if _, err := e.st.DB().Exec("DELETE FROM playlist_changes WHERE playlist_id = ? AND version <= 2", p.ID); err != nil {
		t.Fatal(err)
	}
	if page := read("since=2"); kinds(page) != "3remove 4update" {
		t.Fatalf("since 2 after the trim: %+v", page)
	}
	code, _, body := e.do("GET", "/api/v1/playlists/"+p.ID+"/changes?since=1", e.bob, "")
	var eb errorBody
	if json.Unmarshal(body, &eb); code != 410 || eb.Error.Code != music.EGONE || !strings.Contains(eb.Error.Message, "no longer reaches back") {
		t.Fatalf("since 1 after the trim: %d %s", code, body)
	}
}
