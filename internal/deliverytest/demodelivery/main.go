// Command demodelivery writes a DDEX ERN 4.3 delivery of real test music
// for `make demo`: the first N masters of a folder as one album, with
// decoded durations and MD5 hash sums filled in.
//
//	go run ./internal/deliverytest/demodelivery -music ~/.cache/musicctl/music/wav -n 10 -out DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/openmusic/music/internal/deliverytest"
)

func main() {
	music := flag.String("music", "", "folder of WAV or FLAC masters")
	n := flag.Int("n", 10, "number of tracks")
	out := flag.String("out", "", "delivery folder to create (must not exist)")
	flag.Parse()
	if err := run(*music, *out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "demodelivery:", err)
		os.Exit(1)
	}
}

func run(music, out string, n int) error {
	if music == "" || out == "" {
		return fmt.Errorf("-music and -out are required")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists", out)
	}
	files, _ := filepath.Glob(filepath.Join(music, "*.wav"))
	flacs, _ := filepath.Glob(filepath.Join(music, "*.flac"))
	files = append(files, flacs...)
	sort.Strings(files)
	if len(files) < n {
		return fmt.Errorf("%s holds %d masters, need %d (run `make fingerprint-music`)", music, len(files), n)
	}
	rel := deliverytest.Release{Title: "Music of Wesnoth (Open Music demo)", Artist: "The Wesnoth Composers"}
	for i, f := range files[:n] {
		title := strings.ReplaceAll(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), "_", " ")
		rel.Tracks = append(rel.Tracks, deliverytest.Track{ISRC: deliverytest.ISRC(26, i+1), Title: title, Source: f})
	}
	msg, err := deliverytest.Write(out, rel)
	if err != nil {
		return err
	}
	fmt.Println(msg)
	return nil
}
