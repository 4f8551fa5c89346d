package serving

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/offlinecrypt"
)

// offlineEnv is an apiEnv with the offline routes over a file blob store
// holding bytes at every rendition key of album rel-1.
type offlineEnv struct {
	*apiEnv
	blobs *filestore.Store
	ops   string
	audio map[string][]byte // rendition blob key → bytes
	// A podcast (seedPodcast): ep is published with audio at every rung,
	// unpub has no audio yet.
	showID, ep, unpub string
}

var offlineTracks = []string{"rel-1-d1t01", "rel-1-d1t02", "rel-1-d2t01", "rel-1-d2t02"}

func newOfflineEnv(t testing.TB, maxTracks int) *offlineEnv {
	e := &offlineEnv{apiEnv: newAPIEnv(t), audio: map[string][]byte{}}
	ctx := context.Background()
	var err error
	if e.blobs, err = filestore.Open(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	putRenditions := func(rds []music.Rendition) {
		for _, rd := range rds {
			b := make([]byte, 100_000+rng.IntN(50_000))
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			if _, err := e.blobs.Put(ctx, rd.BlobKey, bytes.NewReader(b), music.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			e.audio[rd.BlobKey] = b
		}
	}
	for _, id := range offlineTracks {
		tr, err := e.st.Track(ctx, id, music.Visibility{})
		if err != nil {
			t.Fatal(err)
		}
		putRenditions(tr.Renditions)
	}
	e.showID, e.ep, e.unpub = seedPodcast(t, e.st)
	ep, err := e.st.Episode(ctx, e.ep)
	if err != nil {
		t.Fatal(err)
	}
	putRenditions(ep.Audio.Renditions)
	keys, err := offlinecrypt.NewKeyring(bytes.Repeat([]byte{5}, offlinecrypt.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	e.s.Signer = testSigner(t, "")
	e.s.HandleOffline(Offline{Users: e.st, Store: e.st, Catalog: e.st, Playlists: e.st, Podcasts: e.st, Blobs: e.blobs, Keys: keys, MaxDevices: 2, MaxTracks: maxTracks})
	if _, e.ops, err = e.st.CreateUser(ctx, "ops", music.RoleOps, "GB"); err != nil {
		t.Fatal(err)
	}
	return e
}

// enrol makes a device key and enrols it for token.
func (e *offlineEnv) enrol(token string) (*offlinecrypt.DeviceKey, deviceJSON) {
	e.t.Helper()
	k, err := offlinecrypt.NewDeviceKey()
	if err != nil {
		e.t.Fatal(err)
	}
	var d deviceJSON
	e.must(201, &d, "POST", "/api/v1/me/offline/devices", token, `{"name":"phone","public_key":"`+offlinecrypt.EncodeKey(k.Public())+`"}`)
	return k, d
}

func (e *offlineEnv) manifest(token, body string) manifestJSON {
	e.t.Helper()
	var m manifestJSON
	e.must(200, &m, "POST", "/api/v1/me/offline/downloads", token, body)
	return m
}

// play fetches an item's encrypted object and opens it with the device
// key, as a client would.
func (e *offlineEnv) play(k *offlinecrypt.DeviceKey, it manifestItemJSON) ([]byte, error) {
	e.t.Helper()
	u, err := url.Parse(it.URL)
	if err != nil {
		e.t.Fatal(err)
	}
	code, _, sealed := e.do("GET", u.RequestURI(), "", "")
	if code != 200 {
		e.t.Fatalf("GET %s: %d %s", it.URL, code, sealed)
	}
	wrapped, err := offlinecrypt.DecodeKey(it.WrappedKey)
	if err != nil {
		return nil, err
	}
	key, err := k.Unwrap(wrapped, it.ObjectKey)
	if err != nil {
		return nil, err
	}
	r, err := offlinecrypt.NewReader(bytes.NewReader(sealed), int64(len(sealed)), key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, r.Size())
	_, err = r.ReadAt(out, 0)
	return out, err
}

// TestOfflineAuthorization checks every offline route for every kind of
// caller. alice owns the device; bob's answers show another listener
// cannot use it.
func TestOfflineAuthorization(t *testing.T) {
	e := newOfflineEnv(t, 100)
	_, dev := e.enrol(e.alice)
	k, _ := offlinecrypt.NewDeviceKey()
	enrol := `{"name":"x","public_key":"` + offlinecrypt.EncodeKey(k.Public()) + `"}`
	dl := `{"device_id":"` + dev.DeviceID + `","track_ids":["rel-1-d1t01"]}`
	m := e.manifest(e.alice, dl)
	renew := `{"device_id":"` + dev.DeviceID + `","licences":["` + m.Items[0].Licence + `"]}`
	forget := `{"device_id":"` + dev.DeviceID + `","track_ids":["rel-1-d1t01"]}`
	dlEpisode := `{"device_id":"` + dev.DeviceID + `","episode_ids":["` + e.ep + `"]}`
	em := e.manifest(e.alice, dlEpisode)
	renewEpisode := `{"device_id":"` + dev.DeviceID + `","licences":["` + em.Items[0].Licence + `"]}`
	forgetEpisode := `{"device_id":"` + dev.DeviceID + `","episode_ids":["` + e.ep + `"]}`
	type cell struct{ anon, owner, other, label, ops int }
	for _, tc := range []struct {
		method, path, body string
		want               cell
	}{
		{"GET", "/api/v1/me/offline/devices", "", cell{401, 200, 200, 403, 403}},
		{"POST", "/api/v1/me/offline/downloads", dl, cell{401, 200, 404, 403, 403}},
		{"POST", "/api/v1/me/offline/licences/renew", renew, cell{401, 200, 404, 403, 403}},
		{"DELETE", "/api/v1/me/offline/downloads", forget, cell{401, 204, 404, 403, 403}},
		{"POST", "/api/v1/me/offline/downloads", dlEpisode, cell{401, 200, 404, 403, 403}},
		{"POST", "/api/v1/me/offline/licences/renew", renewEpisode, cell{401, 200, 404, 403, 403}},
		{"DELETE", "/api/v1/me/offline/downloads", forgetEpisode, cell{401, 204, 404, 403, 403}},
		{"POST", "/api/v1/me/offline/devices", enrol, cell{401, 201, 201, 403, 403}},
		{"DELETE", "/api/v1/me/offline/devices/" + dev.DeviceID, "", cell{401, 204, 404, 403, 403}},
	} {
		for _, who := range []struct {
			name, token string
			want        int
		}{{"anonymous", "", tc.want.anon}, {"other", e.bob, tc.want.other}, {"label", e.lbl, tc.want.label},
			{"ops", e.ops, tc.want.ops}, {"owner", e.alice, tc.want.owner}} {
			code, _, body := e.do(tc.method, tc.path, who.token, tc.body)
			if code != who.want {
				t.Errorf("%s %s as %s: %d, want %d: %s", tc.method, tc.path, who.name, code, who.want, body)
			}
		}
	}
	// The object routes need the URL's signature, not a token.
	for _, it := range []manifestItemJSON{m.Items[0], em.Items[0]} {
		u, _ := url.Parse(it.URL)
		if code, _, _ := e.do("GET", u.RequestURI(), "", ""); code != 200 {
			t.Errorf("signed object URL %s: %d, want 200", u.Path, code)
		}
		if code, _, _ := e.do("GET", u.Path, "", ""); code != 401 {
			t.Errorf("unsigned object URL %s: %d, want 401", u.Path, code)
		}
		if code, _, _ := e.do("GET", u.Path+"?exp=9999999999&sig=x", "", ""); code != 403 {
			t.Errorf("badly signed object URL %s: %d, want 403", u.Path, code)
		}
	}
}

// TestOfflineDownloadPlaysAndRenews downloads an album, opens every track
// with the device key, and renews.
func TestOfflineDownloadPlaysAndRenews(t *testing.T) {
	e := newOfflineEnv(t, 100)
	k, dev := e.enrol(e.alice)
	other, _ := offlinecrypt.NewDeviceKey()
	m := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","album_id":"rel-1","quality":"96"}`)
	if len(m.Items) != 4 {
		t.Fatalf("album manifest has %d items", len(m.Items))
	}
	pub, _ := offlinecrypt.DecodeKey(dev.LicenceKey)
	for _, it := range m.Items {
		got, err := e.play(k, it)
		tr, _ := e.st.Track(context.Background(), it.TrackID, music.Visibility{})
		want := e.audio[tr.Renditions[1].BlobKey]
		if err != nil || !bytes.Equal(got, want) || it.Rung != "96" {
			t.Fatalf("%s: %d bytes back, want %d (%v)", it.TrackID, len(got), len(want), err)
		}
		l, err := offlinecrypt.ParseLicence(pub, it.Licence)
		if err != nil || l.Allows(e.aliceID, dev.DeviceID, music.OfflineItem{Kind: music.OfflineTrack, ID: it.TrackID}, catalogNow) != nil || !l.Expires.Equal(catalogNow.Add(music.OfflineLicenceWindow)) {
			t.Fatalf("%s licence: %+v, %v", it.TrackID, l, err)
		}
		if _, err := e.play(other, it); err == nil || !strings.Contains(err.Error(), "another device") {
			t.Fatalf("another device's key opened %s: %v", it.TrackID, err)
		}
	}
	// The same rendition is encrypted once: a second device shares it.
	_, dev2 := e.enrol(e.alice)
	m2 := e.manifest(e.alice, `{"device_id":"`+dev2.DeviceID+`","track_ids":["rel-1-d1t01"],"quality":"96"}`)
	if m2.Items[0].ObjectKey != m.Items[0].ObjectKey || m2.Items[0].WrappedKey == m.Items[0].WrappedKey {
		t.Fatalf("second device: object %s (first %s); wraps differ: %v", m2.Items[0].ObjectKey, m.Items[0].ObjectKey, m2.Items[0].WrappedKey != m.Items[0].WrappedKey)
	}

	renew := func(licences ...string) (int, []renewItemJSON, string) {
		body, _ := json.Marshal(map[string]any{"device_id": dev.DeviceID, "licences": licences})
		code, _, b := e.do("POST", "/api/v1/me/offline/licences/renew", e.alice, string(body))
		var out struct{ Items []renewItemJSON }
		_ = json.Unmarshal(b, &out)
		return code, out.Items, string(b)
	}
	code, items, body := renew(m.Items[0].Licence, m.Items[1].Licence)
	if code != 200 || len(items) != 2 || items[0].Status != renewRenewed || items[0].Licence == "" {
		t.Fatalf("renew: %d %s", code, body)
	}
	if _, items, body = renew(m.Items[0].Licence); items[0].Status != renewReplayed || items[0].Licence != "" {
		t.Fatalf("replayed renewal: %s", body)
	}
	bad := []byte(m.Items[2].Licence)
	bad[10] ^= 1
	if code, _, body = renew(string(bad)); code != 400 {
		t.Fatalf("tampered licence: %d %s", code, body)
	}
	if code, _, body = renew(m2.Items[0].Licence); code != 403 {
		t.Fatalf("another device's licence: %d %s", code, body)
	}
	if err := e.st.TakedownRelease(context.Background(), "rel-1"); err != nil {
		t.Fatal(err)
	}
	if _, items, body = renew(m.Items[2].Licence); items[0].Status != renewDelete {
		t.Fatalf("renewal after a takedown: %s", body)
	}
	e.must(204, nil, "DELETE", "/api/v1/me/offline/devices/"+dev.DeviceID, e.alice, "")
	if code, _, body = renew(m.Items[3].Licence); code != 404 {
		t.Fatalf("renewal for a revoked device: %d %s", code, body)
	}
}

// TestOfflineBadInput: each refusal has its status, and a refused
// download issues no licence and records nothing.
func TestOfflineBadInput(t *testing.T) {
	e := newOfflineEnv(t, 2)
	_, dev := e.enrol(e.alice)
	e.enrol(e.alice)
	private := e.create(e.bob, `{"name":"Secret"}`).ID
	d := `"device_id":"` + dev.DeviceID + `"`
	for _, tc := range []struct {
		name, method, path, body string
		want                     int
	}{
		{"third device over the limit", "POST", "/api/v1/me/offline/devices", `{"name":"x","public_key":"` + offlinecrypt.EncodeKey(bytes.Repeat([]byte{9}, 32)) + `"}`, 422},
		{"bad public key", "POST", "/api/v1/me/offline/devices", `{"name":"x","public_key":"AAAA"}`, 400},
		{"unknown device", "POST", "/api/v1/me/offline/downloads", `{"device_id":"od_nope","track_ids":["rel-1-d1t01"]}`, 404},
		{"over the track limit", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":["rel-1-d1t01","rel-1-d1t02","rel-1-d2t01"]}`, 422},
		{"a playlist the user cannot see", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"playlist_id":"` + private + `"}`, 403},
		{"two sources", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":["rel-1-d1t01"],"album_id":"rel-1"}`, 400},
		{"a track of another territory", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":["rel-2-d1t01"]}`, 422},
		{"bad quality", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":["rel-1-d1t01"],"quality":"preview"}`, 400},
		{"an unknown episode", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"episode_ids":["ep_nope"]}`, 422},
		{"an episode without audio", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"episode_ids":["` + e.unpub + `"]}`, 422},
		{"tracks and episodes in one request", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":["rel-1-d1t01"],"episode_ids":["` + e.ep + `"]}`, 400},
		{"a track among the episode_ids", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"episode_ids":["` + e.ep + `","rel-1-d1t01"]}`, 422},
		{"an episode among the track_ids", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":["rel-1-d1t01","` + e.ep + `"]}`, 422},
		{"an episode at a music rung", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"episode_ids":["` + e.ep + `"],"quality":"160"}`, 400},
		{"too many episodes", "POST", "/api/v1/me/offline/downloads", `{` + d + `,"episode_ids":[` + strings.TrimSuffix(strings.Repeat(`"`+e.ep+`",`, MaxOfflineBatch+1), ",") + `]}`, 400},
		{"forget nothing", "DELETE", "/api/v1/me/offline/downloads", `{` + d + `,"track_ids":[],"episode_ids":[]}`, 400},
		{"not a licence", "POST", "/api/v1/me/offline/licences/renew", `{` + d + `,"licences":["x.y"]}`, 400},
		{"no licences", "POST", "/api/v1/me/offline/licences/renew", `{` + d + `,"licences":[]}`, 400},
	} {
		code, _, body := e.do(tc.method, tc.path, e.alice, tc.body)
		if code != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.name, code, tc.want, body)
		}
		if strings.Contains(tc.name, "among") && !strings.Contains(string(body), "_ids[1]") {
			t.Errorf("%s: the error names no field: %s", tc.name, body)
		}
	}
	if held, _ := e.st.OfflineDownloads(context.Background(), e.aliceID, dev.DeviceID); len(held) != 0 {
		t.Fatalf("refused downloads left %d grants", len(held))
	}
	// A licence for another user is refused without renewing anything.
	_, bobDev := e.enrol(e.bob)
	bm := e.manifest(e.bob, `{"device_id":"`+bobDev.DeviceID+`","track_ids":["rel-1-d1t01"]}`)
	code, _, body := e.do("POST", "/api/v1/me/offline/licences/renew", e.alice, `{`+d+`,"licences":["`+bm.Items[0].Licence+`"]}`)
	if code != 403 {
		t.Fatalf("alice renewing bob's licence: %d %s", code, body)
	}
}

// TestOfflineEncryptsOncePerRendition: concurrent first downloads of one
// track by several devices run one encryption.
func TestOfflineEncryptsOncePerRendition(t *testing.T) {
	e := newOfflineEnv(t, 100)
	var devs []string
	for _, tok := range []string{e.alice, e.alice, e.bob, e.bob} {
		_, d := e.enrol(tok)
		devs = append(devs, d.DeviceID)
	}
	var wg sync.WaitGroup
	keys := make([]string, len(devs))
	for i, tok := range []string{e.alice, e.alice, e.bob, e.bob} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _, b := e.do("POST", "/api/v1/me/offline/downloads", tok, fmt.Sprintf(`{"device_id":%q,"track_ids":["rel-1-d2t02"]}`, devs[i]))
			var m manifestJSON
			if code != 200 || json.Unmarshal(b, &m) != nil {
				t.Errorf("download %d: %d %s", i, code, b)
				return
			}
			keys[i] = m.Items[0].ObjectKey
		}()
	}
	wg.Wait()
	if n := e.s.offlineObjects.made.Load(); n != 1 {
		t.Fatalf("%d encryptions for one rendition", n)
	}
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Fatalf("object keys differ: %v", keys)
		}
	}
}

// TestOfflineEpisodes downloads a podcast episode, opens it with the
// device key, renews it, and sees renewal refuse it once its feed dropped
// it; episodes count towards the same download limit as tracks.
func TestOfflineEpisodes(t *testing.T) {
	e := newOfflineEnv(t, 2)
	ctx := context.Background()
	k, dev := e.enrol(e.alice)
	m := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`","`+e.ep+`"]}`)
	if len(m.Items) != 1 {
		t.Fatalf("manifest of one episode asked twice: %+v", m.Items)
	}
	it := m.Items[0]
	if it.Kind != music.OfflineEpisode || it.EpisodeID != e.ep || it.TrackID != "" || it.Rung != "96" || it.Title != "New one" ||
		it.Artist != "The Show" || it.DurationMS != 61500 || !strings.HasPrefix(it.ObjectKey, "offline/episodes/"+e.ep+"/") ||
		!strings.HasPrefix(it.URL, "/offline/episodes/"+e.ep+"/") || math.Abs(it.ReplayGain.TrackGainDB-(-1.8)) > 1e-9 {
		t.Fatalf("episode item %+v", it)
	}
	ep, _ := e.st.Episode(ctx, e.ep)
	got, err := e.play(k, it)
	if want := e.audio[ep.Audio.Renditions[1].BlobKey]; err != nil || !bytes.Equal(got, want) {
		t.Fatalf("episode opened to %d bytes, want %d (%v)", len(got), len(want), err)
	}
	pub, _ := offlinecrypt.DecodeKey(dev.LicenceKey)
	l, err := offlinecrypt.ParseLicence(pub, it.Licence)
	if err != nil || l.Version != 2 || l.Allows(e.aliceID, dev.DeviceID, music.OfflineItem{Kind: music.OfflineEpisode, ID: e.ep}, catalogNow) != nil {
		t.Fatalf("episode licence %+v, %v", l, err)
	}
	if low := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`"],"quality":"24"}`); low.Items[0].Rung != "24" {
		t.Fatalf("quality 24: %+v", low.Items[0])
	}
	// The episode and one track fill a limit of 2.
	e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","track_ids":["rel-1-d1t01"]}`)
	if code, _, body := e.do("POST", "/api/v1/me/offline/downloads", e.alice, `{"device_id":"`+dev.DeviceID+`","track_ids":["rel-1-d1t02"]}`); code != 422 ||
		!strings.Contains(string(body), "tracks and episodes") {
		t.Fatalf("a track past a limit the episode fills: %d %s", code, body)
	}

	renew := func(licence string) renewItemJSON {
		var out struct{ Items []renewItemJSON }
		e.must(200, &out, "POST", "/api/v1/me/offline/licences/renew", e.alice, `{"device_id":"`+dev.DeviceID+`","licences":["`+licence+`"]}`)
		return out.Items[0]
	}
	held, _ := e.st.OfflineDownloads(ctx, e.aliceID, dev.DeviceID)
	if !slices.ContainsFunc(held, func(d music.OfflineDownload) bool {
		return d.OfflineItem == music.OfflineItem{Kind: music.OfflineEpisode, ID: e.ep}
	}) {
		t.Fatalf("the device holds %+v, no episode grant", held)
	}
	// Downloading it again (the quality changed above) replaced its
	// licence: renew the newest.
	latest := e.manifest(e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`"]}`).Items[0].Licence
	r := renew(latest)
	if r.Status != renewRenewed || r.Kind != music.OfflineEpisode || r.EpisodeID != e.ep || r.TrackID != "" {
		t.Fatalf("episode renewal: %+v", r)
	}
	if nl, err := offlinecrypt.ParseLicence(pub, r.Licence); err != nil || nl.Kind != music.OfflineEpisode || nl.IDs[0] != e.ep {
		t.Fatalf("renewed episode licence %+v, %v", nl, err)
	}
	// The feed drops the episode: it is hidden, and renewal refuses it.
	if _, err := e.st.SyncFeed(ctx, e.showID, music.Show{Title: "The Show"}, []music.Episode{{GUID: "pending", Title: "Pending",
		PublishedAt: catalogNow, Enclosure: music.Enclosure{URL: "https://cdn.example.org/p.mp3"}}}, music.FeedState{PolledAt: catalogNow}); err != nil {
		t.Fatal(err)
	}
	if r = renew(r.Licence); r.Status != renewDelete || r.EpisodeID != e.ep || !strings.Contains(r.Reason, "dropped from its show's feed") {
		t.Fatalf("renewal of a dropped episode: %+v", r)
	}
	held, _ = e.st.OfflineDownloads(ctx, e.aliceID, dev.DeviceID)
	if len(held) != 1 || held[0].Kind != music.OfflineTrack {
		t.Fatalf("after the refused renewal the device holds %+v, want the track only", held)
	}
	if code, _, body := e.do("POST", "/api/v1/me/offline/downloads", e.alice, `{"device_id":"`+dev.DeviceID+`","episode_ids":["`+e.ep+`"]}`); code != 422 ||
		!strings.Contains(string(body), "episode_ids[0]") {
		t.Fatalf("download of a hidden episode: %d %s", code, body)
	}
}

// showGone is a podcast store whose shows were all removed, for the rule's
// table; TestShowTakedownHidesEverywhere takes a show down through the
// real store and the route.
type showGone struct{ music.PodcastStore }

func (showGone) Show(_ context.Context, id string) (*music.Show, error) {
	return nil, music.Errorf(music.ENOTFOUND, "no show %q", id)
}

// TestOfflineEpisodeRule: why an episode may not be held, as download and
// renewal both say it.
func TestOfflineEpisodeRule(t *testing.T) {
	e := newOfflineEnv(t, 10)
	ctx := context.Background()
	ep := func(id string) music.OfflineItem { return music.OfflineItem{Kind: music.OfflineEpisode, ID: id} }
	for _, tc := range []struct {
		name     string
		podcasts music.PodcastStore
		item     music.OfflineItem
		want     string
	}{
		{"published", e.st, ep(e.ep), ""},
		{"unknown", e.st, ep("ep_nope"), `no episode "ep_nope"`},
		{"without audio", e.st, ep(e.unpub), "has no audio yet"},
		{"its show gone", showGone{e.st}, ep(e.ep), "episode " + e.ep + `: no show "`},
		{"no podcasts here", nil, ep(e.ep), "this server has no podcasts"},
		{"a track", e.st, music.OfflineItem{Kind: music.OfflineTrack, ID: "rel-1-d1t01"}, ""},
		{"a track taken down or unknown", e.st, music.OfflineItem{Kind: music.OfflineTrack, ID: e.ep}, "no longer available"},
	} {
		a := &offlineAPI{s: e.s, Offline: Offline{Catalog: e.st, Podcasts: tc.podcasts}}
		reason, err := a.unavailable(ctx, tc.item, music.Visibility{})
		if err != nil || (tc.want == "") != (reason == "") || !strings.Contains(reason, tc.want) {
			t.Errorf("%s: reason %q, %v; want %q", tc.name, reason, err, tc.want)
		}
	}
}
