package recocache

import (
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestKey(t *testing.T) {
	if got := Key("u1", "discover_weekly"); got != "reco:u1:discover_weekly" {
		t.Errorf("Key = %q, want reco:u1:discover_weekly", got)
	}
}

func TestCheck(t *testing.T) {
	full := make([]string, music.RecoCacheSize)
	good := []music.RecoList{{UserID: "u1", List: "daily_mix", TrackIDs: full}}
	if err := Check(good); err != nil {
		t.Fatalf("Check(%d tracks) = %v, want nil", len(full), err)
	}
	for name, l := range map[string]music.RecoList{
		"no user":  {List: "daily_mix"},
		"no name":  {UserID: "u1"},
		"too long": {UserID: "u2", List: "daily_mix", TrackIDs: append(full, "one more")},
	} {
		err := Check(append(good, l))
		if music.ErrorCode(err) != music.EINVALID {
			t.Errorf("%s: Check = %v, want EINVALID", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "reco list") {
			t.Errorf("%s: error %q does not name the list", name, err)
		}
	}
}
