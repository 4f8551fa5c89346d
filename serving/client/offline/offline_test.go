package offline_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jfreymuth/oggvorbis"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/testmusic"
	"github.com/openmusic/music/offlinecrypt"
	"github.com/openmusic/music/plays"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/serving/client"
	"github.com/openmusic/music/serving/client/offline"
	"github.com/openmusic/music/sqlstore"
)

// playLog keeps the plays the server accepted, once per event id, as the
// JetStream log does.
type playLog struct {
	mu     sync.Mutex
	events map[string]plays.Event
}

func (l *playLog) Append(_ context.Context, e plays.Event) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := e.UserID + "/" + e.EventID
	if _, dup := l.events[key]; dup {
		return true, nil
	}
	l.events[key] = e
	return false, nil
}

// world is a server with two releases of real Vorbis audio at the 160
// rung, a listener and her playlist.
type world struct {
	st       *sqlstore.Store
	blobs    *filestore.Store
	log      *playLog
	ts       *httptest.Server
	token    string
	userID   string
	playlist string
	tracks   []string          // rel-1's tracks, then rel-2's
	ogg      map[string]string // track → the Vorbis file its 160 rung is
	reqs     *requestLog
}

// requestLog keeps the requests the server received, and can refuse some.
type requestLog struct {
	mu   sync.Mutex
	reqs []recorded
	fail func(method, path string) bool // answer 503 instead
}

type recorded struct {
	method, path string
	body         []byte
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		l.mu.Lock()
		l.reqs = append(l.reqs, recorded{r.Method, r.URL.Path, b})
		fail := l.fail != nil && l.fail(r.Method, r.URL.Path)
		l.mu.Unlock()
		if fail {
			http.Error(rw, "refused by the test", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(rw, r)
	})
}

// manifests returns the download requests received after the first n
// requests: "playlist <id>" or "tracks <id> <id>…".
func (l *requestLog) manifests(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.reqs[n:] {
		if r.method != "POST" || r.path != "/api/v1/me/offline/downloads" {
			continue
		}
		var in struct {
			PlaylistID string   `json:"playlist_id"`
			TrackIDs   []string `json:"track_ids"`
		}
		json.Unmarshal(r.body, &in)
		if in.PlaylistID != "" {
			out = append(out, "playlist "+in.PlaylistID)
		} else {
			out = append(out, strings.Join(append([]string{"tracks"}, in.TrackIDs...), " "))
		}
	}
	return out
}

