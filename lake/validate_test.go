package lake

import (
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/plays"
)

var vnow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func goodEvent() plays.Event {
	return plays.Event{
		EventID: "ev-1", UserID: "u-1", TrackID: "t-1", SessionID: "s-1", DeviceID: "d-1",
		PlayedAt: vnow.Add(-5 * time.Minute).UnixMilli(), ReceivedAt: vnow.UnixMilli(),
		DurationListenedMs: 200_000, Quality: "320kbps", Territory: "DE",
		UserCreatedAt: vnow.Add(-48 * time.Hour).UnixMilli(),
	}
}

func TestValidate(t *testing.T) {
	if err := Validate(goodEvent(), vnow); err != nil {
		t.Fatalf("good event: %v", err)
	}
	anon := goodEvent()
	anon.UserID, anon.UserCreatedAt, anon.Territory = "", 0, ""
	if err := Validate(anon, vnow); err != nil {
		t.Fatalf("anonymous event: %v", err)
	}
	for _, tc := range []struct {
		name, field string
		mut         func(*plays.Event)
	}{
		{"missing event id", "event_id", func(e *plays.Event) { e.EventID = "" }},
		{"missing track", "track_id", func(e *plays.Event) { e.TrackID = "" }},
		{"missing session", "session_id", func(e *plays.Event) { e.SessionID = "" }},
		{"missing device", "device_id", func(e *plays.Event) { e.DeviceID = "" }},
		{"control byte", "track_id", func(e *plays.Event) { e.TrackID = "t\n1" }},
		{"long id", "user_id", func(e *plays.Event) { e.UserID = strings.Repeat("u", 200) }},
		{"missing played_at", "played_at", func(e *plays.Event) { e.PlayedAt = 0 }},
		{"future", "played_at", func(e *plays.Event) { e.PlayedAt = vnow.Add(time.Hour).UnixMilli() }},
		{"ancient", "played_at", func(e *plays.Event) { e.PlayedAt = vnow.Add(-40 * 24 * time.Hour).UnixMilli() }},
		{"negative duration", "duration_listened_ms", func(e *plays.Event) { e.DurationListenedMs = -1 }},
		{"absurd duration", "duration_listened_ms", func(e *plays.Event) { e.DurationListenedMs = 7 * 3600 * 1000 }},
		{"longer than elapsed", "duration_listened_ms", func(e *plays.Event) { e.DurationListenedMs = 20 * 60 * 1000 }},
		{"bad quality", "quality", func(e *plays.Event) { e.Quality = "9000kbps" }},
		{"missing quality", "quality", func(e *plays.Event) { e.Quality = "" }},
		{"bad territory", "territory", func(e *plays.Event) { e.Territory = "de" }},
		{"no account age", "user_created_at", func(e *plays.Event) { e.UserCreatedAt = 0 }},
		{"account from the future", "user_created_at", func(e *plays.Event) { e.UserCreatedAt = vnow.Add(time.Hour).UnixMilli() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := goodEvent()
			tc.mut(&e)
			err := Validate(e, vnow)
			if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "field "+tc.field+":") {
				t.Fatalf("got %v, want EINVALID naming %s", err, tc.field)
			}
		})
	}
}

func TestDecodeReport(t *testing.T) {
	good := `{"event_id":"e1","track_id":"t1","session_id":"s1","device_id":"d1","played_at":"2026-03-10T11:55:00Z","duration_listened_ms":31000,"completed":false,"quality":"160kbps"}`
	r, err := DecodeReport([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	e := r.Event(Listener{UserID: "u1", Territory: "FR", CreatedAt: vnow.Add(-time.Hour)}, vnow)
	if err := Validate(e, vnow); err != nil {
		t.Fatalf("validate decoded: %v", err)
	}
	if e.DurationListenedMs != 31000 || e.PlayedAt != vnow.Add(-5*time.Minute).UnixMilli() || e.Territory != "FR" {
		t.Fatalf("event %+v", e)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"unknown field", strings.Replace(good, `"completed"`, `"bogus":1,"completed"`, 1), `unknown field "bogus"`},
		{"wrong type", strings.Replace(good, `31000`, `"long"`, 1), "field duration_listened_ms"},
		{"missing duration", strings.Replace(good, `"duration_listened_ms":31000,`, ``, 1), "field duration_listened_ms: missing"},
		{"trailing", good + `{}`, "trailing data"},
		{"not json", `<xml/>`, "malformed JSON"},
		{"bad time", strings.Replace(good, `2026-03-10T11:55:00Z`, `yesterday`, 1), "malformed JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeReport([]byte(tc.body))
			if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

// FuzzReport checks that no body makes decoding or validation panic, that
// every rejection is EINVALID, and that an accepted event survives the
// stored form's invariants.
func FuzzReport(f *testing.F) {
	f.Add([]byte(`{"event_id":"e1","track_id":"t1","session_id":"s1","device_id":"d1","played_at":"2026-03-10T11:55:00Z","duration_listened_ms":31000,"completed":true,"quality":"160kbps"}`))
	f.Add([]byte(`{"event_id":"e1","duration_listened_ms":-5}`))
	f.Add([]byte(`{"played_at":"9999-12-31T23:59:59Z","duration_listened_ms":1e30}`))
	f.Add([]byte(`{"x":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeReport(body)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("decode error with code %q: %v", music.ErrorCode(err), err)
			}
			return
		}
		e := r.Event(Listener{UserID: "u", Territory: "DE", CreatedAt: vnow.Add(-time.Hour)}, vnow)
		if err := Validate(e, vnow); err != nil {
			if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), "field ") {
				t.Fatalf("validate error without a field: %v", err)
			}
			return
		}
		if e.DurationListenedMs < 0 || e.PlayedAt > vnow.Add(MaxClockSkew).UnixMilli() || e.TrackID == "" {
			t.Fatalf("accepted a bad event %+v", e)
		}
	})
}
