package offlinecrypt

import (
	"bytes"
	"io"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

func coded(t *testing.T, what string, err error) {
	if c := music.ErrorCode(err); c == music.EINTERNAL {
		t.Fatalf("%s refused without a code: %v", what, err)
	}
}

// FuzzParseHeader: no header panics, and one that parses encodes back to
// the same bytes.
func FuzzParseHeader(f *testing.F) {
	h, _ := Header{ChunkSize: DefaultChunkSize}.MarshalBinary()
	f.Add(h)
	f.Add([]byte("MOFL"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseHeader(b)
		if err != nil {
			coded(t, "header", err)
			return
		}
		again, err := got.MarshalBinary()
		if err != nil || !bytes.Equal(again, b[:HeaderSize]) {
			t.Fatalf("header %x parsed to %+v, encodes to %x (%v)", b[:HeaderSize], got, again, err)
		}
	})
}

// FuzzReader: a container that is not what the key sealed never yields
// plaintext, and nothing panics.
func FuzzReader(f *testing.F) {
	key := bytes.Repeat([]byte{7}, KeySize)
	var good bytes.Buffer
	if _, err := Encrypt(&good, bytes.NewReader(bytes.Repeat([]byte("pcm"), 1000)), key, 1024); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:HeaderSize+20])
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), int64(len(b)), key)
		if err != nil {
			coded(t, "container", err)
			return
		}
		got, err := io.ReadAll(r)
		if err != nil {
			coded(t, "container", err)
			return
		}
		if !bytes.Equal(b, good.Bytes()) && len(got) > 0 {
			t.Fatalf("a forged container gave %d bytes of plaintext", len(got))
		}
	})
}

// FuzzUnwrap: nothing panics, refusals carry a code, and what opens is a
// whole key. (Anyone with the public key can wrap, so a fresh wrap from
// another run opening is expected.)
func FuzzUnwrap(f *testing.F) {
	dev, err := ParseDeviceKey(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		f.Fatal(err)
	}
	good, _ := Wrap(dev.Public(), NewKey(), "ctx")
	f.Add(good)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		key, err := dev.Unwrap(b, "ctx")
		if err == nil && len(key) != KeySize {
			t.Fatalf("wrap %x opened to %d bytes", b, len(key))
		}
		if err != nil {
			coded(t, "wrapped key", err)
		}
	})
}

// FuzzParseLicence: only the signer's tokens parse, and nothing panics.
func FuzzParseLicence(f *testing.F) {
	s, _ := NewSigner(make([]byte, 32))
	now := time.Unix(1_800_000_000, 0).UTC()
	good, _ := s.Sign(Licence{ID: "L", UserID: "u", DeviceID: "d", IDs: []string{"t"}, IssuedAt: now, Expires: now.Add(time.Hour)})
	f.Add(good)
	f.Add("e30.AAAA")
	episode, _ := s.Sign(Licence{ID: "E", UserID: "u", DeviceID: "d", Kind: music.OfflineEpisode, IDs: []string{"ep_1"}, IssuedAt: now, Expires: now.Add(time.Hour)})
	f.Add(episode)
	f.Fuzz(func(t *testing.T, tok string) {
		l, err := ParseLicence(s.PublicKey(), tok)
		if err != nil {
			coded(t, "licence", err)
			return
		}
		if (tok != good || l.ID != "L") && (tok != episode || l.ID != "E" || l.Kind != music.OfflineEpisode) {
			t.Fatalf("forged licence %q accepted", tok)
		}
	})
}
