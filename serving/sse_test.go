package serving

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/sqlstore"
)

// countingPlaylists counts the playlist store reads live streams make.
type countingPlaylists struct {
	*sqlstore.Store
	reads atomic.Int64
}

func (c *countingPlaylists) Playlist(ctx context.Context, id, actor string) (*music.Playlist, error) {
	c.reads.Add(1)
	return c.Store.Playlist(ctx, id, actor)
}

func (c *countingPlaylists) Changes(ctx context.Context, id, actor string, since int64, limit int) ([]music.PlaylistChange, error) {
	c.reads.Add(1)
	return c.Store.Changes(ctx, id, actor, since, limit)
}

// openStream opens an event stream and returns its status and a closer.
func openStream(t *testing.T, base, id, token string) (int, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/playlists/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	return res.StatusCode, func() { cancel(); res.Body.Close() }
}

// TestSecuritySSEPerUser: a user can hold only so many live streams; a
// closed one frees its place.
func TestSecuritySSEPerUser(t *testing.T) {
	e := newAPIEnv(t)
	s := New()
	s.SetHTTPLimits(HTTPLimits{StreamsPerUser: 2})
	s.HandlePlaylists(e.st, e.st, e.st)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	p := e.create(e.alice, `{"name":"Live","public":true}`)
	var closers []func()
	for i := range 2 {
		code, closeFn := openStream(t, ts.URL, p.ID, e.bob)
		defer closeFn()
		if code != 200 {
			t.Fatalf("stream %d: %d", i+1, code)
		}
		closers = append(closers, closeFn)
	}
	code, closeFn := openStream(t, ts.URL, p.ID, e.bob)
	closeFn()
	if code != http.StatusTooManyRequests {
		t.Errorf("third stream of one user: %d, want 429", code)
	}
	if code, c := openStream(t, ts.URL, p.ID, e.alice); code != 200 {
		t.Errorf("another user's stream: %d, want 200", code)
	} else {
		c()
	}
	closers[0]()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, c := openStream(t, ts.URL, p.ID, e.bob)
		c()
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after closing a stream: %d, want 200", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSecuritySSESharedPoller: many idle streams of one playlist cost one
// read a second between them, not one each.
func TestSecuritySSESharedPoller(t *testing.T) {
	e := newAPIEnv(t)
	store := &countingPlaylists{Store: e.st}
	s := New()
	s.HandlePlaylists(store, e.st, e.st)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	p := e.create(e.alice, `{"name":"Live","public":true}`)
	tokens := []string{e.alice, e.bob, e.alice, e.bob, e.alice, e.bob}
	for _, tok := range tokens {
		code, c := openStream(t, ts.URL, p.ID, tok)
		defer c()
		if code != 200 {
			t.Fatalf("stream: %d", code)
		}
	}
	time.Sleep(500 * time.Millisecond) // every stream has read its start
	before := store.reads.Load()
	time.Sleep(3 * time.Second)
	if n := store.reads.Load() - before; n > 5 {
		t.Errorf("6 idle streams made %d store reads in 3 s, want about 3 (one poller)", n)
	}
}
