package encode

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	music "github.com/openmusic/music"
)

// flacDecoder streams FLAC frames through mewkiz/flac, one frame in memory.
type flacDecoder struct {
	f      *os.File
	s      *flac.Stream
	path   string
	format Format
	cur    *frame.Frame
	off    int // next sample index within cur
	pos    int64
	done   bool
}

func newFLAC(f *os.File, path string) (d *flacDecoder, err error) {
	defer guard(path, 0, &err)
	s, err := flac.New(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "%s: FLAC header: %v", path, err)
	}
	si := s.Info
	if si.NChannels < 1 || si.NChannels > maxChannels || si.SampleRate == 0 || si.BitsPerSample < 4 || si.BitsPerSample > 32 {
		return nil, music.Errorf(music.EINVALID, "%s: FLAC STREAMINFO: %d channels, %d Hz, %d bits", path, si.NChannels, si.SampleRate, si.BitsPerSample)
	}
	frames := int64(si.NSamples)
	if frames == 0 {
		frames = -1 // unknown
	}
	return &flacDecoder{f: f, s: s, path: path, format: Format{
		Codec: "flac", SampleRate: int(si.SampleRate), Channels: int(si.NChannels),
		BitsPerSample: int(si.BitsPerSample), Frames: frames,
	}}, nil
}

func (d *flacDecoder) Format() Format { return d.format }

func (d *flacDecoder) Read(dst []float32) (n int, err error) {
	defer guard(d.path, d.pos, &err)
	ch := d.format.Channels
	for n+ch <= len(dst) {
		if d.cur == nil || d.off >= len(d.cur.Subframes[0].Samples) {
			if d.done {
				break
			}
			fr, err := d.s.ParseNext()
			if err == io.EOF {
				d.done = true
				break
			}
			if err != nil {
				return n, invalid(d.path, d.pos, err)
			}
			if len(fr.Subframes) != ch || int(fr.SampleRate) != d.format.SampleRate && fr.SampleRate != 0 {
				return n, invalid(d.path, d.pos, fmt.Errorf("frame layout changed to %d channels, %d Hz", len(fr.Subframes), fr.SampleRate))
			}
			for _, sf := range fr.Subframes[1:] {
				if len(sf.Samples) != len(fr.Subframes[0].Samples) {
					return n, invalid(d.path, d.pos, fmt.Errorf("subframes differ in length"))
				}
			}
			d.cur, d.off = fr, 0
			continue
		}
		scale := 1 / float32(int64(1)<<(d.cur.BitsPerSample-1))
		k := min((len(dst)-n)/ch, len(d.cur.Subframes[0].Samples)-d.off)
		for c, sf := range d.cur.Subframes {
			s := sf.Samples[d.off : d.off+k]
			for i, v := range s {
				dst[n+i*ch+c] = float32(v) * scale
			}
		}
		d.off += k
		n += k * ch
		d.pos += int64(k)
	}
	if n == 0 && d.done {
		return 0, io.EOF
	}
	return n, nil
}

func (d *flacDecoder) Close() error { return d.f.Close() }
