package catalogtest

import (
	"reflect"
	"sort"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func testPublishReadBack(t *testing.T, e *env) {
	p := Publication(1, 5)
	e.put(p)

	for _, v := range []music.Visibility{{}, listener} {
		r, err := e.s.Release(e.ctx, "rel-1", v)
		if err != nil {
			t.Fatalf("Release(%+v): %v", v, err)
		}
		want := p.Release
		want.Status, want.UpdatedAt, want.PublishedAt = music.ReleasePublished, epoch, epoch
		got := *r
		got.Tracks, got.Deals = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("release:\n got %+v\nwant %+v", got, want)
		}
		if !reflect.DeepEqual(r.Deals, p.Deals) {
			t.Errorf("deals:\n got %+v\nwant %+v", r.Deals, p.Deals)
		}
		if len(r.Tracks) != len(p.Tracks) {
			t.Fatalf("release has %d tracks, want %d", len(r.Tracks), len(p.Tracks))
		}
		byID := map[string]music.Track{}
		for _, tr := range p.Tracks {
			byID[tr.ID] = tr
		}
		for i := range r.Tracks {
			checkTrack(t, &r.Tracks[i], byID[r.Tracks[i].ID], p)
			if r.Tracks[i].ReleaseStatus != music.ReleasePublished {
				t.Errorf("track %s: release status %q", r.Tracks[i].ID, r.Tracks[i].ReleaseStatus)
			}
		}
	}
	for _, want := range p.Tracks {
		got, err := e.s.Track(e.ctx, want.ID, listener)
		if err != nil {
			t.Fatalf("Track %s: %v", want.ID, err)
		}
		checkTrack(t, got, want, p)
		got, err = e.s.TrackByISRC(e.ctx, want.ISRC, listener)
		if err != nil {
			t.Fatalf("TrackByISRC %s: %v", want.ISRC, err)
		}
		checkTrack(t, got, want, p)
	}
	a, rels, err := e.s.Artist(e.ctx, "art-feat-1", listener)
	if err != nil {
		t.Fatalf("Artist: %v", err)
	}
	if a.Name != "Guest 1" || len(rels) != 1 || rels[0].ID != "rel-1" || len(rels[0].Artists) != 1 {
		t.Errorf("Artist art-feat-1 = %+v, releases %+v; want Guest 1 on rel-1 (credited on tracks only)", a, rels)
	}
	fps, err := e.s.Fingerprints(e.ctx, "chromaprint2", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	wantFP := append([]music.Fingerprint(nil), p.Fingerprints...)
	sort.Slice(wantFP, func(i, j int) bool { return wantFP[i].TrackID < wantFP[j].TrackID })
	if !reflect.DeepEqual(fps, wantFP) {
		t.Errorf("fingerprints:\n got %+v\nwant %+v", fps, wantFP)
	}
}

func testDiscTrackOrder(t *testing.T, e *env) {
	e.put(Publication(2, 7))
	r, err := e.s.Release(e.ctx, "rel-2", music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]int
	for _, tr := range r.Tracks {
		got = append(got, [2]int{tr.DiscNumber, tr.TrackNumber})
	}
	want := [][2]int{{1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 1}, {2, 2}, {2, 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("disc/track order %v, want %v", got, want)
	}
}

func testRepublishIdempotent(t *testing.T, e *env) {
	p := Publication(3, 4)
	e.put(p)
	before := e.counts()
	first, err := e.s.Release(e.ctx, "rel-3", music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(epoch.Add(time.Hour))
	for i := 0; i < 3; i++ {
		e.put(p)
	}
	if after := e.counts(); !reflect.DeepEqual(before, after) {
		t.Errorf("row counts changed on re-publish:\nbefore %v\n after %v", before, after)
	}
	want := map[string]int64{"releases": 1, "tracks": 4, "renditions": 20, "fingerprints": 4, "deals": 1,
		"deal_territories": 1, "artists": 2, "release_artists": 1, "track_artists": 8}
	for table, n := range want {
		if before[table] != n {
			t.Errorf("%s has %d rows, want %d", table, before[table], n)
		}
	}
	again, err := e.s.Release(e.ctx, "rel-3", music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.PublishedAt.Equal(epoch) || !again.UpdatedAt.Equal(epoch.Add(time.Hour)) {
		t.Errorf("published at %v (want first publish %v), updated at %v", again.PublishedAt, epoch, again.UpdatedAt)
	}
	again.UpdatedAt = first.UpdatedAt
	if !reflect.DeepEqual(first, again) {
		t.Errorf("re-publish changed the release:\n got %+v\nwant %+v", again, first)
	}
}

func testUnpublished(t *testing.T, e *env) {
	p := Publication(4, 2)
	p.Publish = false
	e.put(p)
	r, err := e.s.Release(e.ctx, "rel-4", music.Visibility{})
	if err != nil {
		t.Fatalf("ops view of a pending release: %v", err)
	}
	if r.Status != music.ReleasePending || !r.PublishedAt.IsZero() {
		t.Errorf("status %q published at %v, want pending and never", r.Status, r.PublishedAt)
	}
	_, err = e.s.Release(e.ctx, "rel-4", listener)
	wantCode(t, "listener Release of pending", err, music.ENOTFOUND)
	_, err = e.s.Track(e.ctx, p.Tracks[0].ID, listener)
	wantCode(t, "listener Track of pending", err, music.ENOTFOUND)
	_, err = e.s.TrackByISRC(e.ctx, p.Tracks[0].ISRC, listener)
	wantCode(t, "listener TrackByISRC of pending", err, music.ENOTFOUND)
	_, _, err = e.s.Artist(e.ctx, "art-main", listener)
	wantCode(t, "listener Artist with only pending releases", err, music.ENOTFOUND)
	if _, rels, err := e.s.Artist(e.ctx, "art-main", music.Visibility{}); err != nil || len(rels) != 1 {
		t.Errorf("ops Artist = %v, %v; want the pending release", rels, err)
	}

	e.clock.Set(epoch.Add(time.Minute))
	if err := e.s.PublishRelease(e.ctx, "rel-4"); err != nil {
		t.Fatal(err)
	}
	r, err = e.s.Release(e.ctx, "rel-4", listener)
	if err != nil {
		t.Fatalf("after PublishRelease: %v", err)
	}
	if !r.PublishedAt.Equal(epoch.Add(time.Minute)) {
		t.Errorf("published at %v", r.PublishedAt)
	}
	// A later staged write of the same release keeps it published.
	e.put(p)
	if _, err := e.s.Release(e.ctx, "rel-4", listener); err != nil {
		t.Errorf("staged re-write hid a published release: %v", err)
	}
	wantCode(t, "PublishRelease unknown", e.s.PublishRelease(e.ctx, "nope"), music.ENOTFOUND)
}

func testTakedown(t *testing.T, e *env) {
	p := Publication(5, 2)
	e.put(p)
	if _, err := e.s.Track(e.ctx, p.Tracks[0].ID, listener); err != nil {
		t.Fatal(err)
	}
	if err := e.s.TakedownRelease(e.ctx, "rel-5"); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.Track(e.ctx, p.Tracks[0].ID, listener)
	wantCode(t, "Track after takedown", err, music.ENOTFOUND)
	_, err = e.s.Release(e.ctx, "rel-5", listener)
	wantCode(t, "Release after takedown", err, music.ENOTFOUND)
	r, err := e.s.Release(e.ctx, "rel-5", music.Visibility{})
	if err != nil || r.Status != music.ReleaseTakenDown {
		t.Errorf("ops view after takedown: %+v, %v", r, err)
	}
	// A staged (unpublished) re-delivery does not undo a takedown…
	p.Publish = false
	e.put(p)
	_, err = e.s.Release(e.ctx, "rel-5", listener)
	wantCode(t, "Release after staged re-delivery", err, music.ENOTFOUND)
	// …publishing does.
	if err := e.s.PublishRelease(e.ctx, "rel-5"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Release(e.ctx, "rel-5", listener); err != nil {
		t.Errorf("after re-publish: %v", err)
	}
	wantCode(t, "TakedownRelease unknown", e.s.TakedownRelease(e.ctx, "nope"), music.ENOTFOUND)
}

func testMetadataUpdate(t *testing.T, e *env) {
	p := Publication(6, 2)
	e.put(p)
	orig := p.Tracks[0]
	m := music.TrackMetadata{
		Title: "Renamed", Version: "Radio Edit", Genre: "Pop", Explicit: !orig.Explicit, PLine: "(P) 2024 New Owner",
		PreviewStart: 30 * time.Second,
		Artists:      []music.ArtistCredit{{ArtistID: "art-new", Name: "Newcomer", Role: "MainArtist"}},
	}
	got, err := e.s.UpdateTrackMetadata(e.ctx, orig.ISRC, m)
	if err != nil {
		t.Fatal(err)
	}
	want := orig
	want.Title, want.Version, want.Genre, want.Explicit, want.PLine = m.Title, m.Version, m.Genre, m.Explicit, m.PLine
	want.PreviewStart, want.Artists = m.PreviewStart, m.Artists
	checkTrack(t, got, want, p)
	read, err := e.s.TrackByISRC(e.ctx, orig.ISRC, listener)
	if err != nil {
		t.Fatal(err)
	}
	checkTrack(t, read, want, p)
	// nil Artists keeps the credits.
	m.Title, m.Artists = "Renamed Again", nil
	got, err = e.s.UpdateTrackMetadata(e.ctx, orig.ISRC, m)
	if err != nil {
		t.Fatal(err)
	}
	want.Title = m.Title
	checkTrack(t, got, want, p)
	_, err = e.s.UpdateTrackMetadata(e.ctx, "QZZZZ9999999", m)
	wantCode(t, "update unknown ISRC", err, music.ENOTFOUND)
	m.Title = ""
	_, err = e.s.UpdateTrackMetadata(e.ctx, orig.ISRC, m)
	wantCode(t, "update with empty title", err, music.EINVALID)
	m.Title, m.Artists = "x", []music.ArtistCredit{{ArtistID: "art-unknown", Role: "MainArtist"}}
	_, err = e.s.UpdateTrackMetadata(e.ctx, orig.ISRC, m)
	wantCode(t, "update crediting an unknown artist without a name", err, music.EINVALID)
}
