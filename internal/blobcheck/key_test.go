package blobcheck

import (
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/openmusic/music"
)

func TestKey(t *testing.T) {
	long := strings.Repeat("a", 256)
	tests := []struct {
		key  string
		want string // substring of the error; "" means valid
	}{
		{"a", ""},
		{"renditions/GBAYE0601498/ogg-160.ogg", ""},
		{"a b/ü-ß/x.y", ""},
		{"a.b/c..d", ""},
		{strings.Repeat("a", 255), ""},
		{"", "empty"},
		{"/abs", "absolute"},
		{"a/../b", ".. segment"},
		{"..", ".. segment"},
		{"./a", ". segment"},
		{"a/.", ". segment"},
		{"a/.tmp-1", "starting with ."},
		{"a//b", "empty segment"},
		{"a/", "empty segment"},
		{`a\b`, "backslash"},
		{`..\..\etc`, "backslash"},
		{"a\x00b", "control"},
		{"a\nb", "control"},
		{"a\x7f", "control"},
		{"\xff", "UTF-8"},
		{long, "longer than 255"},
		{strings.Repeat("abcdefgh/", 114), "longer than 1024"},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.key, "/", "|"), func(t *testing.T) {
			err := Key(tt.key)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Key(%q) = %v, want valid", tt.key, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Key(%q) = nil, want error containing %q", tt.key, tt.want)
			}
			if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Key(%q) = %v (code %s), want EINVALID containing %q", tt.key, err, music.ErrorCode(err), tt.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	for _, p := range []string{"", "a", "a/", "a/b", "a/b/", "re"} {
		if err := Prefix(p); err != nil {
			t.Errorf("Prefix(%q) = %v, want valid", p, err)
		}
	}
	for _, p := range []string{"/", "/a", "a//", "../", "a/../", `a\`, ".tmp"} {
		if err := Prefix(p); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("Prefix(%q) = %v, want EINVALID", p, err)
		}
	}
}

// FuzzKey checks the validator against properties stated with the standard
// library: an accepted key is a clean, local, relative path on every OS we
// care about, made only of non-empty segments.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"a", "a/b", "../x", "a//b", `a\b`, "/a", "a/.", ".x", "a\x00", "\xff", "é/ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := Key(key)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("Key(%q) code %s, want EINVALID", key, music.ErrorCode(err))
			}
			return
		}
		if !utf8.ValidString(key) || len(key) > MaxKeyLen {
			t.Fatalf("accepted %q: bad UTF-8 or too long", key)
		}
		if !filepath.IsLocal(key) || path.Clean(key) != key || filepath.Clean(key) != key {
			t.Fatalf("accepted %q, which is not a clean local path", key)
		}
		if strings.ContainsAny(key, "\\\x00") {
			t.Fatalf("accepted %q with a backslash or NUL", key)
		}
		for _, seg := range strings.Split(key, "/") {
			if seg == "" || seg[0] == '.' {
				t.Fatalf("accepted %q with segment %q", key, seg)
			}
		}
		if Prefix(key) != nil || Prefix(key+"/") != nil {
			t.Fatalf("valid key %q is not a valid prefix", key)
		}
	})
}
