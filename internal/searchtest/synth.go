package searchtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// Synth generates a deterministic synthetic catalog for scale tests:
// tracks with titles of 1–4 made-up words, artists and albums shared
// between tracks, Zipf-like popularity and release dates over 50 years.
type Synth struct {
	Tracks  int
	Seed    uint64
	words   []string
	artists []string
	albums  []string
}

// NewSynth prepares a generator for n tracks.
func NewSynth(n int, seed uint64) *Synth {
	s := &Synth{Tracks: n, Seed: seed}
	r := rand.New(rand.NewPCG(seed, 1))
	syl := []string{"ka", "ro", "mi", "sun", "la", "ve", "to", "ri", "an", "del", "mo", "shi", "ber", "lo", "na", "tra",
		"quin", "es", "zo", "pa", "gle", "ny", "or", "fen", "wi", "cla", "du", "hel", "sa", "bri", "go", "ten"}
	seen := map[string]bool{}
	for len(s.words) < 20000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			s.words = append(s.words, w)
		}
	}
	for range max(n/20, 10) {
		s.artists = append(s.artists, s.phrase(r, 1+r.IntN(2)))
	}
	for range max(n/10, 10) {
		s.albums = append(s.albums, s.phrase(r, 1+r.IntN(3)))
	}
	return s
}

func (s *Synth) phrase(r *rand.Rand, n int) string {
	parts := make([]string, n)
	for i := range parts {
		// Skewed word choice, so some words are common and some rare.
		w := s.words[int(float64(len(s.words))*r.Float64()*r.Float64())]
		parts[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(parts, " ")
}

// Source streams the artists, albums and tracks.
func (s *Synth) Source() music.DocSource {
	return func(yield func(music.SearchDoc) error) error {
		r := rand.New(rand.NewPCG(s.Seed, 2))
		epoch := time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC)
		for i, a := range s.artists {
			if err := yield(music.SearchDoc{Type: music.DocArtist, ID: fmt.Sprintf("a%d", i), Title: a, Popularity: zipfPop(r)}); err != nil {
				return err
			}
		}
		for i, al := range s.albums {
			d := music.SearchDoc{Type: music.DocAlbum, ID: fmt.Sprintf("b%d", i), Title: al, Artists: []string{s.artists[i%len(s.artists)]},
				UPC: fmt.Sprintf("%012d", 100000000000+i), Popularity: zipfPop(r), ReleaseDate: epoch.AddDate(0, 0, r.IntN(50*365))}
			if err := yield(d); err != nil {
				return err
			}
		}
		for i := range s.Tracks {
			al := r.IntN(len(s.albums))
			d := music.SearchDoc{Type: music.DocTrack, ID: fmt.Sprintf("t%d", i), Title: s.phrase(r, 1+r.IntN(4)),
				Artists: []string{s.artists[al%len(s.artists)]}, Album: s.albums[al], Genre: []string{"pop", "rock", "jazz", "hip hop", "electronic"}[r.IntN(5)],
				ISRC: fmt.Sprintf("QZSYN%02d%05d", i/100000%100, i%100000), Popularity: zipfPop(r),
				ReleaseDate: epoch.AddDate(0, 0, r.IntN(50*365)), Explicit: r.IntN(10) == 0}
			if i%7 == 0 {
				d.Featured = []string{s.artists[r.IntN(len(s.artists))]}
			}
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// zipfPop draws a popularity in 0..100 where most items are obscure.
func zipfPop(r *rand.Rand) int {
	return int(100 * r.Float64() * r.Float64() * r.Float64())
}

// Queries returns n queries of each kind drawn from the catalog's titles:
// plain (two title words), fuzzy (a word with one or two edits) and prefix
// (a word and the start of the next).
func (s *Synth) Queries(n int, seed uint64) (plain, fuzzy, prefix []string) {
	r := rand.New(rand.NewPCG(seed, 3))
	for range n {
		a, b := s.words[r.IntN(len(s.words)/4)], s.words[r.IntN(len(s.words))]
		plain = append(plain, a+" "+b)
		fuzzy = append(fuzzy, typo(r, a)+" "+b)
		prefix = append(prefix, a+" "+b[:min(len(b), 3+r.IntN(2))])
	}
	return plain, fuzzy, prefix
}

// typo swaps two neighbouring letters or drops one.
func typo(r *rand.Rand, w string) string {
	b := []byte(w)
	i := r.IntN(len(b) - 1)
	if r.IntN(2) == 0 {
		b[i], b[i+1] = b[i+1], b[i]
		return string(b)
	}
	return string(append(b[:i:i], b[i+1:]...))
}
