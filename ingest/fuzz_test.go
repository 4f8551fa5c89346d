package ingest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ (go test fuzz v1).
// Run a fuzzer with e.g. go test -run '^$' -fuzz FuzzParse -fuzztime 60s ./ingest

// FuzzParse feeds arbitrary bytes to the message parser and the checks:
// they must never panic, and whatever parses must survive Check and JSON.
func FuzzParse(f *testing.F) {
	f.Add([]byte(ernOpen + `</ern:NewReleaseMessage>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseLimit(bytes.NewReader(data), 1<<20)
		if err != nil {
			if d != nil {
				t.Fatal("Parse returned a delivery and an error")
			}
			return
		}
		ps := Check(d)
		for _, p := range ps {
			if p.Code == "" || p.Message == "" {
				t.Fatalf("problem without code or message: %+v", p)
			}
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("delivery does not marshal: %v", err)
		}
		if d.Release != nil {
			for _, tr := range d.Release.Tracks {
				if tr.Disc < 1 || tr.Number < 1 {
					t.Fatalf("track position %+v not 1-based", tr)
				}
			}
		}
	})
}

// FuzzIdentifiers checks the ISRC and ICPN validators: no panics, and a
// normalized identifier is a fixed point that passes again.
func FuzzIdentifiers(f *testing.F) {
	f.Add("GBAYC1700598")
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := NormalizeISRC(s); err == nil {
			if len(n) != 12 || strings.ToUpper(n) != n {
				t.Fatalf("NormalizeISRC(%q) = %q", s, n)
			}
			if again, err := NormalizeISRC(n); err != nil || again != n {
				t.Fatalf("NormalizeISRC not idempotent on %q: %q, %v", n, again, err)
			}
			if id, err := TrackID(s); err != nil || id != "trk-"+n {
				t.Fatalf("TrackID(%q) = %q, %v", s, id, err)
			}
		}
		if n, err := NormalizeICPN(s); err == nil {
			if len(n) != 14 || gtinCheckDigit(n[:13]) != n[13] {
				t.Fatalf("NormalizeICPN(%q) = %q", s, n)
			}
			if again, err := NormalizeICPN(n); err != nil || again != n {
				t.Fatalf("NormalizeICPN not idempotent on %q: %q, %v", n, again, err)
			}
			// Changing the check digit must break it.
			wrong := n[:13] + string('0'+(n[13]-'0'+1)%10)
			if ValidICPN(wrong) {
				t.Fatalf("ValidICPN(%q) accepted a wrong check digit", wrong)
			}
		}
	})
}

// FuzzParseDuration checks the ISO 8601 duration parser: no panics, no
// negative results.
func FuzzParseDuration(f *testing.F) {
	f.Add("PT4M23.583S")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		if s2, err := parseSeconds(s); err == nil && s2 < 0 {
			t.Fatalf("parseSeconds(%q) = %v", s, s2)
		}
	})
}

// FuzzCleanURI checks that no accepted URI can name a path outside the
// delivery folder.
func FuzzCleanURI(f *testing.F) {
	f.Add("resources/a.flac")
	f.Fuzz(func(t *testing.T, uri string) {
		p, err := CleanURI(uri)
		if err != nil {
			return
		}
		if p == "" || p == "." || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.Contains(strings.SplitN(p, "/", 2)[0], ":") {
			t.Fatalf("CleanURI(%q) = %q", uri, p)
		}
		for _, seg := range strings.Split(p, "/") {
			if seg == ".." || seg == "" {
				t.Fatalf("CleanURI(%q) = %q has segment %q", uri, p, seg)
			}
		}
	})
}
