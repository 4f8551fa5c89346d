package rss

import (
	"os"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func TestParseShow(t *testing.T) {
	f, err := os.Open("testdata/show.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feed, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	want := music.Show{
		GUID: "917393e3-1b1e-5cef-ace4-edaa54e1f810", Title: "Signal & Noise", Author: "The Signal Team",
		Description: "Conversations about <b>sound</b>.", ImageURL: "https://example.org/signal/cover.jpg",
		Language: "en-gb", Locked: true,
	}
	if feed.Show != want {
		t.Errorf("show\n got %+v\nwant %+v", feed.Show, want)
	}
	if len(feed.Episodes) != 3 {
		t.Fatalf("%d episodes, want 3: %+v", len(feed.Episodes), feed.Episodes)
	}
	two := feed.Episodes[0]
	wantTwo := music.Episode{
		GUID: "sn-0002", Title: "Episode two: loudness", Description: "Why -16 LUFS.", Season: 1, Number: 2,
		PublishedAt: time.Date(2026, 11, 10, 6, 0, 0, 0, time.UTC), Duration: 25*time.Minute + 36*time.Second, Explicit: true,
		Enclosure:  music.Enclosure{URL: "https://cdn.example.org/sn-0002.mp3", Type: "audio/mpeg", Length: 24576000},
		Chapters:   music.Link{URL: "https://example.org/sn-0002/chapters.json", Type: "application/json+chapters"},
		Transcript: music.Link{URL: "https://example.org/sn-0002.vtt", Type: "text/vtt"},
	}
	if two != wantTwo {
		t.Errorf("episode two\n got %+v\nwant %+v", two, wantTwo)
	}
	one := feed.Episodes[1]
	if one.Description != "The first one." || one.Duration != time.Hour+2*time.Minute+3*time.Second ||
		!one.PublishedAt.Equal(time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("episode one: %+v", one)
	}
	bonus := feed.Episodes[2]
	if bonus.GUID != "https://cdn.example.org/bonus.ogg" || !bonus.PublishedAt.Equal(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("bonus: %+v", bonus)
	}
	wantProblems := []string{
		`item 3 (line 42, guid "sn-video"): enclosure type "video/mp4" is not audio`,
		`item 4 (line 47, guid "sn-0001"): guid already used by item 2`,
		`item 6 (line 57, guid "sn-bad-date"): pubDate "last Tuesday" is not an RFC 822 date`,
		`item 7 (line 63, guid "sn-file"): enclosure url "file:///etc/passwd" is not an absolute http or https URL`,
	}
	if len(feed.Problems) != len(wantProblems) {
		t.Fatalf("problems: %v", feed.Problems)
	}
	for i, p := range feed.Problems {
		if p.String() != wantProblems[i] {
			t.Errorf("problem %d\n got %s\nwant %s", i, p, wantProblems[i])
		}
	}
}

func TestParseRefusesBrokenFeeds(t *testing.T) {
	const head = `<rss version="2.0"><channel><title>T</title>`
	tests := []struct{ name, feed, err string }{
		{"entity bomb", `<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>`, "DOCTYPE"},
		{"malformed", head + `<item></channel></rss>`, "malformed XML"},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>`, "not <rss>"},
		{"rss 0.91", `<rss version="0.91"><channel><title>T</title></channel></rss>`, `<rss version="0.91"> is not RSS 2.0`},
		{"no channel", `<rss version="2.0"></rss>`, "no <channel>"},
		{"two channels", head + `</channel><channel><title>U</title></channel></rss>`, "second <channel>"},
		{"no title", `<rss version="2.0"><channel><description>d</description></channel></rss>`, "no <title>"},
		{"html page", `<html><body>moved</body></html>`, "not <rss>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Parse(strings.NewReader(tt.feed))
			if err == nil || !strings.Contains(err.Error(), tt.err) || music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("Parse = %+v, %v; want an invalid error containing %q", feed, err, tt.err)
			}
		})
	}
}

func TestParseSizeLimit(t *testing.T) {
	feed := `<rss version="2.0"><channel><title>T</title></channel></rss>`
	if _, err := ParseLimit(strings.NewReader(feed), int64(len(feed))); err != nil {
		t.Fatalf("a feed of exactly the limit: %v", err)
	}
	_, err := ParseLimit(strings.NewReader(feed), int64(len(feed)-1))
	if err == nil || !strings.Contains(err.Error(), "feed is larger than") {
		t.Fatalf("one byte over: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"3600": time.Hour, "90:00": 90 * time.Minute, "1:02:03": time.Hour + 2*time.Minute + 3*time.Second,
		"0:30.5": 30500 * time.Millisecond, " 45 ": 45 * time.Second,
	}
	for in, want := range good {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1:2:3:4", "1:60", "-5", "1.5:00", "abc", "99999999"} {
		if got, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestParsePubDate(t *testing.T) {
	want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, in := range []string{
		"Fri, 02 Jan 2026 03:04:05 +0000", "Fri, 2 Jan 2026 04:04:05 +0100", "02 Jan 2026 03:04:05 +0000",
		"Fri, 02 Jan 2026 03:04:05 GMT", "2026-01-02T03:04:05Z", "  Fri,  02 Jan 2026\n03:04:05 +0000",
	} {
		if got, err := parsePubDate(in); err != nil || !got.Equal(want) {
			t.Errorf("parsePubDate(%q) = %v, %v", in, got, err)
		}
	}
}
