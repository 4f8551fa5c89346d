package xmlsafe

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestScanRefusesUnsafeXML(t *testing.T) {
	tests := []struct{ name, xml, err string }{
		{"external entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, "line 1: DOCTYPE"},
		{"entity bomb", `<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>`, "DOCTYPE"},
		{"DOCTYPE on line 3", "<!-- a -->\n\n<!DOCTYPE r>\n<r/>", "line 3: DOCTYPE"},
		{"undeclared entity", `<r>&x;</r>`, "malformed XML"},
		{"unclosed", `<r><a>`, "malformed XML"},
		{"mismatched", `<r><a></b></r>`, "malformed XML"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, "malformed XML"},
		{"two roots", "<r/>\n<r/>", "line 2: second root element <r>"},
		{"text after root", `<r/>junk`, "text outside"},
		{"empty", ``, "no root element"},
		{"only a comment", `<!-- nothing -->`, "no root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := Scan([]byte(tt.xml))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Scan = %v, %v; want an error containing %q", root, err, tt.err)
			}
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("error code %q, want %q", music.ErrorCode(err), music.EINVALID)
			}
		})
	}
}

func TestScanReturnsTheRoot(t *testing.T) {
	root, err := Scan([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><itunes:author>A</itunes:author></channel></rss>
`))
	if err != nil {
		t.Fatal(err)
	}
	if root.Local != "rss" || root.Space != "" {
		t.Fatalf("root = %+v, want rss with no namespace", root)
	}
}

func TestReadLimited(t *testing.T) {
	doc := strings.Repeat("x", 100)
	if buf, err := ReadLimited(strings.NewReader(doc), 100, "feed"); err != nil || len(buf) != 100 {
		t.Fatalf("exactly the limit: %d bytes, %v", len(buf), err)
	}
	_, err := ReadLimited(strings.NewReader(doc), 99, "feed")
	if err == nil || !strings.Contains(err.Error(), "feed is larger than the 99-byte limit") || music.ErrorCode(err) != music.EINVALID {
		t.Fatalf("one byte over: %v", err)
	}
}

// FuzzScan checks that no input panics the scanner and that an accepted
// document always has a root and no DOCTYPE, DTD or ENTITY declaration.
func FuzzScan(f *testing.F) {
	for _, s := range []string{`<r/>`, `<!DOCTYPE r><r/>`, `<a><b>t</b></a>`, `<r>&amp;</r>`, "\xef\xbb\xbf<r/>", ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		root, err := Scan(doc)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("error without the invalid code: %v", err)
			}
			return
		}
		if root.Local == "" {
			t.Fatalf("accepted %q with an empty root", doc)
		}
		d := xml.NewDecoder(bytes.NewReader(doc))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if _, ok := tok.(xml.Directive); ok {
				t.Fatalf("accepted a declaration: %q", doc)
			}
		}
	})
}
