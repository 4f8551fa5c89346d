package fingerprint

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// loadRaw reads a headerless signed 16-bit little-endian file.
func loadRaw(t testing.TB, name string) []int16 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s := make([]int16, len(b)/2)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return s
}

func fingerprintOf(t testing.TB, pcm []int16, rate, ch int) []uint32 {
	t.Helper()
	f := NewFingerprinter()
	if err := f.Start(rate, ch); err != nil {
		t.Fatal(err)
	}
	// Feed in odd-sized pieces to exercise the streaming paths.
	for len(pcm) > 0 {
		n := min(len(pcm), 1234*ch)
		if err := f.Feed(pcm[:n]); err != nil {
			t.Fatal(err)
		}
		pcm = pcm[n:]
	}
	items, err := f.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// Known answer 1: the whole algorithm on the stereo file read as mono.
func TestKnownAnswerStereoAsMono(t *testing.T) {
	items := fingerprintOf(t, loadRaw(t, "test_stereo_44100.raw"), 44100, 1)
	if got, want := Encode(items, Algorithm), "AQAAC0kkZUqYREkUnFAXHk8uuMZl6EfO4zu-4ABKFGESWIIMEQE"; got != want {
		t.Errorf("compressed = %s, want %s (items %v)", got, want, items)
	}
	if got, want := SimHash(items), uint32(3732003127); got != want {
		t.Errorf("simhash = %d, want %d", got, want)
	}
}

// Known answer 2: silence.
func TestKnownAnswerSilence(t *testing.T) {
	items := fingerprintOf(t, make([]int16, 130*1024), 44100, 1)
	if want := []uint32{627964279, 627964279, 627964279}; !reflect.DeepEqual(items, want) {
		t.Fatalf("items = %v, want %v", items, want)
	}
	if got, want := Encode(items, Algorithm), "AQAAA0mUaEkSRZEGAA"; got != want {
		t.Errorf("compressed = %s, want %s", got, want)
	}
	if got := SimHash(items); got != 627964279 {
		t.Errorf("simhash = %d", got)
	}
}

// Known answer 3: compression of [1, 0] with algorithm 55.
func TestKnownAnswerEncoding(t *testing.T) {
	bin := Compress([]uint32{1, 0}, 55)
	if want := []byte{55, 0, 0, 2, 65, 0}; !reflect.DeepEqual(bin, want) {
		t.Errorf("binary = %v, want %v", bin, want)
	}
	if got := Encode([]uint32{1, 0}, 55); got != "NwAAAkEA" {
		t.Errorf("base64 = %s", got)
	}
	items, alg, err := Decode("NwAAAkEA")
	if err != nil || alg != 55 || !reflect.DeepEqual(items, []uint32{1, 0}) {
		t.Errorf("Decode = %v, %d, %v", items, alg, err)
	}
}

// Known answer 4: the chromagram (normalised, unfiltered) of the stereo
// file downmixed and resampled.
func TestKnownAnswerChromagram(t *testing.T) {
	want := map[int][]float64{
		0:  {0.155444, 0.268618, 0.474445, 0.159887, 0.1761, 0.423511, 0.178933, 0.34433, 0.360958, 0.30421, 0.200217, 0.17072},
		1:  {0.159809, 0.238675, 0.286526, 0.166119, 0.225144, 0.449236, 0.162444, 0.371875, 0.259626, 0.483961, 0.24491, 0.17034},
		13: {0.047297, 0.0065354, 0.181074, 0.121455, 0.0135504, 0.030693, 0.0613105, 0.631705, 0.73548, 0.0550565, 0.0128093, 0.0460393},
	}
	f := NewFingerprinter()
	if err := f.Start(44100, 2); err != nil {
		t.Fatal(err)
	}
	var rows [][]float64
	f.core.rawChroma = func(v []float64) { rows = append(rows, append([]float64(nil), v...)) }
	if err := f.Feed(loadRaw(t, "test_stereo_44100.raw")); err != nil {
		t.Fatal(err)
	}
	f.Finish()
	if len(rows) != 14 {
		t.Fatalf("got %d chroma rows, want 14", len(rows))
	}
	for r, w := range want {
		for i := range w {
			if math.Abs(rows[r][i]-w[i]) > 1e-5 {
				t.Errorf("row %d band %d = %.7f, want %.7f", r, i, rows[r][i], w[i])
			}
		}
	}
}

// The mp3 clip's fpcalc output must round-trip through Encode/Decode.
func TestFpcalcRawRoundTrip(t *testing.T) {
	b, err := os.ReadFile("testdata/test.mp3.fpcalc.out")
	if err != nil {
		t.Fatal(err)
	}
	var items []uint32
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "FINGERPRINT="); ok {
			for _, f := range strings.Split(v, ",") {
				n, err := strconv.ParseUint(f, 10, 32)
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, uint32(n))
			}
		}
	}
	got, alg, err := Decode(Encode(items, Algorithm))
	if err != nil || alg != Algorithm || !reflect.DeepEqual(got, items) {
		t.Fatalf("round trip failed: %v", err)
	}
}
