package encode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"

	"github.com/hajimehoshi/go-mp3"
	music "github.com/openmusic/music"
)

// mp3Decoder wraps hajimehoshi/go-mp3, a pure-Go MPEG-1/2 Layer III
// decoder. Labels deliver lossless masters, but podcast enclosures are
// nearly all MP3, so the episode pipeline needs it. go-mp3 always yields
// 16-bit stereo, so a mono episode decodes as two equal channels.
type mp3Decoder struct {
	f      *os.File
	r      *mp3.Decoder
	path   string
	format Format
	pos    int64
	raw    []byte
}

// isMP3 recognises an ID3v2 tag or a Layer III frame sync at the start.
func isMP3(h []byte) bool {
	if bytes.HasPrefix(h, []byte("ID3")) {
		return true
	}
	return len(h) >= 2 && h[0] == 0xFF && h[1]&0xE0 == 0xE0 && (h[1]>>1)&3 == 1
}

func newMP3(f *os.File, path string) (d *mp3Decoder, err error) {
	defer guard(path, 0, &err)
	r, err := mp3.NewDecoder(f)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "%s: MP3: %v", path, err)
	}
	if r.SampleRate() <= 0 {
		return nil, music.Errorf(music.EINVALID, "%s: MP3: sample rate %d", path, r.SampleRate())
	}
	frames := int64(-1)
	if n := r.Length(); n > 0 {
		frames = n / 4
	}
	return &mp3Decoder{f: f, r: r, path: path, format: Format{
		Codec: "mp3", SampleRate: r.SampleRate(), Channels: 2, Frames: frames,
	}}, nil
}

func (d *mp3Decoder) Format() Format { return d.format }

func (d *mp3Decoder) Read(dst []float32) (n int, err error) {
	defer guard(d.path, d.pos, &err)
	dst = dst[:len(dst)/2*2]
	if cap(d.raw) < len(dst)*2 {
		d.raw = make([]byte, len(dst)*2)
	}
	raw := d.raw[:len(dst)*2]
	k, err := io.ReadFull(d.r, raw)
	k = k / 4 * 4
	for i := 0; i < k/2; i++ {
		dst[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
	}
	n = k / 2
	d.pos += int64(n / 2)
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		if n > 0 {
			return n, nil
		}
		return 0, io.EOF
	default:
		return n, invalid(d.path, d.pos, err)
	}
}

func (d *mp3Decoder) Close() error { return d.f.Close() }
