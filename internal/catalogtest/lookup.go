package catalogtest

import (
	"reflect"
	"sort"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }

func testInvalidPublication(t *testing.T, e *env) {
	tests := []struct {
		name string
		edit func(p *music.Publication)
	}{
		{"empty release ID", func(p *music.Publication) { p.Release.ID = "" }},
		{"empty title", func(p *music.Publication) { p.Release.Title = "" }},
		{"track without ISRC", func(p *music.Publication) { p.Tracks[0].ISRC = "" }},
		{"track of another release", func(p *music.Publication) { p.Tracks[0].ReleaseID = "other" }},
		{"track number 0", func(p *music.Publication) { p.Tracks[0].TrackNumber = 0 }},
		{"ISRC twice", func(p *music.Publication) { p.Tracks[1].ISRC = p.Tracks[0].ISRC }},
		{"unknown rung", func(p *music.Publication) { p.Renditions[0].Rung = "128" }},
		{"rendition of unknown track", func(p *music.Publication) { p.Renditions[0].TrackID = "ghost" }},
		{"fingerprint of unknown track", func(p *music.Publication) { p.Fingerprints[0].TrackID = "ghost" }},
		{"deal without territory", func(p *music.Publication) { p.Deals = []music.Deal{{Start: epoch}} }},
		{"bad territory", func(p *music.Publication) {
			p.Deals = []music.Deal{{Territories: []string{"Germany"}, Start: epoch}}
		}},
		{"deal ends before it starts", func(p *music.Publication) {
			p.Deals = []music.Deal{{Territories: []string{"DE"}, Start: epoch, End: epoch.Add(-time.Hour)}}
		}},
		{"credit without role", func(p *music.Publication) { p.Tracks[0].Artists[0].Role = "" }},
		{"credit of unknown artist", func(p *music.Publication) {
			p.Tracks[0].Artists = []music.ArtistCredit{{ArtistID: "nobody", Role: "MainArtist"}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Publication(20, 2)
			tc.edit(&p)
			wantCode(t, "PutRelease", e.s.PutRelease(e.ctx, p), music.EINVALID)
		})
	}
	// Nothing of any failed attempt is left behind.
	for table, n := range e.counts() {
		if n != 0 {
			t.Errorf("%s has %d rows after rejected publications", table, n)
		}
	}
}

func testISRCConflict(t *testing.T, e *env) {
	e.put(Publication(21, 2))
	q := Publication(22, 2)
	q.Tracks[0].ISRC = Publication(21, 2).Tracks[0].ISRC
	wantCode(t, "PutRelease with a taken ISRC", e.s.PutRelease(e.ctx, q), music.ECONFLICT)
	if _, err := e.s.Release(e.ctx, "rel-22", music.Visibility{}); music.ErrorCode(err) != music.ENOTFOUND {
		t.Errorf("the conflicting release was partly written: %v", err)
	}
}

func testPCMHash(t *testing.T, e *env) {
	p, q := Publication(30, 2), Publication(31, 1)
	// Track of rel-31 is the same audio as the first of rel-30.
	q.Fingerprints[0].PCMSHA256 = p.Fingerprints[0].PCMSHA256
	q.Tracks[0].Dedup = music.Dedup{Decision: music.DedupSameRecording, MatchedTrackID: p.Tracks[0].ID, Score: 1}
	q.Publish = false // dedup must see pending tracks too
	// The duplicate is stored without audio: it plays the original's.
	var rends []music.Rendition
	for _, r := range q.Renditions {
		if r.TrackID != q.Tracks[0].ID {
			rends = append(rends, r)
		}
	}
	q.Renditions = rends
	e.put(p)
	e.put(q)
	dup, err := e.s.Track(e.ctx, q.Tracks[0].ID, music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	orig, err := e.s.Track(e.ctx, p.Tracks[0].ID, music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	if len(orig.Renditions) != len(music.Rungs) || !reflect.DeepEqual(dup.Renditions, orig.Renditions) {
		t.Errorf("duplicate's renditions %+v, want the original's %+v", dup.Renditions, orig.Renditions)
	}
	rel, err := e.s.Release(e.ctx, q.Release.ID, music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rel.Tracks[0].Renditions, orig.Renditions) {
		t.Errorf("duplicate's renditions in its release %+v", rel.Tracks[0].Renditions)
	}
	got, err := e.s.TracksByPCMHash(e.ctx, p.Fingerprints[0].PCMSHA256)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tr := range got {
		ids = append(ids, tr.ID)
	}
	want := []string{p.Tracks[0].ID, q.Tracks[0].ID}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("TracksByPCMHash = %v, want %v", ids, want)
	}
	if len(got) == 2 && (got[1].Dedup != q.Tracks[0].Dedup || got[1].ReleaseStatus != music.ReleasePending) {
		t.Errorf("second match %+v: want dedup %+v and a pending release", got[1], q.Tracks[0].Dedup)
	}
	none, err := e.s.TracksByPCMHash(e.ctx, "0000")
	if err != nil || len(none) != 0 {
		t.Errorf("unknown hash: %v, %v", none, err)
	}
}

func testPaging(t *testing.T, e *env) {
	var want []string
	for n := 40; n < 43; n++ {
		p := Publication(n, 3)
		e.put(p)
		for _, tr := range p.Tracks {
			want = append(want, tr.ID)
		}
	}
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, err := e.s.Tracks(e.ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, tr := range page {
			if len(tr.Artists) != 2 || tr.ReleaseTitle == "" {
				t.Errorf("track %s in page: artists %v, release title %q", tr.ID, tr.Artists, tr.ReleaseTitle)
			}
			got = append(got, tr.ID)
		}
		after = page[len(page)-1].ID
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paged track IDs %v, want %v", got, want)
	}
	var fps []string
	after = ""
	for {
		page, err := e.s.Fingerprints(e.ctx, "chromaprint2", after, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, f := range page {
			fps = append(fps, f.TrackID)
		}
		after = page[len(page)-1].TrackID
	}
	if !reflect.DeepEqual(fps, want) {
		t.Errorf("paged fingerprints %v, want %v", fps, want)
	}
	if page, err := e.s.Fingerprints(e.ctx, "other-algorithm", "", 10); err != nil || len(page) != 0 {
		t.Errorf("fingerprints of another algorithm: %v, %v", page, err)
	}
	_, err := e.s.Tracks(e.ctx, "", 0)
	wantCode(t, "Tracks limit 0", err, music.EINVALID)
}
