package encode

import (
	"strings"
	"testing"
)

// Tags come out as ReplayGain 2.0 taggers write them.
func TestVorbisComments(t *testing.T) {
	l := Loudness{Integrated: -9.87, Gain: -8.13, Peak: 0.9876543}
	al := &Album{Integrated: -10.5, Gain: -7.5, Peak: 1.0123}
	got := strings.Join(vorbisComments(Tags{Title: "Battle", Artist: "Wesnoth", Album: "Music", TrackNumber: "3", ISRC: "XXA0A2600003"}, l, al), "\n")
	want := strings.Join([]string{
		"TITLE=Battle",
		"ARTIST=Wesnoth",
		"ALBUM=Music",
		"TRACKNUMBER=3",
		"ISRC=XXA0A2600003",
		"REPLAYGAIN_TRACK_GAIN=-8.13 dB",
		"REPLAYGAIN_TRACK_PEAK=0.987654",
		"REPLAYGAIN_ALBUM_GAIN=-7.50 dB",
		"REPLAYGAIN_ALBUM_PEAK=1.012300",
		"REPLAYGAIN_REFERENCE_LOUDNESS=-18.00 LUFS",
	}, "\n")
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// Without album gain and tags, only the track values and reference.
	if got := vorbisComments(Tags{}, Loudness{Gain: 2}, nil); len(got) != 3 || got[0] != "REPLAYGAIN_TRACK_GAIN=2.00 dB" {
		t.Fatalf("got %q", got)
	}
}
