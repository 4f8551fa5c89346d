package serving

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/sqlstore"
)

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer mt_abc", "mt_abc", true},
		{"bearer mt_abc", "mt_abc", true},
		{"BEARER   mt_abc  ", "mt_abc", true},
		{"", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Basic mt_abc", "", false},
		{"mt_abc", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Authorization", tc.header)
			got, ok := bearerToken(r)
			if got != tc.want || ok != tc.ok {
				t.Errorf("bearerToken(%q) = %q, %t; want %q, %t", tc.header, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// FuzzBearerToken: any header value parses without panicking, a token is
// never empty or padded, and a well-formed header gives its token back.
func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer mt_abc", "bearer  x ", "Basic abc", "", "Bearer\tx", "Bearer \x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Authorization"] = []string{header}
		tok, ok := bearerToken(r)
		if ok && (tok == "" || tok != strings.TrimSpace(tok)) {
			t.Fatalf("bearerToken(%q) = %q", header, tok)
		}
		if !ok && tok != "" {
			t.Fatalf("bearerToken(%q) rejected but returned %q", header, tok)
		}
	})
}

// TestAuthenticate: a valid token puts its user in the context; when the
// user store fails, the caller is not told their token is bad, the
// failure keeps its own (5xx) status.
func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := st.CreateUser(ctx, "bob", music.RoleListener, "FR")
	if err != nil {
		t.Fatal(err)
	}
	var reached *music.User
	h := Authenticate(st, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { reached = UserFrom(r.Context()) }))
	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := do(); rec.Code != 200 || reached == nil || reached.Name != "bob" || reached.Country != "FR" {
		t.Fatalf("valid token: status %d, user in context %+v", rec.Code, reached)
	}
	if UserFrom(context.Background()) != nil {
		t.Fatal("UserFrom outside Authenticate is not nil")
	}

	reached = nil
	st.Close()
	if rec := do(); rec.Code < 500 || reached != nil {
		t.Fatalf("store down: status %d, handler reached %t; want 5xx and not reached: %s", rec.Code, reached != nil, rec.Body)
	}
}
