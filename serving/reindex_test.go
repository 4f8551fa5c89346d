package serving

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/searchtest"
	"github.com/openmusic/music/sqlstore"
)

// TestReindexAPI runs a real rebuild of a Bleve index through the admin
// API: only ops may start it, a second start while it runs is 409, the
// index keeps serving meanwhile, and the status ends with the new index.
func TestReindexAPI(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, opsToken, err := st.CreateUser(ctx, "root", music.RoleOps, "GB")
	if err != nil {
		t.Fatal(err)
	}
	_, listenerToken, err := st.CreateUser(ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.Open(t.TempDir(), bleve.Options{Now: searchtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	old := music.SearchDoc{Type: music.DocTrack, ID: "old", Title: "Stale Entry"}
	if err := idx.Index(ctx, old); err != nil {
		t.Fatal(err)
	}
	docs, err := searchtest.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	// The source waits for release, so the test sees the rebuild running.
	release := make(chan struct{})
	rx := &Reindexer{Index: idx, Source: func(context.Context) music.DocSource {
		return func(yield func(music.SearchDoc) error) error {
			select {
			case <-release:
			case <-time.After(time.Minute): // the test failed before releasing it
				return music.Errorf(music.EUNAVAILABLE, "the test never released the source")
			}
			return searchtest.Slice(docs)(yield)
		}
	}}
	s := New()
	s.HandleReindex(st, rx)
	s.HandleSearch(idx)

	do := func(method, path, token string) (int, music.ReindexStatus) {
		t.Helper()
		req := httptest.NewRequest(method, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		var rs music.ReindexStatus
		if rec.Code < 300 {
			if err := json.Unmarshal(rec.Body.Bytes(), &rs); err != nil {
				t.Fatalf("%s %s: %v in %s", method, path, err, rec.Body)
			}
		}
		return rec.Code, rs
	}
	const path = "/api/v1/admin/reindex"
	if code, _ := do("POST", path, ""); code != 401 {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, _ := do("POST", path, listenerToken); code != 403 {
		t.Errorf("listener: %d, want 403", code)
	}
	if code, _ := do("GET", path, listenerToken); code != 403 {
		t.Errorf("listener status: %d, want 403", code)
	}
	code, rs := do("POST", path, opsToken)
	if code != 202 || !rs.Running || rs.Started.IsZero() {
		t.Fatalf("start: %d %+v, want 202 running", code, rs)
	}
	if code, _ := do("POST", path, opsToken); code != 409 {
		t.Errorf("second start while running: %d, want 409", code)
	}
	// Still serving the old index during the rebuild.
	if code, _ := do("GET", "/api/v1/search?q=stale", ""); code != 200 {
		t.Errorf("search during reindex: %d", code)
	}
	close(release)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := rx.Wait(wctx); err != nil {
		t.Fatal(err)
	}
	code, rs = do("GET", path, opsToken)
	if code != 200 || rs.Running || rs.Error != "" || rs.Docs != int64(len(docs)) || rs.Index != idx.Name() || rs.Finished.Before(rs.Started) {
		t.Fatalf("status after: %d %+v, want %d docs in %s", code, rs, len(docs), idx.Name())
	}
	if n, _ := idx.DocCount(); n != uint64(len(docs)) {
		t.Errorf("index holds %d docs, want %d (the stale one gone)", n, len(docs))
	}
}

// TestReindexFailure keeps the old index and reports the source's error.
func TestReindexFailure(t *testing.T) {
	idx, err := bleve.Open(t.TempDir(), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := idx.Index(ctx, music.SearchDoc{Type: music.DocArtist, ID: "a", Title: "Kept"}); err != nil {
		t.Fatal(err)
	}
	rx := &Reindexer{Index: idx, Source: func(context.Context) music.DocSource {
		return func(yield func(music.SearchDoc) error) error {
			if err := yield(music.SearchDoc{Type: music.DocArtist, ID: "b", Title: "New"}); err != nil {
				return err
			}
			return music.Errorf(music.EUNAVAILABLE, "catalog went away")
		}
	}}
	if _, err := rx.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rx.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	rs := rx.Status()
	if rs.Running || rs.Error == "" || rs.Docs != 1 {
		t.Errorf("status %+v, want the error and 1 doc read", rs)
	}
	if n, _ := idx.DocCount(); n != 1 {
		t.Errorf("old index has %d docs, want 1", n)
	}
}
