package blobkey

import (
	"strings"
	"testing"
)

func TestRendition(t *testing.T) {
	sum := "0123456789abcdef" + strings.Repeat("0", 48)
	if got, want := Rendition("trk-1", sum, "160.ogg"), "audio/trk-1/0123456789ab/160.ogg"; got != want {
		t.Errorf("Rendition = %q, want %q", got, want)
	}
	if !IsRenditionVersion("0123456789ab") {
		t.Error("the version of a rendition key is not accepted")
	}
	for _, v := range []string{"", "0123456789a", "0123456789abc", "0123456789AB", "0123456789ag"} {
		if IsRenditionVersion(v) {
			t.Errorf("IsRenditionVersion(%q) = true", v)
		}
	}
}

func TestOffline(t *testing.T) {
	if got, want := Offline("trk-1", "k9", "160"), "offline/trk-1/k9/160.mofl"; got != want {
		t.Errorf("Offline = %q, want %q", got, want)
	}
	if got, want := OfflineEpisode("ep_1", "k9", "96"), "offline/episodes/ep_1/k9/96.mofl"; got != want {
		t.Errorf("OfflineEpisode = %q, want %q", got, want)
	}
}
