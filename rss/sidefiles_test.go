package rss

import (
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestCheckChapters(t *testing.T) {
	for _, tc := range []struct {
		doc, want string // want: "" accepted, else part of the error
	}{
		{`{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":61.5,"endTime":90,"title":"Talk"}]}`, ""},
		{`{"version":"1.2.0","chapters":[]}`, ""},
		{`not json`, "not JSON chapters"},
		{`{"chapters":[]}`, `no "version"`},
		{`{"version":"1.2.0"}`, `no "chapters" array`},
		{`{"version":"1.2.0","chapters":[{"title":"x"}]}`, "chapter 1 has no startTime"},
		{`{"version":"1.2.0","chapters":[{"startTime":-1}]}`, "chapter 1 starts at -1 s"},
		{`{"version":"1.2.0","chapters":[{"startTime":10},{"startTime":5}]}`, "chapter 2 starts at 5 s, before 10 s"},
		{`{"version":"1.2.0","chapters":[{"startTime":10,"endTime":3}]}`, "chapter 1 ends at 3 s"},
	} {
		err := CheckChapters([]byte(tc.doc))
		checkSideFileError(t, tc.doc, err, tc.want)
	}
}

func TestCheckTranscript(t *testing.T) {
	for _, tc := range []struct {
		mediaType, doc, want string
	}{
		{"text/vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n", ""},
		{"text/vtt; charset=utf-8", "\ufeffWEBVTT - the show\r\n", ""},
		{"text/vtt", "1\n00:00:00,000 --> 00:00:02,000\nHello\n", "must start with WEBVTT"},
		{"application/x-subrip", "\n1\n00:00:00,000 --> 00:00:02,000\nHello\n", ""},
		{"application/srt", "Hello\n", "must start with a cue number"},
		{"application/json", `{"version":"1.0.0","segments":[]}`, ""},
		{"application/json", `{"segments":`, "not valid JSON"},
		{"text/html", "<p>Hello</p>", ""},
		{"text/plain", "Hello \xff", "not UTF-8"},
		{"audio/mpeg", "ID3", `media type "audio/mpeg" is not one of`},
		{"", "x", "media type"},
	} {
		err := CheckTranscript(tc.mediaType, []byte(tc.doc))
		checkSideFileError(t, tc.mediaType+" "+tc.doc, err, tc.want)
	}
}

func checkSideFileError(t *testing.T, what string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%q refused: %v", what, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%q: %v, want an error with %q", what, err, want)
	case err != nil && music.ErrorCode(err) != music.EINVALID:
		t.Errorf("%q: %v, want code %s", what, err, music.EINVALID)
	}
}

// FuzzSideFiles: no chapters or transcript file panics the checks, and
// every refusal is EINVALID.
func FuzzSideFiles(f *testing.F) {
	f.Add("text/vtt", []byte("WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n"))
	f.Add("application/json", []byte(`{"version":"1.2.0","chapters":[{"startTime":0}]}`))
	f.Add("application/x-subrip", []byte("1\n00:00:00,000 --> 00:00:01,000\nhi\n"))
	f.Fuzz(func(t *testing.T, mediaType string, doc []byte) {
		for _, err := range []error{CheckChapters(doc), CheckTranscript(mediaType, doc)} {
			if err != nil && music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("refusal without the invalid code: %v", err)
			}
		}
	})
}
