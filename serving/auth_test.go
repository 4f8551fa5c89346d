package serving

import (
	"net/http/httptest"
	"strings"
	"testing"
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
