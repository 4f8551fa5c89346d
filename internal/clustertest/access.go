//go:build cluster

package clustertest

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobstore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/internal/miniotest"
	"github.com/openmusic/music/sqlstore"
)

// SeedListeners stores a release of nTracks tracks and nUsers listeners
// named prefix0… in the shared catalog and returns their tokens and the
// track IDs.
func (c *Cluster) SeedListeners(t testing.TB, prefix string, nUsers, nTracks int) (tokens, tracks []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := sqlstore.Open(ctx, c.CatalogDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokens, tracks, err = catalogtest.SeedListeners(ctx, st, prefix, nUsers, nTracks)
	if err != nil {
		t.Fatal(err)
	}
	return tokens, tracks
}

// Blobs opens the shared blob store (the MinIO bucket).
func (c *Cluster) Blobs(t testing.TB) music.BlobStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := blobstore.Open(ctx, c.BlobURL(), blobstore.Credentials{AccessKey: miniotest.AccessKey, SecretKey: miniotest.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkFront asks every serve, through the front, whether it is ready.
func (c *Cluster) checkFront(t testing.TB) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	for range c.Serves {
		resp, err := client.Get(c.Front.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("front /readyz: %s %s", resp.Status, body)
		}
	}
}
