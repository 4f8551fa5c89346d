// Command servingbench sets up the serving side-by-side benchmark: a
// SQLite catalog with synthetic published releases, a file blob store with
// one 5 MB rendition per track, a listener token, and the serving layer on
// -addr (catalog + audio routes, no rate limit). It writes wrk inputs to
// -dir: token, track IDs, signed audio paths. scripts/bench-serving.sh
// runs it beside nginx serving the same files.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/filestore"
	"github.com/openmusic/music/internal/catalogtest"
	"github.com/openmusic/music/serving"
	"github.com/openmusic/music/sqlstore"
)

func main() {
	dir := flag.String("dir", "/tmp/servingbench", "state directory")
	addr := flag.String("addr", "127.0.0.1:18080", "listen address")
	releases := flag.Int("releases", 10, "releases of 4 tracks")
	size := flag.Int("size", 5<<20, "bytes of each track's 320 rendition")
	flag.Parse()
	if err := run(*dir, *addr, *releases, *size); err != nil {
		log.Fatal(err)
	}
}

func run(dir, addr string, releases, size int) error {
	ctx := context.Background()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "catalog.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	blobs, err := filestore.Open(ctx, filepath.Join(dir, "blobs"))
	if err != nil {
		return err
	}
	var tracks, paths []string
	key := make([]byte, 32)
	rand.Read(key)
	signer, err := serving.NewStreamSigner(key, 24*time.Hour, "")
	if err != nil {
		return err
	}
	body := make([]byte, size)
	mrand.NewChaCha8([32]byte{1}).Read(body)
	for i := 1; i <= releases; i++ {
		p := catalogtest.Publication(i, 4)
		p.Publish = true
		if err := st.PutRelease(ctx, p); err != nil && music.ErrorCode(err) != music.ECONFLICT {
			return err
		}
		for _, t := range p.Tracks {
			tracks = append(tracks, t.ID)
			k := "audio/" + t.ID + "/320.ogg"
			if _, err := blobs.Stat(ctx, k); err != nil {
				if _, err := blobs.Put(ctx, k, bytes.NewReader(body), music.PutOptions{ContentType: "audio/ogg"}); err != nil {
					return err
				}
			}
			paths = append(paths, signer.Sign(serving.AudioPath(t.ID, "320.ogg")))
		}
	}
	_, token, err := st.CreateUser(ctx, fmt.Sprintf("bench-%d", time.Now().UnixNano()), music.RoleListener, "GB")
	if err != nil {
		return err
	}
	for name, v := range map[string]string{"token": token, "tracks": strings.Join(tracks, "\n"), "paths": strings.Join(paths, "\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o644); err != nil {
			return err
		}
	}
	srv := serving.New()
	srv.Signer = signer
	srv.HandleCatalog(st, st)
	srv.HandleAudio(blobs, serving.AudioOptions{})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("ready http=%s tracks=%d blobs=%s\n", ln.Addr(), len(tracks), blobs.Dir())
	return srv.Serve(ctx, ln)
}
