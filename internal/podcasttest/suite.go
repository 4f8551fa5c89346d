// Package podcasttest is the conformance suite of music.PodcastStore, run
// by every implementation on each of its backends.
package podcasttest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// Store is what the suite needs of an implementation: the podcast
// contracts, and users to follow shows.
type Store interface {
	music.PodcastStore
	music.PodcastListening
	music.EpisodePlays
	music.UserStore
}

// Run runs the suite; open returns a fresh, empty store for one test.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("AddShow", func(t *testing.T) { testAddShow(t, open(t)) })
	t.Run("SyncFeed", func(t *testing.T) { testSyncFeed(t, open(t)) })
	t.Run("PollState", func(t *testing.T) { testPollState(t, open(t)) })
	t.Run("GUIDSchemeChange", func(t *testing.T) { testGUIDSchemeChange(t, open(t)) })
	t.Run("BadSyncs", func(t *testing.T) { testBadSyncs(t, open(t)) })
	t.Run("Audio", func(t *testing.T) { testAudio(t, open(t)) })
	t.Run("Follows", func(t *testing.T) { testFollows(t, open(t)) })
	t.Run("Positions", func(t *testing.T) { testPositions(t, open(t)) })
	t.Run("Plays", func(t *testing.T) { testPlays(t, open(t)) })
	t.Run("TakeDown", func(t *testing.T) { testTakeDown(t, open(t)) })
}

// audioOf is what a fetch of e's enclosure would store.
func audioOf(e music.Episode) music.EpisodeAudio {
	return music.EpisodeAudio{
		SourceURL: e.Enclosure.URL, OriginalKey: "podcasts/" + e.ID + "/original", OriginalSHA256: "ab12", OriginalBytes: 4321,
		Duration: 95 * time.Second, LoudnessLUFS: -16.1, OriginalLUFS: -21.3, GainDB: 5.2,
		Renditions: []music.Rendition{{TrackID: e.ID, Rung: "24", BlobKey: "audio/" + e.ID + "/0123456789ab/24.ogg",
			Bytes: 300, SHA256: "0123456789abcdef", Codec: "vorbis", Bitrate: 24000, SampleRate: 16000, Channels: 2, Samples: 1520000}},
		Files: []music.EpisodeFile{
			{Kind: music.EpisodeChapters, Type: "application/json+chapters", Key: "podcasts/" + e.ID + "/chapters", SHA256: "cd34", Bytes: 120},
			{Kind: music.EpisodeTranscript, Type: "text/vtt", Error: "https://example.org/t.vtt: 404 Not Found"},
		},
	}
}

// publish stores audio for each episode, as the fetch would.
func publish(t *testing.T, s music.PodcastStore, eps ...music.Episode) {
	t.Helper()
	for _, e := range eps {
		if err := s.SetEpisodeAudio(context.Background(), e.ID, audioOf(e)); err != nil {
			t.Fatalf("publish %s: %v", e.GUID, err)
		}
	}
}

var day = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)

// episode returns a complete episode published n days after day.
func episode(guid string, n int) music.Episode {
	return music.Episode{
		GUID: guid, Title: "Episode " + guid, Description: "About " + guid, Season: 1, Number: n,
		PublishedAt: day.AddDate(0, 0, n), Duration: time.Duration(n) * time.Minute, Explicit: n%2 == 0,
		Enclosure:  music.Enclosure{URL: "https://cdn.example.org/" + guid + ".mp3", Type: "audio/mpeg", Length: int64(n) * 1000},
		Chapters:   music.Link{URL: "https://example.org/" + guid + ".json", Type: "application/json+chapters"},
		Transcript: music.Link{URL: "https://example.org/" + guid + ".vtt", Type: "text/vtt"},
	}
}

var meta = music.Show{GUID: "show-guid", Title: "Signal", Author: "A", Description: "D", ImageURL: "https://example.org/c.jpg",
	Language: "en", Explicit: true, Locked: true}

