package ingest

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkParse measures parsing (safety scan, decode, conversion) of the
// 330 kB official single sample, the largest of the set.
func BenchmarkParse(b *testing.B) {
	msg, err := os.ReadFile("testdata/ern43/4_SimpleAudioSingle.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(msg)); err != nil {
			b.Fatal(err)
		}
	}
}
