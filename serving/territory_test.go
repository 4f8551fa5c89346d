package serving

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

// getAs answers GET path for a bearer token with an X-Territory header
// (none when territory is "").
func getAs(s *Server, path, token, territory string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if territory != "" {
		req.Header.Set(TerritoryHeader, territory)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// TestListenerCannotChooseTerritory: a listener's territory is their
// account country. rel-2 has a deal for Germany only; a listener in GB
// who claims to be in DE must not see it. Ops may pick any territory.
func TestListenerCannotChooseTerritory(t *testing.T) {
	s, st, listener := newCatalogServerStore(t)
	ops := addUser(t, st, "root", music.RoleOps, "GB")
	label := addUser(t, st, "acme", music.RoleLabel, "GB")
	for _, tc := range []struct {
		name, token, territory string
		want                   int
	}{
		{"listener claims DE", listener, "DE", 404},
		{"listener claims DE in lower case", listener, "de", 404},
		{"label claims DE", label, "DE", 404},
		{"listener at home", listener, "", 404},
		{"ops picks DE", ops, "DE", 200},
		{"ops at home", ops, "", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/albums/rel-2", "/api/v1/tracks/rel-2-d1t01"} {
				if rec := getAs(s, path, tc.token, tc.territory); rec.Code != tc.want {
					t.Errorf("GET %s with %s %q: %d %s, want %d", path, TerritoryHeader, tc.territory, rec.Code, rec.Body, tc.want)
				}
			}
		})
	}
}

// TestStreamURLBindsTerritory: the signed stream URL names the territory
// it was issued for inside the MAC, so it cannot be edited into another
// one, and an edge's country header must agree with it.
func TestStreamURLBindsTerritory(t *testing.T) {
	s, listener := newCatalogServer(t)
	fs := openFileStore(t)
	putAudio(t, fs, "rel-1-d1t01", "160.ogg", 5000)
	s.HandleAudio(fs, AudioOptions{})
	s.GeoHeader = "CF-IPCountry"

	rec := getAs(s, "/api/v1/tracks/rel-1-d1t01", listener, "DE")
	var tr trackJSON
	mustUnmarshal(t, rec.Body.Bytes(), &tr)
	signed := strings.TrimPrefix(tr.StreamURLs["160"], "https://cdn.example.com")
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("t"); got != "GB" {
		t.Fatalf("stream URL %s: territory %q, want the listener's GB (the header is ignored)", signed, got)
	}
	edited := func(f func(url.Values)) string {
		q := u.Query()
		f(q)
		return u.Path + "?" + q.Encode()
	}
	for _, tc := range []struct {
		name, url, geo string
		want           int
	}{
		{"as issued", signed, "", 206},
		{"from the territory it was issued for", signed, "GB", 206},
		{"from another country", signed, "US", 403},
		{"territory edited", edited(func(q url.Values) { q.Set("t", "DE") }), "", 403},
		{"territory removed", edited(func(q url.Values) { q.Del("t") }), "", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.url, nil)
			req.Header.Set("Range", "bytes=0-9")
			if tc.geo != "" {
				req.Header.Set("CF-IPCountry", tc.geo)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("GET %s (geo %q): %d %s, want %d", tc.url, tc.geo, rec.Code, rec.Body, tc.want)
			}
		})
	}
}

// addUser creates an account and returns its token.
func addUser(t testing.TB, users music.UserStore, name, role, country string) string {
	t.Helper()
	_, token, err := users.CreateUser(context.Background(), name, role, country)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
