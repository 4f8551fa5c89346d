package lake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

// Limits applied by Validate. They are generous for real players and
// reject what only a broken or hostile client sends.
const (
	// MaxIDLen bounds every identifier.
	MaxIDLen = 128
	// MaxDuration is the longest plausible single play (a 6 h mix).
	MaxDuration = 6 * time.Hour
	// MaxClockSkew is how far a client clock may run ahead of ours.
	MaxClockSkew = 2 * time.Minute
	// MaxReportAge is how late an offline play may still be reported.
	MaxReportAge = 30 * 24 * time.Hour
)

// ErrTooLate is in the chain of Validate's refusal of a play made longer
// ago than MaxReportAge (errors.Is), so the server can record that refusal
// apart from malformed reports: it is the one a well-behaved offline
// device meets, by staying offline too long.
var ErrTooLate = errors.New("played longer ago than the report window")

// tooLate is that refusal: the domain error the client sees, and ErrTooLate.
type tooLate struct{ err error }

func (e tooLate) Error() string   { return e.err.Error() }
func (e tooLate) Unwrap() []error { return []error{e.err, ErrTooLate} }

// Qualities are the renditions a player can report.
var Qualities = map[string]bool{"24kbps": true, "96kbps": true, "160kbps": true, "320kbps": true}

// Report is the body of POST /api/v1/playback/report.
type Report struct {
	EventID            string    `json:"event_id"`
	TrackID            string    `json:"track_id"`
	SessionID          string    `json:"session_id"`
	DeviceID           string    `json:"device_id"`
	PlayedAt           time.Time `json:"played_at"`
	DurationListenedMs *int64    `json:"duration_listened_ms"`
	Completed          bool      `json:"completed"`
	Quality            string    `json:"quality"`
	// Kind is "track" (or absent) for music, "episode" for a podcast
	// episode named by EpisodeID. Episode plays are not events of the
	// lake: the server keeps them apart (music.EpisodePlays).
	Kind      string `json:"kind,omitempty"`
	EpisodeID string `json:"episode_id,omitempty"`
}

// Listener is what the server knows about the caller; the zero value is an
// anonymous listener.
type Listener struct {
	UserID    string
	Territory string
	CreatedAt time.Time
}

// DecodeReport parses a report body strictly: unknown fields, trailing data
// and wrong types are EINVALID errors that name the field.
func DecodeReport(body []byte) (Report, error) {
	var r Report
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			return Report{}, music.Errorf(music.EINVALID, "playback report: field %s: want %s", te.Field, te.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return Report{}, music.Errorf(music.EINVALID, "playback report: %s", strings.TrimPrefix(err.Error(), "json: "))
		default:
			return Report{}, music.Errorf(music.EINVALID, "playback report: malformed JSON: %v", err)
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Report{}, music.Errorf(music.EINVALID, "playback report: trailing data after the JSON object")
	}
	if r.DurationListenedMs == nil {
		return Report{}, music.Errorf(music.EINVALID, "playback report: field duration_listened_ms: missing")
	}
	return r, nil
}

// Event turns a decoded report into the stored event for listener l,
// received at receivedAt. It does not validate; call Validate.
func (r Report) Event(l Listener, receivedAt time.Time) plays.Event {
	e := plays.Event{
		EventID:    r.EventID,
		UserID:     l.UserID,
		TrackID:    r.TrackID,
		SessionID:  r.SessionID,
		DeviceID:   r.DeviceID,
		ReceivedAt: receivedAt.UnixMilli(),
		Completed:  r.Completed,
		Quality:    r.Quality,
		Territory:  l.Territory,
	}
	if !r.PlayedAt.IsZero() {
		e.PlayedAt = r.PlayedAt.UnixMilli()
	}
	if r.DurationListenedMs != nil {
		e.DurationListenedMs = *r.DurationListenedMs
	}
	if l.UserID != "" && !l.CreatedAt.IsZero() {
		e.UserCreatedAt = l.CreatedAt.UnixMilli()
	}
	return e
}

// Validate checks an event before it is logged. now is the server clock.
// Every error is EINVALID and names the offending field.
func Validate(e plays.Event, now time.Time) error {
	bad := func(field, format string, args ...any) error {
		return music.Errorf(music.EINVALID, "playback event: field %s: %s", field, fmt.Sprintf(format, args...))
	}
	for _, f := range []struct {
		name, v  string
		required bool
	}{
		{"event_id", e.EventID, true},
		{"track_id", e.TrackID, true},
		{"session_id", e.SessionID, true},
		{"device_id", e.DeviceID, true},
		{"user_id", e.UserID, false},
	} {
		if f.v == "" {
			if f.required {
				return bad(f.name, "missing")
			}
			continue
		}
		if len(f.v) > MaxIDLen {
			return bad(f.name, "longer than %d bytes", MaxIDLen)
		}
		for i := 0; i < len(f.v); i++ {
			if c := f.v[i]; c <= ' ' || c >= 0x7f {
				return bad(f.name, "byte %d is not printable ASCII", i)
			}
		}
	}
	nowMs := now.UnixMilli()
	switch {
	case e.PlayedAt <= 0:
		return bad("played_at", "missing")
	case e.PlayedAt > nowMs+MaxClockSkew.Milliseconds():
		return bad("played_at", "%s is in the future", time.UnixMilli(e.PlayedAt).UTC().Format(time.RFC3339))
	case e.PlayedAt < nowMs-MaxReportAge.Milliseconds():
		return tooLate{bad("played_at", "older than %s", MaxReportAge)}
	}
	if e.ReceivedAt <= 0 {
		return bad("received_at", "missing")
	}
	if e.ReceivedAt > nowMs+MaxClockSkew.Milliseconds() {
		return bad("received_at", "in the future")
	}
	switch d := e.DurationListenedMs; {
	case d < 0:
		return bad("duration_listened_ms", "negative (%d)", d)
	case d > MaxDuration.Milliseconds():
		return bad("duration_listened_ms", "%d ms is longer than %s", d, MaxDuration)
	case d > e.ReceivedAt-e.PlayedAt+MaxClockSkew.Milliseconds():
		return bad("duration_listened_ms", "%d ms listened but the play started only %d ms before it was received", d, e.ReceivedAt-e.PlayedAt)
	}
	if !Qualities[e.Quality] {
		if e.Quality == "" {
			return bad("quality", "missing")
		}
		return bad("quality", "%q is not one of 24kbps, 96kbps, 160kbps, 320kbps", e.Quality)
	}
	if e.UserID == "" {
		if e.UserCreatedAt != 0 {
			return bad("user_created_at", "set for an anonymous play")
		}
		return nil
	}
	if len(e.Territory) != 2 || e.Territory[0] < 'A' || e.Territory[0] > 'Z' || e.Territory[1] < 'A' || e.Territory[1] > 'Z' {
		return bad("territory", "%q is not an ISO 3166-1 alpha-2 code", e.Territory)
	}
	if e.UserCreatedAt <= 0 {
		return bad("user_created_at", "missing for an authenticated play")
	}
	if e.UserCreatedAt > e.ReceivedAt {
		return bad("user_created_at", "after the report was received")
	}
	return nil
}
