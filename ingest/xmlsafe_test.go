package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

const ernOpen = `<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">`

func TestParseRejectsUnsafeXML(t *testing.T) {
	tests := []struct {
		name, xml, err string
	}{
		{"external entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + ernOpen + `<MessageHeader><MessageId>&x;</MessageId></MessageHeader></ern:NewReleaseMessage>`, "DOCTYPE"},
		{"entity expansion bomb", `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` + ernOpen + `&b;</ern:NewReleaseMessage>`, "DOCTYPE"},
		{"external DTD", `<!DOCTYPE ern:NewReleaseMessage SYSTEM "http://example.com/ern.dtd">` + ernOpen + `</ern:NewReleaseMessage>`, "DOCTYPE"},
		{"DOCTYPE after comment", `<!-- hi --><!DOCTYPE x>` + ernOpen + `</ern:NewReleaseMessage>`, "DOCTYPE"},
		{"undeclared entity", ernOpen + `<MessageHeader><MessageId>&x;</MessageId></MessageHeader></ern:NewReleaseMessage>`, "malformed XML"},
		{"other ERN version", `<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/382"></ern:NewReleaseMessage>`, "not ERN 4.3"},
		{"no namespace", `<NewReleaseMessage></NewReleaseMessage>`, "not ERN 4.3"},
		{"other root", `<ern:CatalogListMessage xmlns:ern="http://ddex.net/xml/ern/43"/>`, "not a NewReleaseMessage"},
		{"unclosed", ernOpen + `<MessageHeader>`, "malformed XML"},
		{"mismatched", ernOpen + `<A></B></ern:NewReleaseMessage>`, "malformed XML"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?>` + ernOpen + `</ern:NewReleaseMessage>`, "malformed XML"},
		{"two roots", ernOpen + `</ern:NewReleaseMessage>` + ernOpen + `</ern:NewReleaseMessage>`, "second root"},
		{"text after root", ernOpen + `</ern:NewReleaseMessage>junk`, "text outside"},
		{"empty", ``, "no root element"},
		{"not xml", `{"json": true}`, "text outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(strings.NewReader(tt.xml))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Parse = %+v, %v; want error containing %q", d, err, tt.err)
			}
			if code := music.ErrorCode(err); code != music.EINVALID && code != music.EUNSUPPORTED {
				t.Fatalf("error code %q, want invalid or unsupported", code)
			}
		})
	}
}

func TestParseSizeLimit(t *testing.T) {
	msg, err := os.ReadFile("testdata/good/" + goodUPC + ".xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseLimit(bytes.NewReader(msg), int64(len(msg))); err != nil {
		t.Fatalf("message of exactly the limit: %v", err)
	}
	if _, err := ParseLimit(bytes.NewReader(msg), int64(len(msg)-1)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("message one byte over the limit: %v", err)
	}
}

// countingReader counts the bytes a parser pulls from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestHugeMessage builds a 50 MB message (well-formed, full of parties)
// and checks it is refused without being read whole, by Parse, ParseFile
// and Validate alike.
func TestHugeMessage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "huge.xml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	const size = 50 << 20
	fmt.Fprintf(f, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+ernOpen+"<PartyList>\n")
	party := []byte(strings.Repeat(`<Party><PartyReference>P</PartyReference><PartyName><FullName>Padding Artist</FullName></PartyName></Party>`+"\n", 64))
	written := int64(0)
	for written < size {
		n, err := f.Write(party)
		if err != nil {
			t.Fatal(err)
		}
		written += int64(n)
	}
	fmt.Fprintf(f, "</PartyList></ern:NewReleaseMessage>\n")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cr := &countingReader{r: in}
	if _, err := Parse(cr); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("Parse(50 MB) = %v, want size-limit error", err)
	}
	if cr.n > DefaultMaxMessageSize+1 {
		t.Fatalf("Parse read %d bytes of a 50 MB message; the cap is %d", cr.n, DefaultMaxMessageSize)
	}

	if _, err := ParseFile(context.Background(), path, DefaultMaxMessageSize); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("ParseFile(50 MB) = %v, want size-limit error", err)
	}

	rep := validate(t, nil, dir)
	checkProblems(t, rep.Problems, []want{{ProblemXML, "huge.xml", ""}})
	if !strings.Contains(rep.Problems[0].Message, "limit") {
		t.Fatalf("problem %q does not mention the limit", rep.Problems[0].Message)
	}
}

func TestParsePurgeRelease(t *testing.T) {
	f, err := os.Open("testdata/messages/purge.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindPurgeRelease || d.Header.MessageID != "OMTEST-195999000015-2" || d.Header.SenderID != "PADPIDA2026112701X" ||
		len(d.Purged) != 1 || d.Purged[0].ICPN != "195999000015" || d.Purged[0].Title != "Two Sines" || d.Release != nil {
		t.Fatalf("purge = %+v", d)
	}
	checkProblems(t, Check(d), nil)
	// The purge and the release it withdraws agree on the release ID.
	id, err := ReleaseID(d.Purged[0].ICPN)
	if err != nil || id != "rel-00195999000015" {
		t.Fatalf("ReleaseID = %q, %v", id, err)
	}
	bad := strings.Replace(mustRead(t, "testdata/messages/purge.xml"), "<ICPN>195999000015</ICPN>", "<ICPN>195999000016</ICPN>", 1)
	d, err = Parse(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, Check(d), []want{{ProblemICPN, "", "/PurgeReleaseMessage/PurgedRelease[1]/ReleaseId/ICPN"}})
}

func TestVideoOnlyRejected(t *testing.T) {
	for _, name := range []string{"2_Video", "5_SimpleVideoSingle", "7_LongformMusicalWorkVideo"} {
		t.Run(name, func(t *testing.T) {
			d, err := Parse(strings.NewReader(mustRead(t, "testdata/ern43/"+name+".xml")))
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(d)
			if !ps.Has(ProblemVideoOnly) || !strings.Contains(ps.Err().Error(), "video-only release") {
				t.Fatalf("problems %v: want a video-only rejection", ps)
			}
		})
	}
	// A release with audio and video (3_MixedMedia) is not video-only.
	d, err := Parse(strings.NewReader(mustRead(t, "testdata/ern43/3_MixedMedia.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if Check(d).Has(ProblemVideoOnly) {
		t.Fatal("mixed-media release flagged as video-only")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
