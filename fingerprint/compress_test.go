package fingerprint

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	music "github.com/openmusic/music"
)

func TestDecodeBadInput(t *testing.T) {
	valid := Encode([]uint32{1, 0xffffffff, 0x80000001, 7}, Algorithm)
	tests := []struct {
		name, in, msg string
	}{
		{"empty", "", "empty"},
		{"not base64", "AQAA!!", "base64"},
		{"standard base64 padding", valid + "==", "base64"},
		{"short header", "AQA", "header"},
		{"truncated items", valid[:len(valid)-4], "truncated"},
		{"count beyond data", "AQAAEA", "truncated"},
		{"huge count", "Af___w", "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Decode(tc.in)
			if music.ErrorCode(err) != music.EINVALID || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("Decode(%q) = %v, want EINVALID mentioning %q", tc.in, err, tc.msg)
			}
		})
	}
}

func TestCompressRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{0, 1, 2, 100, 5000} {
		items := make([]uint32, n)
		for i := range items {
			items[i] = rng.Uint32()
		}
		got, alg, err := Decode(Encode(items, Algorithm))
		if err != nil || alg != Algorithm || len(got) != n || (n > 0 && !reflect.DeepEqual(got, items)) {
			t.Fatalf("n=%d: round trip failed: %v", n, err)
		}
	}
}

// FuzzDecode feeds arbitrary strings to the decoder: it must never panic,
// and whatever it accepts must re-encode to a string that decodes the same.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"AQAAC0kkZUqYREkUnFAXHk8uuMZl6EfO4zu-4ABKFGESWIIMEQE", "AQAAA0mUaEkSRZEGAA", "NwAAAkEA", "", "AQAA", "Af___w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, alg, err := Decode(s)
		if err != nil {
			if music.ErrorCode(err) != music.EINVALID {
				t.Fatalf("error without EINVALID code: %v", err)
			}
			return
		}
		again, alg2, err := Decode(Encode(items, alg))
		if err != nil || alg2 != alg || !reflect.DeepEqual(again, items) {
			t.Fatalf("re-encode of %q does not round-trip: %v", s, err)
		}
	})
}
