package encode

import (
	"io"
	"os"

	"github.com/jfreymuth/oggvorbis"
	music "github.com/openmusic/music"
)

// vorbisDecoder wraps jfreymuth/oggvorbis, which honours granule positions
// so the decoded length is the encoder's exact sample count.
type vorbisDecoder struct {
	f      *os.File
	r      *oggvorbis.Reader
	path   string
	format Format
	pos    int64
}

func newVorbis(f *os.File, path string) (d *vorbisDecoder, err error) {
	defer guard(path, 0, &err)
	r, err := oggvorbis.NewReader(f)
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "%s: Ogg Vorbis header: %v", path, err)
	}
	if r.Channels() < 1 || r.Channels() > maxChannels || r.SampleRate() <= 0 {
		return nil, music.Errorf(music.EINVALID, "%s: Ogg Vorbis: %d channels at %d Hz", path, r.Channels(), r.SampleRate())
	}
	frames := r.Length()
	if frames <= 0 {
		frames = -1
	}
	return &vorbisDecoder{f: f, r: r, path: path, format: Format{
		Codec: "vorbis", SampleRate: r.SampleRate(), Channels: r.Channels(), Frames: frames,
	}}, nil
}

func (d *vorbisDecoder) Format() Format { return d.format }

func (d *vorbisDecoder) Read(dst []float32) (n int, err error) {
	defer guard(d.path, d.pos, &err)
	ch := d.format.Channels
	dst = dst[:len(dst)/ch*ch]
	for n == 0 {
		k, err := d.r.Read(dst)
		n += k
		d.pos += int64(k / ch)
		if err == io.EOF {
			if n > 0 {
				return n, nil
			}
			return 0, io.EOF
		}
		if err != nil {
			return n, invalid(d.path, d.pos, err)
		}
		if len(dst) == 0 {
			break
		}
	}
	return n, nil
}

func (d *vorbisDecoder) Close() error { return d.f.Close() }
