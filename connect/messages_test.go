package connect

import (
	"encoding/json"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestDecodeDeviceMessage(t *testing.T) {
	good := []struct {
		in   string
		want DeviceMessage
	}{
		{`{"type":"register","device":{"device_id":"web-3f2a","name":"Firefox on Linux","type":"web"}}`,
			DeviceMessage{Type: MsgRegister, Device: Device{ID: "web-3f2a", Name: "Firefox on Linux", Type: "web"}}},
		{`{"type":"heartbeat"}`, DeviceMessage{Type: MsgHeartbeat}},
		{` {"type":"heartbeat"} `, DeviceMessage{Type: MsgHeartbeat}},
		{`{"type":"playing","track_id":"trk-9","position_ms":61250}`, DeviceMessage{Type: MsgPlaying, TrackID: "trk-9", PositionMS: 61250}},
		{`{"type":"paused","position_ms":0}`, DeviceMessage{Type: MsgPaused}},
		{`{"type":"ended","track_id":"trk-9"}`, DeviceMessage{Type: MsgEnded, TrackID: "trk-9"}},
		{`{"type":"register","device":{"device_id":"a","name":"Küche ♫","type":"speaker"}}`,
			DeviceMessage{Type: MsgRegister, Device: Device{ID: "a", Name: "Küche ♫", Type: "speaker"}}},
	}
	for _, g := range good {
		got, err := DecodeDeviceMessage([]byte(g.in))
		if err != nil || got != g.want {
			t.Errorf("%s: %+v, %v; want %+v", g.in, got, err, g.want)
		}
	}
	bad := []struct{ in, wantInMessage string }{
		{``, "empty"},
		{`null`, "type is missing"},
		{`[]`, "message"},
		{`"heartbeat"`, "message"},
		{`{"type":"heartbeat"}{}`, "after the JSON"},
		{`{"type":"heartbeat",}`, "not JSON"},
		{`{"type":7}`, "wrong type"},
		{`{"type":"HEARTBEAT"}`, "not one of"},
		{`{"kind":"heartbeat"}`, "unknown field"},
		{`{"type":"heartbeat","track_id":"x"}`, "track_id does not belong"},
		{`{"type":"ended"}`, "track_id is missing"},
		{`{"type":"playing","track_id":"x"}`, "position_ms is missing"},
		{`{"type":"paused","position_ms":-1}`, "position_ms"},
		{`{"type":"paused","position_ms":86400001}`, "position_ms"},
		{`{"type":"paused","position_ms":1.5}`, "wrong type"},
		{`{"type":"ended","track_id":""}`, "track_id"},
		{`{"type":"ended","track_id":"a b"}`, "track_id"},
		{`{"type":"ended","track_id":"` + strings.Repeat("x", 129) + `"}`, "track_id"},
		{`{"type":"register"}`, "device is missing"},
		{`{"type":"register","device":{"device_id":"","name":"n","type":"web"}}`, "device_id"},
		{`{"type":"register","device":{"device_id":"a/b","name":"n","type":"web"}}`, "device_id"},
		{`{"type":"register","device":{"device_id":"` + strings.Repeat("a", 65) + `","name":"n","type":"web"}}`, "device_id"},
		{`{"type":"register","device":{"device_id":"a","name":"","type":"web"}}`, "device.name"},
		{`{"type":"register","device":{"device_id":"a","name":"x\ny","type":"web"}}`, "device.name"},
		{`{"type":"register","device":{"device_id":"a","name":"` + strings.Repeat("n", 65) + `","type":"web"}}`, "device.name"},
		{`{"type":"register","device":{"device_id":"a","name":"n","type":"fridge"}}`, "device.type"},
		{`{"type":"register","device":{"device_id":"a","name":"n","type":"web","x":1}}`, "unknown field"},
		{`{"type":"heartbeat","pad":"` + strings.Repeat("x", MaxMessageBytes) + `"}`, "over 4096"},
	}
	for _, b := range bad {
		_, err := DecodeDeviceMessage([]byte(b.in))
		if music.ErrorCode(err) != music.EINVALID || !strings.Contains(music.ErrorMessage(err), b.wantInMessage) {
			t.Errorf("%.80s: error %v, want EINVALID mentioning %q", b.in, err, b.wantInMessage)
		}
	}
}

// FuzzDecodeDeviceMessage: any input is either a valid message that
// survives a round trip or an EINVALID error; never a panic.
func FuzzDecodeDeviceMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"register","device":{"device_id":"web-3f2a","name":"Firefox","type":"web"}}`,
		`{"type":"heartbeat"}`,
		`{"type":"playing","track_id":"trk-9","position_ms":61250}`,
		`{"type":"paused","position_ms":0}`,
		`{"type":"ended","track_id":"trk-9"}`,
		`{"type":"ended","track_id":"trk-9","track_id":"x"}`,
		`{"type":"register","device":null}`,
		`{"type":"paused","position_ms":1e3}`,
		"{\"type\":\"register\",\"device\":{\"device_id\":\"a\",\"name\":\"\xff\",\"type\":\"web\"}}",
		``, `{`, `nul`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeDeviceMessage(b)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("%q: error code %q: %v", b, music.ErrorCode(err), err)
			}
			return
		}
		again, err := DecodeDeviceMessage(reencode(m))
		if err != nil || again != m {
			t.Fatalf("%q decoded to %+v, which re-encodes to %+v, %v", b, m, again, err)
		}
	})
}

// reencode writes m in the wire format.
func reencode(m DeviceMessage) []byte {
	w := map[string]any{"type": m.Type}
	switch m.Type {
	case MsgRegister:
		w["device"] = wireDevice{DeviceID: m.Device.ID, Name: m.Device.Name, Type: m.Device.Type}
	case MsgPlaying:
		w["track_id"], w["position_ms"] = m.TrackID, m.PositionMS
	case MsgPaused:
		w["position_ms"] = m.PositionMS
	case MsgEnded:
		w["track_id"] = m.TrackID
	}
	b, _ := json.Marshal(w)
	return b
}
