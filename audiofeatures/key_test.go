package audiofeatures

import (
	"testing"

	music "github.com/openmusic/music"
)

func TestKeyName(t *testing.T) {
	for _, c := range []struct {
		key, mode int
		want      string
	}{
		{0, 1, "C major"},
		{9, 0, "A minor"},
		{1, 1, "C# major"},
		{11, 0, "B minor"},
		{-1, 0, ""}, // no key stood out
		{12, 1, ""},
	} {
		if got := KeyName(music.AudioFeatures{Key: c.key, Mode: c.mode}); got != c.want {
			t.Errorf("KeyName(key %d, mode %d) = %q, want %q", c.key, c.mode, got, c.want)
		}
	}
}
