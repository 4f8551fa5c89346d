package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/bleve"
	"github.com/openmusic/music/internal/searchtest"
)

func TestSearchCmd(t *testing.T) {
	dir := t.TempDir()
	idx, err := bleve.Open(filepath.Join(dir, "search"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := searchtest.Catalog()
	if err := idx.Index(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	idx.Close()

	run := func(args ...string) (string, error) {
		root := newRootCmd()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs(append([]string{"--data-dir", dir}, args...))
		err := root.Execute()
		return out.String(), err
	}
	out, err := run("search", "bettles")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Did you mean: beatles") || !strings.Contains(out, "1. The Beatles") {
		t.Errorf("listing:\n%s", out)
	}
	out, err = run("search", "--json", "--type", "track", "--limit", "2", "halo")
	if err != nil {
		t.Fatal(err)
	}
	var res music.SearchResults
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if res.Tracks == nil || len(res.Tracks.Items) != 2 || res.Artists != nil || res.Top.Artists[0] != "Beyoncé" {
		t.Errorf("--json: %s", out)
	}
	for _, args := range [][]string{{"search", `"*:~^(`}, {"search", "--limit", "-1", "halo"}, {"search", "--type", "playlist", "x"}} {
		if _, err := run(args...); music.ErrorCode(err) != music.EINVALID {
			t.Errorf("%v: err %v, want EINVALID", args, err)
		}
	}
}
