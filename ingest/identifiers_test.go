package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestNormalizeISRC(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"JPTO09404900", "JPTO09404900", ""},
		{"GB-AYC-17-00598", "GBAYC1700598", ""},
		{"gbayc1700598", "GBAYC1700598", ""},
		{" USRC17607839 ", "USRC17607839", ""},
		{"QZES72600001", "QZES72600001", ""},
		{"", "", "want 12 characters"},
		{"USRC1760783", "", "want 12 characters"},
		{"USRC176078390", "", "want 12 characters"},
		{"1SRC17607839", "", "country code"},
		{"US-R_-17-607839", "", "registrant code"},
		{"USR_17607839", "", "registrant code"},
		{"USRC1760783X", "", "designation"},
		{"USRC1A607839", "", "designation"},
		{"USRCA7607839", "USRCA7607839", ""}, // letters allowed up to character 5
		{"ÜSRC17607839", "", ""},             // non-ASCII: rejected, message varies
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeISRC(tt.in)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("NormalizeISRC(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				if !ValidISRC(tt.in) {
					t.Fatalf("ValidISRC(%q) = false", tt.in)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("NormalizeISRC(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.err)
			}
			if ValidISRC(tt.in) {
				t.Fatalf("ValidISRC(%q) = true", tt.in)
			}
		})
	}
}

func TestNormalizeICPN(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"00094631432057", "00094631432057", ""}, // GTIN-14 from 1_Audio.xml
		{"190295810726", "00190295810726", ""},   // UPC-A from 4_SimpleAudioSingle.xml
		{"4006381333931", "04006381333931", ""},  // EAN-13 (GS1 example)
		{"036000291452", "00036000291452", ""},   // UPC-A (GS1 example)
		{"195999000015", "00195999000015", ""},   // our fixture
		{"195999000016", "", "check digit is 6, expected 5"},
		{"123123123123", "", "check digit is 3, expected 5"},   // 8_DjMix.xml
		{"05099907138655", "", "check digit is 5, expected 2"}, // 3_MixedMedia.xml
		{"12345678", "", "got 8 characters"},
		{"", "", "got 0 characters"},
		{"19029581072X", "", "only digits"},
		{"000000000000000", "", "got 15 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeICPN(tt.in)
			if tt.want != "" {
				if err != nil || got != tt.want || !ValidICPN(tt.in) {
					t.Fatalf("NormalizeICPN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) || ValidICPN(tt.in) {
				t.Fatalf("NormalizeICPN(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.err)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"PT2M28S", 148 * time.Second, true},
		{"PT4M23.583S", 4*time.Minute + 23583*time.Millisecond, true},
		{"PT1H2M21S", time.Hour + 2*time.Minute + 21*time.Second, true},
		{"PT1M", time.Minute, true},
		{"PT0M3.000S", 3 * time.Second, true},
		{"P1DT1S", 24*time.Hour + time.Second, true},
		{"PT0,5S", 500 * time.Millisecond, true},
		{"PT1.5M", 90 * time.Second, true},
		{"", 0, false},
		{"P", 0, false},
		{"PT", 0, false},
		{"T3S", 0, false},
		{"PT3", 0, false},
		{"PT3X", 0, false},
		{"P1M", 0, false}, // months have no fixed length
		{"P1Y", 0, false},
		{"PT1.5M3S", 0, false}, // fraction only on the last field
		{"PT.5S", 0, false},
		{"PT1S1S", 0, false}, // fields must not repeat
		{"PT3S1M", 0, false}, // nor go out of order
		{"PTTS", 0, false},
		{"PT-3S", 0, false},
		{"P99999999999DT1S", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseDuration(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if tt.ok && tt.want != 0 && got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanURI(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"resources/a.flac", "resources/a.flac", ""},
		{"a.flac", "a.flac", ""},
		{"resources/./a.flac", "resources/a.flac", ""},
		{"resources/my%20song.flac", "resources/my song.flac", ""},
		{"../a.flac", "", `".." segment`},
		{"resources/../../a.flac", "", `".." segment`},
		{"resources/%2e%2e/%2E%2E/a.flac", "", `".." segment`},
		{"/etc/passwd", "", "absolute path"},
		{"%2Fetc/passwd", "", "absolute path"},
		{"file:///etc/passwd", "", "scheme"},
		{"http://example.com/a.flac", "", "scheme"},
		{"C:/a.flac", "", "drive letter"},
		{`resources\a.flac`, "", "backslash"},
		{`resources%5c..%5ca.flac`, "", "encoded backslash"},
		{"resources/a.flac?x=1", "", "query"},
		{"a%00.flac", "", "control character"},
		{"a%zz.flac", "", "percent-escape"},
		{"resources/", "", "folder"},
		{".", "", "folder"},
		{"", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CleanURI(tt.in)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("CleanURI(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("CleanURI(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.err)
			}
		})
	}
}

func TestStableIDs(t *testing.T) {
	a, err := WorkflowID("PADPIDA2013042401U", "Test1.1")
	if err != nil || a != "ingest:PADPIDA2013042401U:Test1.1" {
		t.Fatalf("WorkflowID = %q, %v", a, err)
	}
	// Escaping keeps distinct pairs distinct even when they contain ':'.
	b1, _ := WorkflowID("A:B", "C")
	b2, _ := WorkflowID("A", "B:C")
	if b1 == b2 {
		t.Fatalf("WorkflowID collision: %q", b1)
	}
	long := strings.Repeat("m", 300)
	h1, _ := WorkflowID("S", long)
	h2, _ := WorkflowID("S", long)
	h3, _ := WorkflowID("S", long+"x")
	if h1 != h2 || h1 == h3 || !strings.HasPrefix(h1, "ingest:sha256:") || len(h1) != len("ingest:sha256:")+64 {
		t.Fatalf("hashed WorkflowID: %q %q %q", h1, h2, h3)
	}
	if _, err := WorkflowID("", "x"); err == nil {
		t.Fatal("WorkflowID with no sender: want error")
	}

	for _, upc := range []string{"190295810726", "0190295810726", "00190295810726"} {
		id, err := ReleaseID(upc)
		if err != nil || id != "rel-00190295810726" {
			t.Fatalf("ReleaseID(%q) = %q, %v", upc, id, err)
		}
	}
	if _, err := ReleaseID("190295810727"); err == nil {
		t.Fatal("ReleaseID with bad check digit: want error")
	}
	for _, isrc := range []string{"GBAYC1700598", "gb-ayc-17-00598"} {
		id, err := TrackID(isrc)
		if err != nil || id != "trk-GBAYC1700598" {
			t.Fatalf("TrackID(%q) = %q, %v", isrc, id, err)
		}
	}
	if _, err := TrackID("GBAYC170059"); err == nil {
		t.Fatal("TrackID with a short ISRC: want error")
	}
	r := &Release{Reference: "R0", GRid: "a10302b0003989564f"}
	if id, err := r.ID(); err != nil || id != "rel-grid-A10302B0003989564F" {
		t.Fatalf("Release.ID by GRid = %q, %v", id, err)
	}
	r.ICPN = "190295810726"
	if id, err := r.ID(); err != nil || id != "rel-00190295810726" {
		t.Fatalf("Release.ID by ICPN = %q, %v", id, err)
	}
	if _, err := (&Release{Reference: "R0"}).ID(); err == nil {
		t.Fatal("Release.ID with no identifier: want error")
	}
}