func (l *requestLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

func newWorld(t *testing.T) *world {
	ctx := context.Background()
	files := testmusic.Files(t, "ogg", "*.ogg")
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := filestore.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, blobs: blobs, log: &playLog{events: map[string]plays.Event{}}, ogg: map[string]string{}, reqs: &requestLog{}}
	for _, p := range []music.Publication{catalogtest.Publication(1, 2), catalogtest.Publication(2, 1)} {
		p.Deals = []music.Deal{{Territories: []string{music.Worldwide}, Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
		for i := range p.Renditions {
			rd := &p.Renditions[i]
			if rd.Rung != music.Rung160 {
				continue
			}
			src := cut(t, files[len(w.tracks)%len(files)])
			f, err := os.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := blobs.Put(ctx, rd.BlobKey, f, music.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			f.Close()
			w.ogg[rd.TrackID] = src
			w.tracks = append(w.tracks, rd.TrackID)
		}
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	u, tok, err := st.CreateUser(ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	w.token, w.userID = tok, u.ID
	pl, err := st.CreatePlaylist(ctx, u.ID, "Road trip", "", false)
	if err != nil {
		t.Fatal(err)
	}
	w.playlist = pl.ID
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[0], w.tracks[2]}})
	w.start(t)
	return w
}

// cut re-encodes 30 s of a Vorbis file with libvorbis, so the tests decode
// seconds of real music, not minutes.
func cut(t *testing.T, src string) string {
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-ss", "10", "-t", "30", "-i", src, "-c:a", "libvorbis", "-q:a", "5", dst).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	return dst
}

func (w *world) edit(t *testing.T, e music.PlaylistEdit) {
	if _, err := w.st.EditPlaylist(context.Background(), w.playlist, w.userID, 0, e); err != nil {
		t.Fatal(err)
	}
}

// start runs the HTTP server (again).
func (w *world) start(t *testing.T) {
	s := serving.New()
	sg, err := serving.NewStreamSigner([]byte(strings.Repeat("k", 32)), time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	s.Signer = sg
	keys, err := offlinecrypt.NewKeyring(make([]byte, offlinecrypt.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	s.HandleCatalog(w.st, w.st)
	s.HandleAudio(w.blobs, serving.AudioOptions{})
	s.HandlePlaylists(w.st, w.st, w.st)
	s.HandlePlayback(w.st, w.st, w.log)
	s.HandlePodcasts(serving.Podcasts{Users: w.st, Store: w.st, Listening: w.st, Plays: w.st, Blobs: w.blobs})
	s.HandleOffline(serving.Offline{Users: w.st, Store: w.st, Catalog: w.st, Playlists: w.st, Podcasts: w.st, Blobs: w.blobs, Keys: keys})
	w.ts = httptest.NewServer(w.reqs.wrap(s.Handler()))
	t.Cleanup(w.ts.Close)
}

func (w *world) api() *offline.API { return &offline.API{Base: w.ts.URL, Token: w.token} }

// reference decodes the original Vorbis file with the same gain.
func reference(t *testing.T, path string, gainDB float64) []float32 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, err := oggvorbis.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	gain := float32(math.Pow(10, gainDB/20))
	var out []float32
	buf := make([]float32, 8192)
	for {
		n, err := dec.Read(buf)
		for _, v := range buf[:n] {
			out = append(out, v*gain)
		}
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestOfflineSyncAndPlay: enrol, sync a playlist, stop the server, play
// every track offline sample for sample; tamper; change the playlist and
// sync; take a release down; let licences lapse; upload plays once.
func TestOfflineSyncAndPlay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	dir := t.TempDir()
	store, err := offline.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Enrol(ctx, w.api(), "laptop"); err != nil {
		t.Fatal(err)
	}
	rep, err := store.SyncPlaylist(ctx, w.api(), w.playlist, "160")
	if err != nil || len(rep.Downloaded) != 2 {
		t.Fatalf("first sync: %+v, %v", rep, err)
	}

	w.ts.Close() // offline from here
	for _, id := range []string{w.tracks[0], w.tracks[2]} {
		d, err := store.Decode(id)
		if err != nil {
			t.Fatalf("offline play of %s: %v", id, err)
		}
		want := reference(t, w.ogg[id], d.GainDB)
		if !slices.Equal(d.PCM, want) || len(want) == 0 {
			t.Fatalf("%s: %d samples decoded offline, %d from the rendition, not equal", id, len(d.PCM), len(want))
		}
	}

	// One flipped byte in one file: that track fails, the other plays.
	path := filepath.Join(dir, "tracks", w.tracks[0]+".mofl")
	good, _ := os.ReadFile(path)
	bad := append([]byte{}, good...)
	bad[len(bad)/2] ^= 1
	os.WriteFile(path, bad, 0o600)
	if _, err := store.Decode(w.tracks[0]); err == nil || !strings.Contains(err.Error(), "failed authentication") {
		t.Fatalf("tampered file played: %v", err)
	}
	if _, err := store.Decode(w.tracks[2]); err != nil {
		t.Fatalf("an untouched track failed beside a tampered one: %v", err)
	}
	os.WriteFile(path, good, 0o600)
	// A play of a whole track made offline 29 days ago, inside the
	// licence's and the royalty count's 30-day window.
	longAgo := time.Now().Add(-29 * 24 * time.Hour)
	if err := store.RecordPlay(offline.Play{ID: w.tracks[2], PlayedAt: longAgo, DurationMS: 180_000, Completed: true, Rung: "160"}); err != nil {
		t.Fatal(err)
	}
	// One 31 days ago, past the window: refused with the server's reason.
	tooOld := offline.Play{EventID: "off-too-old", ID: w.tracks[2], PlayedAt: time.Now().Add(-31 * 24 * time.Hour), DurationMS: 180_000, Completed: true, Rung: "160"}
	if err := store.RecordPlay(tooOld); err != nil {
		t.Fatal(err)
	}

	// Online again: rel-1's second track in, its first out.
	w.start(t)
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[1]}})
	entries, _, _ := w.st.Entries(ctx, w.playlist, w.userID, 0, 10)
	w.edit(t, music.PlaylistEdit{Kind: music.EditRemove, EntryIDs: []string{entries[0].ID}})
	rep, err = store.SyncPlaylist(ctx, w.api(), w.playlist, "160")
	if err != nil || !slices.Equal(rep.Downloaded, []string{w.tracks[1]}) || !slices.Contains(rep.Deleted, w.tracks[0]) || rep.Uploaded != 4 {
		t.Fatalf("second sync: %+v, %v", rep, err)
	}
	if len(rep.Refused) != 1 || rep.Refused[0].EventID != tooOld.EventID || !strings.Contains(rep.Refused[0].Reason, "field played_at: older than") {
		t.Fatalf("second sync refused %+v, want only %s, as too old", rep.Refused, tooOld.EventID)
	}
	// The server recorded the refusal, not only the device.
	if m := getMetrics(t, w.ts.URL); !strings.Contains(m, `music_playback_reports_too_late_total{kind="track"} 1`+"\n") {
		t.Fatalf("the server did not count the too-old play as refused:\n%s", grepLines(m, "too_late"))
	}
	if _, err := store.Decode(w.tracks[0]); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("a removed track still plays: %v", err)
	}

	// Plays made offline were uploaded with their played_at, once.
	// (three decodes, the tampered attempt not among them, and the old one)
	if len(w.log.events) != 4 {
		t.Fatalf("%d plays in the log, want 4", len(w.log.events))
	}
	found := false
	for _, e := range w.log.events {
		found = found || (e.PlayedAt == longAgo.UnixMilli() && e.UserID == w.userID)
	}
	if !found {
		t.Fatal("the play of 29 days ago did not keep its played_at")
	}
	if rep, _ = store.SyncPlaylist(ctx, w.api(), w.playlist, "160"); rep.Uploaded != 0 || len(w.log.events) != 4 {
		t.Fatalf("third sync uploaded %d again (%d in the log)", rep.Uploaded, len(w.log.events))
	}

	// A takedown: the next renewal deletes the track.
	if err := w.st.TakedownRelease(ctx, "rel-2"); err != nil {
		t.Fatal(err)
	}
	rep, err = store.SyncPlaylist(ctx, w.api(), w.playlist, "160")
	if err != nil || !slices.Contains(rep.Deleted, w.tracks[2]) {
		t.Fatalf("sync after a takedown: %+v, %v", rep, err)
	}

	// 31 days with no renewal: playback is refused, clearly.
	store.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	if _, err := store.Decode(w.tracks[1]); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("a lapsed licence played: %v", err)
	}
	store.Now = time.Now

	// Revoked online: the next sync deletes everything the device holds.
	if err := w.st.RevokeOfflineDevice(ctx, w.userID, store.Device().DeviceID); err != nil {
		t.Fatal(err)
	}
	rep, err = store.SyncPlaylist(ctx, w.api(), w.playlist, "160")
	if err == nil || !strings.Contains(err.Error(), "revoked") || len(store.Held()) != 0 || len(rep.Deleted) != 1 {
		t.Fatalf("sync of a revoked device: %+v, %v, %d held", rep, err, len(store.Held()))
	}
}

