package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/search"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/sqlstore"
)

// seedCatalog writes rel-1 (2 tracks, published) and rel-2 (pending) into
// the data dir's SQLite catalog: 5 search documents (album, 2 tracks, main
// artist, guest) are published.
func seedCatalog(t *testing.T, dir string) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pending := catalogtest.Publication(2, 1)
	pending.Publish = false
	for _, p := range []music.Publication{catalogtest.Publication(1, 2), pending} {
		if err := st.PutRelease(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func runCmd(dir string, args ...string) (stdout, stderr string, err error) {
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(append([]string{"--data-dir", dir}, args...))
	err = root.Execute()
	return out.String(), errOut.String(), err
}

func TestReindexLocal(t *testing.T) {
	dir := t.TempDir()
	seedCatalog(t, dir)
	out, _, err := runCmd(dir, "reindex", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st music.ReindexStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Docs != 5 || st.Index == "" || st.Error != "" {
		t.Fatalf("reindex --json: %v %s", err, out)
	}
	out, _, err = runCmd(dir, "search", "--type", "track", "QZ0000101001")
	if err != nil || !strings.Contains(out, "rel-1-d1t01") {
		t.Errorf("search after reindex: %v\n%s", err, out)
	}

	// A server holding the Bleve index: refused with the way out.
	idx, err := bleve.Open(filepath.Join(dir, "search"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	_, _, err = runCmd(dir, "reindex")
	if music.ErrorCode(err) != music.EUNAVAILABLE || !strings.Contains(err.Error(), "--server") {
		t.Errorf("reindex of a held index: %v, want EUNAVAILABLE naming --server", err)
	}
}

func TestReindexRemote(t *testing.T) {
	dir := t.TempDir()
	cat := seedCatalog(t, dir)
	ctx := context.Background()
	_, opsToken, err := cat.CreateUser(ctx, "root", music.RoleOps, "GB")
	if err != nil {
		t.Fatal(err)
	}
	_, listenerToken, err := cat.CreateUser(ctx, "alice", music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.Open(filepath.Join(dir, "search"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	srv := serving.New()
	srv.HandleReindex(cat, &serving.Reindexer{Index: idx, Source: func(ctx context.Context) music.DocSource {
		return search.CatalogDocs(ctx, cat)
	}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	out, _, err := runCmd(dir, "reindex", "--server", hs.URL, "--token", opsToken, "--progress", "50ms")
	if err != nil || !strings.HasPrefix(out, "reindexed 5 documents into idx-") {
		t.Fatalf("reindex --server: %v %q", err, out)
	}
	if n, _ := idx.DocCount(); n != 5 {
		t.Errorf("server's index holds %d docs, want 5", n)
	}
	for _, tc := range []struct {
		args []string
		code string
	}{
		{[]string{"--server", hs.URL}, music.EINVALID},
		{[]string{"--server", hs.URL, "--token", listenerToken}, music.EFORBIDDEN},
		{[]string{"--server", hs.URL, "--token", "mt_wrong"}, music.EUNAUTHORIZED},
		{[]string{"--server", "http://127.0.0.1:1", "--token", opsToken}, music.EUNAVAILABLE},
	} {
		if _, _, err := runCmd(dir, append([]string{"reindex"}, tc.args...)...); music.ErrorCode(err) != tc.code {
			t.Errorf("%v: %v, want %s", tc.args, err, tc.code)
		}
	}
}
