package rss

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// pubDateLayouts are the RFC 822 dates feeds write, strict and sloppy:
// with and without the weekday, with a numeric zone or a zone name, with
// and without seconds.
var pubDateLayouts = []string{
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	time.RFC3339,
}

// parsePubDate reads an item's pubDate.
func parsePubDate(s string) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range pubDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("pubDate %q is not an RFC 822 date", s)
}

// parseDuration reads itunes:duration: whole seconds ("3600"), or
// "MM:SS" or "HH:MM:SS", with optional fractional seconds.
func parseDuration(s string) (time.Duration, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("itunes:duration %q has more than three fields", s)
	}
	var total float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || (i > 0 && v >= 60) || (i < len(parts)-1 && v != float64(int64(v))) {
			return 0, fmt.Errorf("itunes:duration %q is not seconds or [HH:]MM:SS", s)
		}
		total = total*60 + v
	}
	if total > 1e6 { // 11.5 days: no episode is that long
		return 0, fmt.Errorf("itunes:duration %q is longer than any episode", s)
	}
	return time.Duration(total * float64(time.Second)), nil
}

// parseFlag reads the yes/no values of itunes:explicit and podcast:locked.
func parseFlag(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "explicit":
		return true
	}
	return false
}

// parseCount reads itunes:season and itunes:episode: a positive integer,
// or 0 when absent or unreadable (they only order episodes).
func parseCount(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