// TestPruneAfter31Days: a track whose licence lapsed is pruned.
func TestPruneAfter31Days(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	store := w.enrolledStoreAt(t, t.TempDir())
	if _, err := store.SyncPlaylist(ctx, w.api(), w.playlist, "160"); err != nil {
		t.Fatal(err)
	}
	store.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	gone, err := store.Prune()
	if err != nil || len(gone) != 2 || len(store.Held()) != 0 {
		t.Fatalf("prune after 31 days: %v, %v", gone, err)
	}
}

// TestPlayRefusedWithDeviceClockBehind: a licence issued by the server's
// clock does not play on a device whose clock is more than a day behind
// it, so a play weeks back cannot be made with a licence issued now
// (why TestOfflinePlaysCountedThroughUp queues its old plays in process
// rather than through `offline play --now`). A day behind still plays.
func TestPlayRefusedWithDeviceClockBehind(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	store := w.enrolledStoreAt(t, t.TempDir())
	if _, err := store.SyncPlaylist(ctx, w.api(), w.playlist, "160"); err != nil {
		t.Fatal(err)
	}
	id := store.Held()[0].ID
	store.Now = func() time.Time { return time.Now().Add(-29 * 24 * time.Hour) }
	if _, err := store.Decode(id); music.ErrorCode(err) != music.EFORBIDDEN || !strings.Contains(err.Error(), "the device clock is behind") {
		t.Fatalf("play 29 days before the licence was issued: %v, want refused, the device clock behind", err)
	}
	store.Now = func() time.Time { return time.Now().Add(-23 * time.Hour) }
	if _, err := store.Decode(id); err != nil {
		t.Fatalf("play 23 hours before the licence was issued: %v", err)
	}
}

