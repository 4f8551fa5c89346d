package ingest

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// TestCatalogFromGoodDelivery maps the good fixture to catalog records.
func TestCatalogFromGoodDelivery(t *testing.T) {
	rep := validate(t, nil, "testdata/good")
	checkProblems(t, rep.Problems, nil)
	cr, err := rep.Delivery.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	r := cr.Release
	if r.ID != "rel-00195999000015" || r.Title != "Two Sines" || r.Sender != "PADPIDA2026112701X" || r.MessageID == "" {
		t.Errorf("release %+v", r)
	}
	if len(r.Artists) != 1 || r.Artists[0].Name != "The Sine Waves" || r.Artists[0].Role != "MainArtist" {
		t.Errorf("release artists %+v", r.Artists)
	}
	if len(cr.Tracks) != 2 {
		t.Fatalf("%d tracks", len(cr.Tracks))
	}
	one, two := cr.Tracks[0], cr.Tracks[1]
	if one.Track.ID != "trk-QZES72600001" || one.Track.DiscNumber != 1 || two.Track.DiscNumber != 2 || two.Track.TrackNumber != 1 {
		t.Errorf("track order %+v / %+v", one.Track, two.Track)
	}
	if one.File != "resources/195999000015_01_01.flac" || one.PreviewStart == nil || *one.PreviewStart != 0.5 {
		t.Errorf("track 1 file %q preview %v", one.File, one.PreviewStart)
	}
	if !two.Track.Explicit || one.Track.Explicit || two.Track.Version != "feat. Square Guest" {
		t.Errorf("explicit/version: %+v %+v", one.Track, two.Track)
	}
	if len(two.Track.Artists) != 2 || two.Track.Artists[1].Role != "FeaturedArtist" || two.Track.Artists[0].ArtistID != r.Artists[0].ArtistID {
		t.Errorf("track 2 credits %+v", two.Track.Artists)
	}
	if len(cr.Deals) != 2 || cr.Deals[1].Territories[0] != "DE" || cr.Deals[0].Start != time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) || cr.Deals[0].ExcludedTerritories[0] != "KP" {
		t.Errorf("deals %+v", cr.Deals)
	}
}

func TestArtistID(t *testing.T) {
	a := ArtistID("Beyoncé", nil)
	for _, same := range []string{"beyonce", "  BEYONCE ", "Beyonce\u0301"} {
		if got := ArtistID(same, nil); got != a {
			t.Errorf("ArtistID(%q) = %s, want %s like Beyoncé", same, got, a)
		}
	}
	if ArtistID("Beyoncé Knowles", nil) == a {
		t.Error("different names share an ID")
	}
	if got := ArtistID("Anyone", []string{"DPID:PADPIDA1", "ISNI:0000 0001 2345 6789"}); got != "art-isni-0000000123456789" {
		t.Errorf("ISNI ID = %s", got)
	}
	if _, err := (&Delivery{Kind: KindPurgeRelease}).Catalog(); music.ErrorCode(err) != music.EINVALID {
		t.Errorf("purge message as catalog release: %v", err)
	}
}
