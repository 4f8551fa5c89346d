package rss

import (
	"bufio"
	"bytes"
	"encoding/json"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	music "github.com/openmusic/music"
)

// MaxSideFileBytes caps a chapters or transcript file: a three-hour
// episode's transcript with timings is a few hundred kilobytes.
const MaxSideFileBytes = 4 << 20

// chaptersDoc is the Podcasting 2.0 JSON chapters format, as far as the
// service relies on it.
type chaptersDoc struct {
	Version  *string `json:"version"`
	Chapters *[]struct {
		StartTime *float64 `json:"startTime"`
		EndTime   *float64 `json:"endTime"`
		Title     string   `json:"title"`
	} `json:"chapters"`
}

// CheckChapters accepts a JSON chapters file: a version, and chapters
// each with a start time that is not negative and not before the
// previous chapter's. The error (EINVALID) names the chapter and field.
func CheckChapters(data []byte) error {
	var doc chaptersDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return music.Errorf(music.EINVALID, "chapters: not JSON chapters: %v", err)
	}
	if doc.Version == nil || *doc.Version == "" {
		return music.Errorf(music.EINVALID, "chapters: no \"version\"")
	}
	if doc.Chapters == nil {
		return music.Errorf(music.EINVALID, "chapters: no \"chapters\" array")
	}
	prev := 0.0
	for i, c := range *doc.Chapters {
		switch {
		case c.StartTime == nil:
			return music.Errorf(music.EINVALID, "chapters: chapter %d has no startTime", i+1)
		case *c.StartTime < 0 || *c.StartTime < prev:
			return music.Errorf(music.EINVALID, "chapters: chapter %d starts at %g s, before %g s", i+1, *c.StartTime, prev)
		case c.EndTime != nil && *c.EndTime < *c.StartTime:
			return music.Errorf(music.EINVALID, "chapters: chapter %d ends at %g s, before it starts", i+1, *c.EndTime)
		}
		prev = *c.StartTime
	}
	return nil
}

// CheckTranscript accepts a transcript in a format the Podcasting 2.0
// namespace lists, judged by its declared media type: WebVTT must open
// with "WEBVTT", SubRip with a cue number, JSON must parse, and every
// format must be UTF-8. The error (EINVALID) names the problem.
func CheckTranscript(mediaType string, data []byte) error {
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return music.Errorf(music.EINVALID, "transcript: media type %q: %v", mediaType, err)
	}
	if !utf8.Valid(data) {
		return music.Errorf(music.EINVALID, "transcript: not UTF-8")
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	switch mt {
	case "text/vtt":
		if line, _, _ := strings.Cut(text, "\n"); !strings.HasPrefix(strings.TrimRight(line, "\r"), "WEBVTT") {
			return music.Errorf(music.EINVALID, "transcript: a WebVTT file must start with WEBVTT, not %q", firstChars(line))
		}
	case "application/x-subrip", "application/srt", "text/srt":
		sc := bufio.NewScanner(strings.NewReader(text))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				if _, err := strconv.Atoi(line); err != nil {
					return music.Errorf(music.EINVALID, "transcript: a SubRip file must start with a cue number, not %q", firstChars(line))
				}
				break
			}
		}
	case "application/json":
		if !json.Valid(bytes.TrimPrefix(data, []byte("\ufeff"))) {
			return music.Errorf(music.EINVALID, "transcript: not valid JSON")
		}
	case "text/html", "text/plain":
	default:
		return music.Errorf(music.EINVALID, "transcript: media type %q is not one of text/vtt, application/x-subrip, application/json, text/html, text/plain", mt)
	}
	return nil
}

func firstChars(s string) string {
	if len(s) > 40 {
		for i := 40; i > 0; i-- {
			if utf8.RuneStart(s[i]) {
				return s[:i] + "…"
			}
		}
	}
	return s
}
