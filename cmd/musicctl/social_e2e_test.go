package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/sqlstore"
)

// TestSocialThroughUp runs the social layer end to end on the real
// binary (`musicctl up`: embedded NATS, SQLite, in-process friend
// activity): A follows B and an artist; B's reported play is in A's
// friend activity within 2 s, and gone once B starts a private session;
// an ops account's editorial playlist is found by search, followed by A
// (count 1, in A's library); a share link opens C's private playlist for
// B until C revokes it.
func TestSocialThroughUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs musicctl up")
	}
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "catalog.db")
	st, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	pub := catalogtest.Publication(61, 2)
	if err := st.PutRelease(ctx, pub); err != nil {
		t.Fatal(err)
	}
	tok, id := map[string]string{}, map[string]string{}
	for _, u := range []struct{ name, role string }{{"a", music.RoleListener}, {"b", music.RoleListener},
		{"c", music.RoleListener}, {"editor", music.RoleOps}} {
		usr, token, err := st.CreateUser(ctx, u.name, u.role, "GB")
		if err != nil {
			t.Fatal(err)
		}
		tok[u.name], id[u.name] = token, usr.ID
	}
	st.Close()
	up := startUp(t, "--data-dir", t.TempDir(), "--db", db, "--http", "127.0.0.1:0", "--temporal-listen", "127.0.0.1:0", "--ui-listen", "")
	api := &socialClient{t: t, base: "http://" + up.ready["http"] + "/api/v1"}
	track := pub.Tracks[0].ID

	api.call("PUT", "/me/following?type=user", tok["a"], `{"ids":["`+id["b"]+`"]}`, 204, nil)
	api.call("PUT", "/me/following?type=artist", tok["a"], `{"ids":["art-main"]}`, 204, nil)

	// B plays; A sees it within 2 s, through the event log.
	report := fmt.Sprintf(`{"event_id":"e2e-1","track_id":%q,"session_id":"s","device_id":"d","played_at":%q,
		"duration_listened_ms":10000,"completed":false,"quality":"160kbps"}`, track, time.Now().UTC().Add(-20*time.Second).Format(time.RFC3339Nano))
	api.call("POST", "/playback/report", tok["b"], report, 202, nil)
	reported := time.Now()
	var seen time.Duration
	for seen == 0 && time.Since(reported) < 2*time.Second {
		if f := api.friends(tok["a"]); len(f) == 1 && f[0] == id["b"]+" "+track {
			seen = time.Since(reported)
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if seen == 0 {
		t.Fatalf("B's play not in A's friend activity 2 s after the report: %v", api.friends(tok["a"]))
	}
	t.Logf("B's play visible to A after %v", seen.Round(time.Millisecond))
	api.call("PUT", "/me/settings", tok["b"], `{"private_session":true}`, 200, nil)
	if f := api.friends(tok["a"]); len(f) != 0 {
		t.Errorf("after B's private session A sees %v", f)
	}

	// An editorial playlist: search finds it, A follows it.
	var ed struct{ ID string }
	api.call("POST", "/editorial/playlists", tok["editor"], `{"name":"Sunday Chill","cover_url":"https://img.example.com/s.jpg","track_ids":["`+track+`"]}`, 201, &ed)
	var found struct {
		Playlists struct{ Items []struct{ ID string } }
	}
	api.call("GET", "/search?q=sunday+chill&type=playlist", tok["a"], "", 200, &found)
	if len(found.Playlists.Items) != 1 || found.Playlists.Items[0].ID != ed.ID {
		t.Errorf("search for the editorial playlist: %+v, want %s", found, ed.ID)
	}
	api.call("PUT", "/playlists/"+ed.ID+"/followers", tok["a"], "", 204, nil)
	var count struct{ Total int }
	api.call("GET", "/playlists/"+ed.ID+"/followers", tok["a"], "", 200, &count)
	var lib struct{ Items []struct{ ID string } }
	api.call("GET", "/me/library/playlists", tok["a"], "", 200, &lib)
	if count.Total != 1 || len(lib.Items) != 1 || lib.Items[0].ID != ed.ID {
		t.Errorf("after A follows it: %d followers, library %+v", count.Total, lib)
	}

	// A share link opens C's private playlist for B until it is revoked.
	var pl struct{ ID string }
	api.call("POST", "/playlists", tok["c"], `{"name":"C's secret"}`, 201, &pl)
	api.call("GET", "/playlists/"+pl.ID, tok["b"], "", 403, nil)
	var share struct{ ID, URL string }
	api.call("POST", "/playlists/"+pl.ID+"/share", tok["c"], "", 201, &share)
	link := strings.TrimPrefix(share.URL, "/api/v1")
	var opened struct{ Playlist struct{ ID string } }
	api.call("GET", link, tok["b"], "", 200, &opened)
	if opened.Playlist.ID != pl.ID {
		t.Errorf("the link opened %+v", opened)
	}
	api.call("DELETE", "/shares/"+share.ID, tok["c"], "", 204, nil)
	api.call("GET", link, tok["b"], "", 404, nil)
}

// socialClient calls the API of a running musicctl.
type socialClient struct {
	t    *testing.T
	base string
}

// call sends one request that must answer want, decoding into out.
func (c *socialClient) call(method, path, token, body string, want int, out any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := apiClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	io.Copy(&buf, res.Body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, buf.String(), want)
	}
	if out != nil {
		if err := json.Unmarshal(buf.Bytes(), out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, buf.String())
		}
	}
}

// friends lists token's friend activity as "user track" strings.
func (c *socialClient) friends(token string) []string {
	c.t.Helper()
	var out struct {
		Friends []struct {
			User    struct{ ID string }
			TrackID string `json:"track_id"`
		}
	}
	c.call("GET", "/me/friends/activity", token, "", 200, &out)
	var got []string
	for _, f := range out.Friends {
		got = append(got, f.User.ID+" "+f.TrackID)
	}
	return got
}
