package encode

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/openmusic/music/internal/feedserver"
)

func TestEncodeEpisodeNormalisesSpeech(t *testing.T) {
	src := feedserver.Speech(t, t.TempDir(), "speech", "Welcome to the signal. Today we measure loudness, and we normalise speech to minus sixteen.")
	out := t.TempDir()
	res, err := EncodeEpisode(context.Background(), src, out, Options{Tags: Tags{Title: "Episode one"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Source.Format.Codec != "mp3" || res.Source.Frames < 22050 {
		t.Fatalf("source %+v, want several seconds of MP3", res.Source)
	}
	want := res.Original.Integrated + res.AppliedGain
	if math.Abs(res.Loudness.Integrated-want) > 0.5 {
		t.Errorf("encoded at %.2f LUFS, want original %.2f + gain %.2f = %.2f", res.Loudness.Integrated,
			res.Original.Integrated, res.AppliedGain, want)
	}
	if res.AppliedGain != speechGain(res.Original) {
		t.Errorf("applied %.2f dB, want %.2f", res.AppliedGain, speechGain(res.Original))
	}
	if capped := res.AppliedGain < SpeechTarget-res.Original.Integrated-0.01; !capped && math.Abs(res.Loudness.Integrated-SpeechTarget) > 0.5 {
		t.Errorf("uncapped gain left the episode at %.2f LUFS, want %.1f", res.Loudness.Integrated, SpeechTarget)
	}
	if res.Loudness.TruePeak > speechPeakCeiling+0.5 {
		t.Errorf("true peak %.2f dBTP after the gain, want at most %.1f", res.Loudness.TruePeak, speechPeakCeiling)
	}
	if len(res.Renditions) != len(SpeechLadder) {
		t.Fatalf("%d renditions, want %d", len(res.Renditions), len(SpeechLadder))
	}
	for i, r := range res.Renditions {
		if r.Path != SpeechLadder[i].Name+".ogg" || r.SHA256 == "" {
			t.Errorf("rendition %d = %+v", i, r)
		}
		d, err := Open(filepath.Join(out, r.Path))
		if err != nil {
			t.Fatalf("%s does not decode: %v", r.Path, err)
		}
		seconds := float64(d.Format().Frames) / float64(d.Format().SampleRate)
		d.Close()
		if wantS := float64(res.Source.Frames) / float64(res.Source.Format.SampleRate); math.Abs(seconds-wantS) > 0.1 {
			t.Errorf("%s lasts %.2f s, the source %.2f s", r.Path, seconds, wantS)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "rendition.json")); err != nil {
		t.Error(err)
	}
}

func TestSpeechGain(t *testing.T) {
	for _, c := range []struct {
		l    Loudness
		want float64
	}{
		{Loudness{Integrated: -23, TruePeak: -10}, 7},   // quiet: up to the target
		{Loudness{Integrated: -20, TruePeak: -2}, 1},    // the peak ceiling caps it
		{Loudness{Integrated: -12, TruePeak: -0.5}, -4}, // loud: down to the target
		{Loudness{Silent: true, Integrated: -70}, 0},
	} {
		if got := speechGain(c.l); got != c.want {
			t.Errorf("speechGain(%+v) = %v, want %v", c.l, got, c.want)
		}
	}
}
