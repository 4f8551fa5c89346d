package serving

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/offlinecrypt"
	"github.com/openmusic/music/sqlstore"
)

// BenchmarkOfflineManifest100 times the download manifest of a 100-track
// playlist once its encrypted copies exist (the first request made them),
// and beside it, in the same run, the playlist's first 100 entries: the
// plain read the manifest is built on. Reported: p50 and p99 per request.
func BenchmarkOfflineManifest100(b *testing.B) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "c.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	blobs, err := filestore.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	pub := catalogtest.Publication(1, 100)
	for _, rd := range pub.Renditions {
		if rd.Rung == music.Rung160 {
			if _, err := blobs.Put(ctx, rd.BlobKey, bytes.NewReader(bytes.Repeat([]byte{1}, 64<<10)), music.PutOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := st.PutRelease(ctx, pub); err != nil {
		b.Fatal(err)
	}
	u, token, err := st.CreateUser(ctx, "bench", music.RoleListener, "GB")
	if err != nil {
		b.Fatal(err)
	}
	pl, _ := st.CreatePlaylist(ctx, u.ID, "Bench", "", false)
	var ids []string
	for _, tr := range pub.Tracks {
		ids = append(ids, tr.ID)
	}
	if _, err := st.EditPlaylist(ctx, pl.ID, u.ID, 0, music.PlaylistEdit{Kind: music.EditAdd, TrackIDs: ids}); err != nil {
		b.Fatal(err)
	}
	keys, _ := offlinecrypt.NewKeyring(make([]byte, offlinecrypt.SeedSize))
	s := New()
	s.Signer = testSigner(b, "")
	s.SetRateLimiter(LimitAPI, nil)
	s.HandlePlaylists(st, st, st)
	s.HandleOffline(Offline{Users: st, Store: st, Catalog: st, Playlists: st, Blobs: blobs, Keys: keys})
	dk, _ := offlinecrypt.NewDeviceKey()
	call := func(method, path, body string) []byte {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code >= 300 {
			b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	var dev deviceJSON
	json.Unmarshal(call("POST", "/api/v1/me/offline/devices", `{"name":"b","public_key":"`+offlinecrypt.EncodeKey(dk.Public())+`"}`), &dev)
	manifest := fmt.Sprintf(`{"device_id":%q,"playlist_id":%q}`, dev.DeviceID, pl.ID)
	var m manifestJSON
	if json.Unmarshal(call("POST", "/api/v1/me/offline/downloads", manifest), &m); len(m.Items) != 100 {
		b.Fatalf("manifest has %d items", len(m.Items))
	}
	var man, entries []time.Duration
	for b.Loop() {
		t0 := time.Now()
		call("POST", "/api/v1/me/offline/downloads", manifest)
		t1 := time.Now()
		call("GET", "/api/v1/playlists/"+pl.ID+"/tracks?limit=100", "")
		man, entries = append(man, t1.Sub(t0)), append(entries, time.Since(t1))
	}
	for name, d := range map[string][]time.Duration{"manifest": man, "entries": entries} {
		slices.Sort(d)
		b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, name+"-p99-ms")
	}
}