// TestPlayerFallsBackToOfflineStore: the streaming Player loses the
// server after its first chunks and finishes the track from the offline
// store, with the same PCM as the rendition decoded whole.
func TestPlayerFallsBackToOfflineStore(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	store := w.enrolledStoreAt(t, t.TempDir())
	if _, err := store.SyncPlaylist(ctx, w.api(), w.playlist, "160"); err != nil {
		t.Fatal(err)
	}
	id := w.tracks[0]
	tr, err := w.st.Track(ctx, id, music.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	sg, _ := serving.NewStreamSigner([]byte(strings.Repeat("k", 32)), time.Hour, "")
	var key string
	for _, rd := range tr.Renditions {
		if rd.Rung == music.Rung160 {
			key = rd.BlobKey
		}
	}
	got := playThroughOutage(t, w, store, id, "160", w.ts.URL+sg.Sign("/"+key))
	want := reference(t, w.ogg[id], 0)
	if !slices.Equal(got, want) {
		t.Fatalf("%d samples with the fallback, %d from the file; not equal", len(got), len(want))
	}
}

// TestPlayerFallsBackToOfflineStoreForEpisode: the same for a podcast
// episode held offline: the Player finds it in the store by its ID and
// goes on from the local copy when the server goes away mid-episode.
func TestPlayerFallsBackToOfflineStoreForEpisode(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, ep, ogg := w.addEpisode(t, -16)
	store := w.enrolledStore(t)
	if _, err := store.Sync(ctx, w.api(), offline.SyncRequest{EpisodeIDs: []string{ep}, EpisodeQuality: music.Rung96}); err != nil {
		t.Fatal(err)
	}
	sg, _ := serving.NewStreamSigner([]byte(strings.Repeat("k", 32)), time.Hour, "")
	got := playThroughOutage(t, w, store, ep, music.Rung96, w.ts.URL+sg.Sign("/audio/"+ep+"/0123456789ab/96.ogg"))
	want := reference(t, ogg, 0)
	if !slices.Equal(got, want) {
		t.Fatalf("%d samples of the episode with the fallback, %d from the file; not equal", len(got), len(want))
	}
}

// enrolledStore is a new offline store in a temporary directory, its
// device enrolled.
func (w *world) enrolledStore(t *testing.T) *offline.Store {
	t.Helper()
	return w.enrolledStoreAt(t, t.TempDir())
}

// enrolledStoreAt is enrolledStore in dir.
func (w *world) enrolledStoreAt(t *testing.T, dir string) *offline.Store {
	t.Helper()
	store, err := offline.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Enrol(context.Background(), w.api(), "phone"); err != nil {
		t.Fatal(err)
	}
	return store
}

// playThroughOutage streams id at rung from url with the store as the
// Player's fallback, closes the server after the first 200,000 samples,
// and returns every sample read until the end.
func playThroughOutage(t *testing.T, w *world, store *offline.Store, id, rung, url string) []float32 {
	t.Helper()
	c := client.New(nil)
	c.ChunkSize = 32 << 10 // many fetches, so the server goes away mid-track
	c.Fallback = store
	p, err := c.Open(context.Background(), client.Track{ID: id, StreamURLs: map[string]string{rung: url}})
	if err != nil {
		t.Fatal(err)
	}
	var got []float32
	buf := make([]float32, 4096)
	read := func(until int) error {
		for until < 0 || len(got) < until {
			n, err := p.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := read(200_000); err != nil {
		t.Fatal(err)
	}
	w.ts.CloseClientConnections()
	w.ts.Close()
	if err := read(-1); !errors.Is(err, io.EOF) {
		t.Fatalf("after the server went away: %v", err)
	}
	return got
}

// TestTamperedKeyOrLicenceFailsThatTrackOnly flips one byte of one
// track's wrapped key and of another's licence in the store: each of
// those fails with its reason, and the third track plays.
func TestTamperedKeyOrLicenceFailsThatTrackOnly(t *testing.T) {
	w := newWorld(t)
	w.edit(t, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: []string{w.tracks[1]}})
	ctx := context.Background()
	dir := t.TempDir()
	store := w.enrolledStoreAt(t, dir)
	if _, err := store.SyncPlaylist(ctx, w.api(), w.playlist, "160"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "index.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var idx map[string]any
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	tracks := idx["tracks"].(map[string]any)
	keyed, licensed, clean := w.tracks[0], w.tracks[2], w.tracks[1]
	wk := tracks[keyed].(map[string]any)
	raw, _ := base64.StdEncoding.DecodeString(wk["wrapped_key"].(string))
	raw[40] ^= 1
	wk["wrapped_key"] = base64.StdEncoding.EncodeToString(raw)
	lic := []byte(tracks[licensed].(map[string]any)["licence"].(string))
	lic[20] ^= 1
	tracks[licensed].(map[string]any)["licence"] = string(lic)
	b, _ = json.Marshal(idx)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	store, err = offline.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Decode(keyed); err == nil || !strings.Contains(err.Error(), "wrapped key") {
		t.Errorf("tampered wrapped key: %v", err)
	}
	if _, err := store.Decode(licensed); err == nil || !strings.Contains(err.Error(), "licence") {
		t.Errorf("tampered licence: %v", err)
	}
	if _, err := store.Decode(clean); err != nil {
		t.Errorf("the untouched track: %v", err)
	}
}

// addEpisode publishes a podcast episode whose 96 rung is a real Vorbis
// file, measured at loudnessLUFS; it returns the show, the episode and the
// file.
func (w *world) addEpisode(t *testing.T, loudnessLUFS float64) (showID, episodeID, ogg string) {
	ctx := context.Background()
	sh, _, err := w.st.AddShow(ctx, "https://feeds.example.org/talk.xml")
	if err != nil {
		t.Fatal(err)
	}
	item := music.Episode{GUID: "e1", Title: "First talk", PublishedAt: time.Now().Add(-time.Hour), Enclosure: music.Enclosure{URL: "https://cdn.example.org/e1.mp3"}}
	fetch, err := w.st.SyncFeed(ctx, sh.ID, music.Show{Title: "Talk"}, []music.Episode{item}, music.FeedState{PolledAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	ep := fetch[0].ID
	ogg = cut(t, testmusic.Files(t, "ogg", "*.ogg")[0])
	// Both speech rungs, the same audio: tests tell them apart by rung.
	var renditions []music.Rendition
	for _, rung := range []string{music.Rung24, music.Rung96} {
		f, err := os.Open(ogg)
		if err != nil {
			t.Fatal(err)
		}
		key := "audio/" + ep + "/0123456789ab/" + rung + ".ogg"
		_, err = w.blobs.Put(ctx, key, f, music.PutOptions{})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		renditions = append(renditions, music.Rendition{TrackID: ep, Rung: rung, BlobKey: key, Codec: "vorbis"})
	}
	err = w.st.SetEpisodeAudio(ctx, ep, music.EpisodeAudio{SourceURL: item.Enclosure.URL, OriginalKey: "podcasts/" + ep + "/x/original",
		Duration: 30 * time.Second, LoudnessLUFS: loudnessLUFS, Renditions: renditions})
	if err != nil {
		t.Fatal(err)
	}
	return sh.ID, ep, ogg
}

// TestOfflineEpisodeSyncAndPlay: a sync holds a playlist's tracks and a
// podcast episode; the episode plays offline sample for sample with its
// gain; its offline play uploads as an episode play, never a music one;
// after its feed drops it, the next sync's renewal deletes it and the
// sync does not ask for it again.
func TestOfflineEpisodeSyncAndPlay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	showID, ep, ogg := w.addEpisode(t, -16)
	dir := t.TempDir()
	store := w.enrolledStoreAt(t, dir)
	req := offline.SyncRequest{PlaylistID: w.playlist, Quality: "160", EpisodeIDs: []string{ep}}
	rep, err := store.Sync(ctx, w.api(), req)
	if err != nil || len(rep.Downloaded) != 3 || !slices.Contains(rep.Downloaded, ep) {
		t.Fatalf("first sync: %+v, %v", rep, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "episodes", ep+".mofl")); err != nil {
		t.Fatalf("the episode's file: %v", err)
	}

	w.ts.Close() // offline
	d, err := store.Decode(ep)
	if err != nil {
		t.Fatalf("offline play of the episode: %v", err)
	}
	if math.Abs(d.GainDB-(-2)) > 1e-9 {
		t.Errorf("episode gain %.3f dB, want -2 (from -16 LUFS to the -18 LUFS reference)", d.GainDB)
	}
	if want := reference(t, ogg, d.GainDB); !slices.Equal(d.PCM, want) || len(want) == 0 {
		t.Fatalf("episode: %d samples decoded offline, %d from the rendition, not equal", len(d.PCM), len(want))
	}

	w.start(t) // online again; the feed drops the episode
	if _, err := w.st.SyncFeed(ctx, showID, music.Show{Title: "Talk"}, nil, music.FeedState{PolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	rep, err = store.Sync(ctx, w.api(), req)
	if err != nil || rep.Uploaded != 1 || !slices.Contains(rep.Deleted, ep) || len(rep.Downloaded) != 0 {
		t.Fatalf("sync after the feed dropped the episode: %+v, %v", rep, err)
	}
	for _, h := range store.Held() {
		if h.ID == ep {
			t.Fatalf("the dropped episode is still held: %+v", h)
		}
	}
	if len(store.Held()) != 2 {
		t.Fatalf("the sync kept %d items, want the playlist's 2 tracks", len(store.Held()))
	}
	if _, err := os.Stat(filepath.Join(dir, "episodes", ep+".mofl")); !os.IsNotExist(err) {
		t.Fatalf("the dropped episode's file is still there: %v", err)
	}
	if _, err := store.Decode(ep); music.ErrorCode(err) != music.ENOTFOUND {
		t.Fatalf("the dropped episode played: %v", err)
	}
	stats, err := w.st.ShowStats(ctx, showID, "2000-01-01", "2100-01-01")
	if err != nil || len(stats) != 1 || stats[0].Plays != 1 {
		t.Fatalf("the show's statistics after the upload: %+v, %v", stats, err)
	}
	for _, e := range w.log.events {
		if e.TrackID == ep {
			t.Fatalf("the episode play reached the music log: %+v", e)
		}
	}
}

// TestOfflineEpisodeQuality: EpisodeQuality picks the episodes' rung; a
// held episode at the other rung is downloaded again at the new one, one
// at the asked rung is not; a rung episodes lack is refused naming the
// quality, and nothing held changes.
func TestOfflineEpisodeQuality(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, ep, _ := w.addEpisode(t, -16)
	store := w.enrolledStore(t)
	heldRung := func() string {
		for _, h := range store.Held() {
			if h.ID == ep {
				if !strings.HasSuffix(h.ObjectKey, "/"+h.Rung+".mofl") {
					t.Fatalf("held %s at rung %s from object %s", ep, h.Rung, h.ObjectKey)
				}
				return h.Rung
			}
		}
		return ""
	}
	for i, c := range []struct {
		quality, want string
		downloaded    int
	}{{"24", "24", 1}, {"24", "24", 0}, {"96", "96", 1}, {"", "96", 0}, {"24", "24", 1}} {
		rep, err := store.Sync(ctx, w.api(), offline.SyncRequest{EpisodeIDs: []string{ep}, EpisodeQuality: c.quality})
		if err != nil || len(rep.Downloaded) != c.downloaded || heldRung() != c.want {
			t.Fatalf("sync %d at %q: %+v, %v, held at %q; want %d downloads, held at %s", i+1, c.quality, rep, err, heldRung(), c.downloaded, c.want)
		}
	}
	if _, err := store.Decode(ep); err != nil {
		t.Fatalf("the episode at 24 kbps does not play: %v", err)
	}
	_, err := store.Sync(ctx, w.api(), offline.SyncRequest{EpisodeIDs: []string{ep}, EpisodeQuality: "160"})
	if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), `quality "160"`) || heldRung() != "24" {
		t.Fatalf("sync at 160: %v, held at %q; want invalid naming the quality, the 24 kbps copy kept", err, heldRung())
	}
}

// TestStoreFromBeforeEpisodes: an index written before episodes (no kind)
// opens with its entries as tracks, their files kept; a file under
// episodes/ that no episode entry names is swept.
func TestStoreFromBeforeEpisodes(t *testing.T) {
	dir := t.TempDir()
	for path, body := range map[string]string{
		"index.json":              `{"tracks":{"trk-1":{"track_id":"trk-1","rung":"160","object_key":"offline/trk-1/k/160.mofl"}}}`,
		"tracks/trk-1.mofl":       "sealed",
		"episodes/trk-1.mofl":     "stray",
		"episodes/.x.mofl.1.part": "partial",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, path)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, path), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	store, err := offline.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	held := store.Held()
	if len(held) != 1 || held[0].Item() != (music.OfflineItem{Kind: music.OfflineTrack, ID: "trk-1"}) {
		t.Fatalf("held %+v, want track trk-1", held)
	}
	if _, err := os.Stat(filepath.Join(dir, "tracks", "trk-1.mofl")); err != nil {
		t.Fatalf("the held track's file: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "episodes")); len(left) != 0 {
		t.Fatalf("episodes/ keeps %d files no episode names", len(left))
	}
}

// TestSyncEmptyEpisodeListDeletesEpisodes: a sync naming no episodes
// (an empty list, not none) deletes the held ones, here and on the
// server, and leaves the tracks.
func TestSyncEmptyEpisodeListDeletesEpisodes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, ep, _ := w.addEpisode(t, -16)
	store := w.enrolledStoreAt(t, t.TempDir())
	if rep, err := store.Sync(ctx, w.api(), offline.SyncRequest{PlaylistID: w.playlist, Quality: "160", EpisodeIDs: []string{ep}}); err != nil || len(rep.Downloaded) != 3 {
		t.Fatalf("first sync: %+v, %v", rep, err)
	}
	rep, err := store.Sync(ctx, w.api(), offline.SyncRequest{EpisodeIDs: []string{}})
	if err != nil || !slices.Equal(rep.Deleted, []string{ep}) || len(store.Held()) != 2 {
		t.Fatalf("sync with no episodes: %+v, %v; %d held", rep, err, len(store.Held()))
	}
	grants, err := w.st.OfflineDownloads(ctx, w.userID, store.Device().DeviceID)
	if err != nil || len(grants) != 2 || slices.ContainsFunc(grants, func(g music.OfflineDownload) bool { return g.Kind == music.OfflineEpisode }) {
		t.Fatalf("the server still holds %+v, %v", grants, err)
	}
	if _, err := store.Sync(ctx, w.api(), offline.SyncRequest{}); err == nil || !strings.Contains(err.Error(), "name a playlist or episodes") {
		t.Fatalf("a sync naming nothing: %v", err)
	}
}

// getMetrics is the server's /metrics text.
func getMetrics(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