func newShow(t *testing.T, s music.PodcastStore) string {
	t.Helper()
	sh, created, err := s.AddShow(context.Background(), "https://example.org/feed.xml")
	if err != nil || !created || sh.ID == "" {
		t.Fatalf("AddShow = %+v, %v, %v", sh, created, err)
	}
	return sh.ID
}

func guids(eps []music.Episode) []string {
	out := []string{}
	for _, e := range eps {
		out = append(out, e.GUID)
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if music.ErrorCode(err) != code {
		t.Errorf("%s: err %v, want code %s", what, err, code)
	}
}

func testAddShow(t *testing.T, s music.PodcastStore) {
	ctx := context.Background()
	id := newShow(t, s)
	again, created, err := s.AddShow(ctx, "https://example.org/feed.xml")
	if err != nil || created || again.ID != id {
		t.Fatalf("adding the feed again = %+v, %v, %v; want show %s, not created", again, created, err, id)
	}
	other, created, err := s.AddShow(ctx, "https://example.org/other.xml")
	if err != nil || !created || other.ID == id {
		t.Fatalf("another feed = %+v, %v, %v", other, created, err)
	}
	_, err = s.Show(ctx, "show_nope")
	wantCode(t, "unknown show", err, music.ENOTFOUND)
	first, err := s.Shows(ctx, "", 1)
	if err != nil || len(first) != 1 {
		t.Fatalf("first page of shows = %v, %v", first, err)
	}
	rest, err := s.Shows(ctx, first[0].ID, 10)
	if err != nil || len(rest) != 1 || rest[0].ID == first[0].ID || (rest[0].ID != id && rest[0].ID != other.ID) {
		t.Fatalf("second page of shows = %v, %v", rest, err)
	}
	_, _, err = s.AddShow(ctx, "")
	wantCode(t, "empty feed URL", err, music.EINVALID)
}

func testSyncFeed(t *testing.T, s music.PodcastStore) {
	ctx := context.Background()
	id := newShow(t, s)
	a, b, c := episode("a", 1), episode("b", 2), episode("c", 3)
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{c, b, a}, music.FeedState{ETag: `"1"`, PolledAt: day})
	if err != nil {
		t.Fatal(err)
	}
	if got := guids(fetch); !reflect.DeepEqual(got, []string{"c", "b", "a"}) {
		t.Fatalf("first poll fetches %v, want every episode", got)
	}
	cID := fetch[0].ID
	if _, total, _ := s.Episodes(ctx, id, 0, 10); total != 0 {
		t.Fatalf("%d episodes listed before any audio was fetched, want 0", total)
	}
	publish(t, s, fetch...)
	oldB := fetch[1]
	sh, err := s.Show(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantMeta := meta
	wantMeta.ID, wantMeta.FeedURL = id, "https://example.org/feed.xml"
	if *sh != wantMeta {
		t.Errorf("show\n got %+v\nwant %+v", *sh, wantMeta)
	}
	got, err := s.Episode(ctx, fetch[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	wantB := b
	wantB.ID, wantB.ShowID = fetch[1].ID, id
	bAudio := audioOf(fetch[1])
	wantB.Audio = &bAudio
	if !reflect.DeepEqual(*got, wantB) {
		t.Errorf("episode round trip\n got %+v\nwant %+v", *got, wantB)
	}

	// b's enclosure moves, c is dropped, d is new, a is unchanged.
	b.Enclosure.URL = "https://cdn.example.org/b-v2.mp3"
	d := episode("d", 4)
	fetch, err = s.SyncFeed(ctx, id, meta, []music.Episode{d, b, a}, music.FeedState{ETag: `"2"`, PolledAt: day.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got := guids(fetch); !reflect.DeepEqual(got, []string{"d", "b"}) {
		t.Fatalf("second poll fetches %v, want [d b]", got)
	}
	// Audio fetched from b's old enclosure is stale; b keeps the audio it
	// had until the new enclosure is fetched.
	wantCode(t, "audio from a replaced enclosure", s.SetEpisodeAudio(ctx, oldB.ID, audioOf(oldB)), music.ECONFLICT)
	publish(t, s, fetch[0])
	eps, total, err := s.Episodes(ctx, id, 0, 10)
	if err != nil || total != 3 || !reflect.DeepEqual(guids(eps), []string{"d", "b", "a"}) {
		t.Fatalf("visible episodes = %v of %d, %v; want [d b a] of 3", guids(eps), total, err)
	}
	page, total, err := s.Episodes(ctx, id, 1, 1)
	if err != nil || total != 3 || !reflect.DeepEqual(guids(page), []string{"b"}) {
		t.Fatalf("page 2 of 1 = %v of %d, %v", guids(page), total, err)
	}
	// c is kept, hidden: still readable by ID, not listed.
	hiddenC, err := s.Episode(ctx, cID)
	if err != nil || !hiddenC.Hidden || hiddenC.GUID != "c" {
		t.Fatalf("dropped episode c = %+v, %v; want it kept and hidden", hiddenC, err)
	}

	// c comes back unchanged: shown again, nothing to fetch.
	fetch, err = s.SyncFeed(ctx, id, meta, []music.Episode{d, c, b, a}, music.FeedState{ETag: `"3"`})
	if err != nil || len(fetch) != 0 {
		t.Fatalf("c returns: fetch %v, %v; want nothing", guids(fetch), err)
	}
	if _, total, _ := s.Episodes(ctx, id, 0, 10); total != 4 {
		t.Fatalf("%d visible after c returns, want 4", total)
	}
	if back, err := s.Episode(ctx, cID); err != nil || back.Hidden {
		t.Fatalf("c after it returns = %+v, %v; want it shown", back, err)
	}
}

func testPollState(t *testing.T, s music.PodcastStore) {
	ctx := context.Background()
	id := newShow(t, s)
	st, err := s.FeedState(ctx, id)
	if err != nil || st != (music.FeedState{}) {
		t.Fatalf("a new show's state = %+v, %v; want empty", st, err)
	}
	failed := music.FeedState{ETag: `"x"`, LastModified: "Tue, 10 Nov 2026 06:00:00 GMT", PolledAt: day, Failures: 2, LastError: "fetch: 503"}
	if err := s.RecordPoll(ctx, id, failed); err != nil {
		t.Fatal(err)
	}
	if st, err := s.FeedState(ctx, id); err != nil || st != failed {
		t.Fatalf("state = %+v, %v; want %+v", st, err, failed)
	}
	if _, err := s.SyncFeed(ctx, id, meta, nil, music.FeedState{ETag: `"y"`, PolledAt: day.Add(time.Hour), Failures: 2, LastError: "old"}); err != nil {
		t.Fatal(err)
	}
	want := music.FeedState{ETag: `"y"`, PolledAt: day.Add(time.Hour)}
	if st, err := s.FeedState(ctx, id); err != nil || st != want {
		t.Fatalf("after a good poll state = %+v, %v; want %+v (failures cleared)", st, err, want)
	}
	wantCode(t, "record poll of an unknown show", s.RecordPoll(ctx, "show_nope", failed), music.ENOTFOUND)
	_, err = s.FeedState(ctx, "show_nope")
	wantCode(t, "state of an unknown show", err, music.ENOTFOUND)
}

func testGUIDSchemeChange(t *testing.T, s music.PodcastStore) {
	ctx := context.Background()
	id := newShow(t, s)
	a, b := episode("a", 1), episode("b", 2)
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{b, a}, music.FeedState{ETag: `"1"`})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, s, fetch...)
	renamed := []music.Episode{b, a}
	for i := range renamed {
		renamed[i].GUID = fmt.Sprintf("https://example.org/ep/%d", i)
	}
	changed := meta
	changed.Title = "Renamed"
	_, err = s.SyncFeed(ctx, id, changed, renamed, music.FeedState{ETag: `"2"`})
	wantCode(t, "a feed that renamed every guid", err, music.EUNPROCESSABLE)
	eps, total, _ := s.Episodes(ctx, id, 0, 10)
	st, _ := s.FeedState(ctx, id)
	sh, _ := s.Show(ctx, id)
	if total != 2 || !reflect.DeepEqual(guids(eps), []string{"b", "a"}) || st.ETag != `"1"` || sh.Title != meta.Title {
		t.Fatalf("after the refused poll: %v of %d, etag %s, title %q; want nothing changed", guids(eps), total, st.ETag, sh.Title)
	}
}

func testBadSyncs(t *testing.T, s music.PodcastStore) {
	ctx := context.Background()
	id := newShow(t, s)
	a := episode("a", 1)
	noGUID := a
	noGUID.GUID = ""
	noEnclosure := episode("b", 2)
	noEnclosure.Enclosure.URL = ""
	for name, eps := range map[string][]music.Episode{
		"duplicate guid": {a, a}, "no guid": {noGUID}, "no enclosure": {noEnclosure},
	} {
		_, err := s.SyncFeed(ctx, id, meta, eps, music.FeedState{})
		wantCode(t, name, err, music.EINVALID)
	}
	_, err := s.SyncFeed(ctx, id, music.Show{}, []music.Episode{a}, music.FeedState{})
	wantCode(t, "no title", err, music.EINVALID)
	_, err = s.SyncFeed(ctx, "show_nope", meta, []music.Episode{a}, music.FeedState{})
	wantCode(t, "unknown show", err, music.ENOTFOUND)
	if _, total, _ := s.Episodes(ctx, id, 0, 10); total != 0 {
		t.Fatalf("%d episodes stored by refused polls", total)
	}
	_, err = s.Episode(ctx, "ep_nope")
	wantCode(t, "unknown episode", err, music.ENOTFOUND)
}

func testAudio(t *testing.T, s music.PodcastStore) {
	ctx := context.Background()
	id := newShow(t, s)
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{episode("b", 2), episode("a", 1)}, music.FeedState{})
	if err != nil {
		t.Fatal(err)
	}
	b, a := fetch[0], fetch[1]
	if err := s.SetEpisodeAudioError(ctx, b.ID, "enclosure: 404 Not Found"); err != nil {
		t.Fatal(err)
	}
	publish(t, s, a)
	eps, total, err := s.Episodes(ctx, id, 0, 10)
	if err != nil || total != 1 || len(eps) != 1 || eps[0].ID != a.ID {
		t.Fatalf("listed %v of %d, %v; want only a, whose audio is ready", guids(eps), total, err)
	}
	if want := audioOf(a); eps[0].Audio == nil || !reflect.DeepEqual(*eps[0].Audio, want) || eps[0].AudioError != "" {
		t.Fatalf("a's audio\n got %+v (error %q)\nwant %+v", eps[0].Audio, eps[0].AudioError, want)
	}
	got, err := s.Episode(ctx, b.ID)
	if err != nil || got.Audio != nil || got.AudioError != "enclosure: 404 Not Found" {
		t.Fatalf("b = %+v, %v; want no audio and the fetch error", got, err)
	}
	// The next poll fetches b again, not a.
	again, err := s.SyncFeed(ctx, id, meta, []music.Episode{episode("b", 2), episode("a", 1)}, music.FeedState{})
	if err != nil || !reflect.DeepEqual(guids(again), []string{"b"}) {
		t.Fatalf("next poll fetches %v, %v; want [b], still without audio", guids(again), err)
	}
	// A later failure keeps the published audio; a success clears the error.
	if err := s.SetEpisodeAudioError(ctx, a.ID, "enclosure: 503"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Episode(ctx, a.ID); got.Audio == nil || got.AudioError != "enclosure: 503" {
		t.Fatalf("a after a failed re-fetch = %+v", got)
	}
	publish(t, s, a)
	if got, _ := s.Episode(ctx, a.ID); got.AudioError != "" {
		t.Fatalf("error %q left after a good fetch", got.AudioError)
	}
	wantCode(t, "audio for an unknown episode", s.SetEpisodeAudio(ctx, "ep_nope", audioOf(a)), music.ENOTFOUND)
	wantCode(t, "error for an unknown episode", s.SetEpisodeAudioError(ctx, "ep_nope", "x"), music.ENOTFOUND)
	wantCode(t, "audio without renditions", s.SetEpisodeAudio(ctx, b.ID, music.EpisodeAudio{SourceURL: b.Enclosure.URL, OriginalKey: "k"}), music.EINVALID)
	wantCode(t, "an empty error", s.SetEpisodeAudioError(ctx, b.ID, ""), music.EINVALID)
}

func newUser(t *testing.T, s Store, name string) string {
	t.Helper()
	u, _, err := s.CreateUser(context.Background(), name, music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func testFollows(t *testing.T, s Store) {
	ctx := context.Background()
	alice, bob := newUser(t, s, "alice"), newUser(t, s, "bob")
	id := newShow(t, s)
	other, _, err := s.AddShow(ctx, "https://example.org/other.xml")
	if err != nil {
		t.Fatal(err)
	}
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{episode("c", 3), episode("b", 2), episode("a", 1)}, music.FeedState{})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, s, fetch[1:]...) // c has no audio yet: not counted
	for _, sh := range []string{id, other.ID, id} {
		if err := s.FollowShow(ctx, alice, sh); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "follow an unknown show", s.FollowShow(ctx, alice, "show_nope"), music.ENOTFOUND)
	done := music.EpisodeProgress{Position: 2 * time.Minute, Completed: true, UpdatedAt: day}
	if err := s.SetEpisodePosition(ctx, alice, fetch[2].ID, done); err != nil {
		t.Fatal(err)
	}
	half := music.EpisodeProgress{Position: time.Minute, UpdatedAt: day}
	if err := s.SetEpisodePosition(ctx, alice, fetch[1].ID, half); err != nil {
		t.Fatal(err)
	}
	shows, total, err := s.FollowedShows(ctx, alice, 0, 10)
	if err != nil || total != 2 || len(shows) != 2 {
		t.Fatalf("followed %+v of %d, %v; want 2", shows, total, err)
	}
	unplayed := map[string]int{}
	for _, f := range shows {
		unplayed[f.ID] = f.Unplayed
	}
	if unplayed[id] != 1 || unplayed[other.ID] != 0 || shows[0].Title == "" && shows[1].Title == "" {
		t.Fatalf("unplayed %v; want 1 for the show (b started, a finished, c unpublished) and 0 for the empty one", unplayed)
	}
	if shows, total, _ := s.FollowedShows(ctx, bob, 0, 10); total != 0 || len(shows) != 0 {
		t.Fatalf("bob follows %v", shows)
	}
	for i := 0; i < 2; i++ { // idempotent
		if err := s.UnfollowShow(ctx, alice, other.ID); err != nil {
			t.Fatal(err)
		}
	}
	if shows, total, _ := s.FollowedShows(ctx, alice, 0, 10); total != 1 || shows[0].ID != id {
		t.Fatalf("after unfollowing: %v of %d", shows, total)
	}
}

func testPositions(t *testing.T, s Store) {
	ctx := context.Background()
	alice, bob := newUser(t, s, "alice"), newUser(t, s, "bob")
	id := newShow(t, s)
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{episode("a", 1)}, music.FeedState{})
	if err != nil {
		t.Fatal(err)
	}
	ep := fetch[0].ID
	if p, err := s.EpisodePosition(ctx, alice, ep); err != nil || p != (music.EpisodeProgress{}) {
		t.Fatalf("no position yet = %+v, %v", p, err)
	}
	at := func(min int) time.Time { return day.Add(time.Duration(min) * time.Minute) }
	steps := []music.EpisodeProgress{
		{Position: 30 * time.Second, UpdatedAt: at(1)},
		{Position: 10 * time.Second, UpdatedAt: at(0)}, // older, from another device: ignored
		{Position: 59 * time.Second, Completed: true, UpdatedAt: at(2)},
		{Position: 5 * time.Second, UpdatedAt: at(3)}, // listening again: completed stays
	}
	want := []music.EpisodeProgress{steps[0], steps[0], steps[2], {Position: 5 * time.Second, Completed: true, UpdatedAt: at(3)}}
	for i, p := range steps {
		if err := s.SetEpisodePosition(ctx, alice, ep, p); err != nil {
			t.Fatal(err)
		}
		if got, err := s.EpisodePosition(ctx, alice, ep); err != nil || got != want[i] {
			t.Fatalf("after report %d: %+v, %v; want %+v", i, got, err, want[i])
		}
	}
	if p, _ := s.EpisodePosition(ctx, bob, ep); p != (music.EpisodeProgress{}) {
		t.Fatalf("bob sees alice's position %+v", p)
	}
	wantCode(t, "position of an unknown episode", s.SetEpisodePosition(ctx, alice, "ep_nope", steps[0]), music.ENOTFOUND)
	wantCode(t, "negative position", s.SetEpisodePosition(ctx, alice, ep, music.EpisodeProgress{Position: -time.Second}), music.EINVALID)
}

func testPlays(t *testing.T, s Store) {
	ctx := context.Background()
	alice, bob := newUser(t, s, "alice"), newUser(t, s, "bob")
	id := newShow(t, s)
	other := newShowAt(t, s, "https://example.org/other.xml")
	fetch, err := s.SyncFeed(ctx, id, meta, []music.Episode{episode("b", 2), episode("a", 1)}, music.FeedState{})
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := s.SyncFeed(ctx, other, meta, []music.Episode{episode("x", 1)}, music.FeedState{})
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := day, day.Add(24*time.Hour)
	for i, p := range []music.EpisodePlay{
		{EventID: "e1", UserID: alice, EpisodeID: fetch[0].ID, PlayedAt: d1, Listened: time.Minute, Completed: true},
		{EventID: "e2", UserID: alice, EpisodeID: fetch[1].ID, PlayedAt: d1.Add(time.Hour), Listened: 30 * time.Second},
		{EventID: "e3", UserID: bob, EpisodeID: fetch[0].ID, PlayedAt: d1.Add(2 * time.Hour), Listened: 10 * time.Second},
		{EventID: "e4", EpisodeID: fetch[0].ID, PlayedAt: d2, Listened: 5 * time.Second}, // anonymous
		{EventID: "e5", UserID: bob, EpisodeID: elsewhere[0].ID, PlayedAt: d2, Listened: time.Hour},
	} {
		if dup, err := s.RecordEpisodePlay(ctx, p); err != nil || dup {
			t.Fatalf("play %d: duplicate %v, %v", i, dup, err)
		}
	}
	if dup, err := s.RecordEpisodePlay(ctx, music.EpisodePlay{EventID: "e1", UserID: alice, EpisodeID: fetch[0].ID, PlayedAt: d1}); err != nil || !dup {
		t.Fatalf("a repeated event: duplicate %v, %v; want a duplicate", dup, err)
	}
	_, err = s.RecordEpisodePlay(ctx, music.EpisodePlay{EventID: "e9", EpisodeID: "ep_nope", PlayedAt: d1})
	wantCode(t, "a play of an unknown episode", err, music.ENOTFOUND)
	got, err := s.ShowStats(ctx, id, "2026-11-01", "2026-11-30")
	want := []music.ShowDay{
		{Day: "2026-11-01", Plays: 3, Listeners: 2, Listened: 100 * time.Second, Completed: 1},
		{Day: "2026-11-02", Plays: 1, Listeners: 0, Listened: 5 * time.Second},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("stats\n got %+v, %v\nwant %+v", got, err, want)
	}
	if got, _ := s.ShowStats(ctx, id, "2026-11-02", "2026-11-02"); len(got) != 1 || got[0].Plays != 1 {
		t.Fatalf("one day's stats %+v", got)
	}
}

func newShowAt(t *testing.T, s music.PodcastStore, url string) string {
	t.Helper()
	sh, _, err := s.AddShow(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return sh.ID
}
