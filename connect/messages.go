// Package connect is the Connect player service: a user's devices, the
// one player state they share, the commands that change it (REST or
// device messages), transfer between devices, and the hub that delivers
// every change to the user's connected devices on this process. The
// store behind it (PlayerStore) is Memory in one process or Redis
// across many. The wire protocol is in docs/connect.md.
package connect

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	music "github.com/openmusic/music"
)

// MaxMessageBytes bounds one device message; the socket closes with 1009
// above it.
const MaxMessageBytes = 4096

// Device message types.
const (
	MsgRegister  = "register"
	MsgHeartbeat = "heartbeat"
	MsgPlaying   = "playing"
	MsgPaused    = "paused"
	MsgEnded     = "ended"
)

// maxPositionMS bounds any position a client sends: 24 hours.
const maxPositionMS = 24 * 3600 * 1000

// DeviceMessage is one decoded, validated message from a device.
type DeviceMessage struct {
	Type       string
	Device     Device // register
	TrackID    string // playing, ended
	PositionMS int64  // playing, paused
}

// wireMessage is the JSON shape of every device message; pointers tell a
// missing field from a zero one.
type wireMessage struct {
	Type       string      `json:"type"`
	Device     *wireDevice `json:"device"`
	TrackID    *string     `json:"track_id"`
	PositionMS *int64      `json:"position_ms"`
}

type wireDevice struct {
	DeviceID string `json:"device_id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
}

// DecodeDeviceMessage parses one device message strictly: unknown fields,
// a field the type does not take, a missing one, trailing data or a bad
// value are EINVALID naming the field.
func DecodeDeviceMessage(b []byte) (DeviceMessage, error) {
	if len(b) > MaxMessageBytes {
		return DeviceMessage{}, music.Errorf(music.EINVALID, "message of %d bytes is over %d", len(b), MaxMessageBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w wireMessage
	if err := dec.Decode(&w); err != nil {
		return DeviceMessage{}, music.Errorf(music.EINVALID, "message: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return DeviceMessage{}, music.Errorf(music.EINVALID, "message: data after the JSON object")
	}
	m := DeviceMessage{Type: w.Type}
	var want []string // fields the type takes, all required
	switch w.Type {
	case MsgRegister:
		want = []string{"device"}
	case MsgHeartbeat:
	case MsgPlaying:
		want = []string{"track_id", "position_ms"}
	case MsgPaused:
		want = []string{"position_ms"}
	case MsgEnded:
		want = []string{"track_id"}
	case "":
		return m, music.Errorf(music.EINVALID, "message: field type is missing")
	default:
		return m, music.Errorf(music.EINVALID, "message: field type: %.40q is not one of register|heartbeat|playing|paused|ended", w.Type)
	}
	present := map[string]bool{"device": w.Device != nil, "track_id": w.TrackID != nil, "position_ms": w.PositionMS != nil}
	for _, f := range []string{"device", "track_id", "position_ms"} {
		switch wanted := slices.Contains(want, f); {
		case wanted && !present[f]:
			return m, music.Errorf(music.EINVALID, "%s message: field %s is missing", w.Type, f)
		case !wanted && present[f]:
			return m, music.Errorf(music.EINVALID, "%s message: field %s does not belong here", w.Type, f)
		}
	}
	if w.Device != nil {
		d, err := validDevice(*w.Device)
		if err != nil {
			return m, err
		}
		m.Device = d
	}
	if w.TrackID != nil {
		if err := validTrackID("track_id", *w.TrackID); err != nil {
			return m, err
		}
		m.TrackID = *w.TrackID
	}
	if w.PositionMS != nil {
		if p := *w.PositionMS; p < 0 || p > maxPositionMS {
			return m, music.Errorf(music.EINVALID, "%s message: field position_ms: %d is not within 0..%d", w.Type, p, maxPositionMS)
		}
		m.PositionMS = *w.PositionMS
	}
	return m, nil
}

// jsonProblem describes a decoding error without echoing large input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case err == io.EOF:
		return "empty"
	case errors.As(err, &se):
		return "not JSON: " + se.Error()
	case errors.As(err, &te):
		return "field " + te.Field + ": wrong type " + te.Value
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "not a JSON object: " + err.Error()
}

// validDevice checks a register message's device.
func validDevice(w wireDevice) (Device, error) {
	if err := validDeviceID(w.DeviceID); err != nil {
		return Device{}, err
	}
	if n := utf8.RuneCountInString(w.Name); n == 0 || n > 64 || !utf8.ValidString(w.Name) || strings.IndexFunc(w.Name, unicode.IsControl) >= 0 {
		return Device{}, music.Errorf(music.EINVALID, "register message: field device.name: want 1 to 64 printable characters")
	}
	if !slices.Contains(DeviceTypes, w.Type) {
		return Device{}, music.Errorf(music.EINVALID, "register message: field device.type: %.40q is not one of %s", w.Type, strings.Join(DeviceTypes, "|"))
	}
	return Device{ID: w.DeviceID, Name: w.Name, Type: w.Type}, nil
}

// validDeviceID checks a device ID: 1–64 of A–Z a–z 0–9 . _ : -.
func validDeviceID(id string) error {
	ok := len(id) > 0 && len(id) <= 64
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-'
	}
	if !ok {
		return music.Errorf(music.EINVALID, "device_id %.70q: want 1 to 64 of A-Z a-z 0-9 . _ : -", id)
	}
	return nil
}

// validTrackID checks a track ID field: 1–128 printable ASCII characters.
func validTrackID(field, id string) error {
	ok := len(id) > 0 && len(id) <= 128
	for i := 0; ok && i < len(id); i++ {
		ok = id[i] > ' ' && id[i] < 0x7f
	}
	if !ok {
		return music.Errorf(music.EINVALID, "field %s %.70q: want 1 to 128 printable ASCII characters", field, id)
	}
	return nil
}
