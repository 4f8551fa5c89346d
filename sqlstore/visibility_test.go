package sqlstore

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func TestIsOpsView(t *testing.T) {
	for _, c := range []struct {
		v    music.Visibility
		want bool
	}{
		{music.Visibility{}, true},
		{music.Visibility{Territory: "GB"}, false},
		{music.Visibility{At: time.Unix(1, 0)}, false},
		{music.Visibility{Territory: "GB", At: time.Unix(1, 0)}, false},
	} {
		if got := isOpsView(c.v); got != c.want {
			t.Errorf("isOpsView(%+v) = %v, want %v", c.v, got, c.want)
		}
	}
}
