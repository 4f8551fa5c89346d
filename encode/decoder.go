// Package encode turns a delivered master into what the platform serves:
// it decodes WAV, FLAC, Ogg Vorbis and MP3 to PCM, resamples, measures loudness
// (BS.1770-4 / EBU R128, ReplayGain 2.0), encodes the gapless Vorbis
// ladder and the MP3 preview, and writes rendition.json.
package encode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	music "github.com/openmusic/music"
)

// Format describes the PCM a Decoder produces.
type Format struct {
	Codec         string `json:"codec"` // "wav", "flac" or "vorbis"
	SampleRate    int    `json:"sample_rate"`
	Channels      int    `json:"channels"`
	BitsPerSample int    `json:"bits_per_sample"` // of the source; 0 for lossy codecs
	// Frames is the total number of frames (samples per channel) when the
	// container states it, else -1.
	Frames int64 `json:"frames"`
}

// Decoder streams a file as interleaved float32 PCM in [-1, 1].
type Decoder interface {
	// Format reports the stream's layout.
	Format() Format
	// Read fills dst with interleaved samples. n is a multiple of
	// Channels; at the end Read returns io.EOF. A damaged stream gives an
	// *music.Error with code EINVALID.
	Read(dst []float32) (n int, err error)
	// Close releases the file.
	Close() error
}

// maxChannels bounds what we accept; more is not music delivery.
const maxChannels = 8

// Open sniffs path's content (RIFF/WAVE, fLaC, OggS with a Vorbis stream,
// an ID3 tag or MPEG Layer III frame)
// and returns a streaming decoder. Anything else is EUNSUPPORTED; an empty
// or damaged header is EINVALID.
func Open(path string) (Decoder, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var head [64]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if n == 0 {
		f.Close()
		return nil, music.Errorf(music.EINVALID, "%s: empty file", path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("seek %s: %w", path, err)
	}
	h := head[:n]
	var d Decoder
	switch {
	case len(h) >= 12 && string(h[0:4]) == "RIFF" && string(h[8:12]) == "WAVE":
		d, err = newWAV(f, path)
	case bytes.HasPrefix(h, []byte("fLaC")):
		d, err = newFLAC(f, path)
	case bytes.HasPrefix(h, []byte("OggS")) && bytes.Contains(h, []byte("\x01vorbis")):
		d, err = newVorbis(f, path)
	case isMP3(h):
		d, err = newMP3(f, path)
	default:
		f.Close()
		return nil, music.Errorf(music.EUNSUPPORTED, "%s: unsupported format (want WAV, FLAC, Ogg Vorbis or MP3)", path)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &stalled{Decoder: d, path: path}, nil
}

// Int16Reader is a Decoder of 16-bit integer PCM that can deliver the
// samples as stored: ReadInt16 is Read without the conversion to float32
// (a sample v from Read is v·32768 here). Consumers that work in 16-bit
// integers, such as the fingerprinter, save a conversion each way.
type Int16Reader interface {
	Decoder
	ReadInt16(dst []int16) (n int, err error)
}

// AsInt16 returns d as an Int16Reader when its source is 16-bit integer
// PCM that the decoder can hand over unconverted (16-bit WAV).
func AsInt16(d Decoder) (Int16Reader, bool) {
	if s, ok := d.(*stalled); ok {
		d = s.Decoder
	}
	if w, ok := d.(*wavDecoder); ok && !w.float && w.bytesPS == 2 {
		return w, true
	}
	return nil, false
}

// stalled turns a decoder that keeps returning nothing into an error, so
// a hostile stream cannot make a caller spin forever.
type stalled struct {
	Decoder
	path  string
	empty int
}

func (s *stalled) Read(dst []float32) (int, error) {
	n, err := s.Decoder.Read(dst)
	if n == 0 && err == nil && len(dst) >= s.Format().Channels {
		if s.empty++; s.empty > 1000 {
			return 0, music.Errorf(music.EINVALID, "%s: decoder makes no progress", s.path)
		}
	} else {
		s.empty = 0
	}
	return n, err
}

// Probe decodes path completely and returns its format and the number of
// frames actually decoded. A stream that ends early, has a damaged frame,
// or decodes to a different length than its header states is EINVALID.
func Probe(path string) (Format, int64, error) {
	d, err := Open(path)
	if err != nil {
		return Format{}, 0, err
	}
	defer d.Close()
	f := d.Format()
	buf := make([]float32, 4096*f.Channels)
	var frames int64
	for {
		n, err := d.Read(buf)
		frames += int64(n / f.Channels)
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, frames, err
		}
	}
	if f.Frames >= 0 && frames != f.Frames {
		return f, frames, music.Errorf(music.EINVALID, "%s: header states %d frames but %d decode (truncated or corrupt)", path, f.Frames, frames)
	}
	return f, frames, nil
}

// ProbeSeconds decodes path completely (as Probe) and reports its length
// in seconds and its codec name. It has the shape of ingest's AudioProber,
// so a delivery passes validation exactly when the encode step can read it.
func ProbeSeconds(_ context.Context, path string) (float64, string, error) {
	f, frames, err := Probe(path)
	if err != nil {
		return 0, "", err
	}
	if f.SampleRate <= 0 {
		return 0, f.Codec, music.Errorf(music.EINVALID, "%s: no sample rate", path)
	}
	return float64(frames) / float64(f.SampleRate), f.Codec, nil
}

// invalid wraps a decoding failure of path as an EINVALID domain error.
func invalid(path string, at int64, err error) error {
	return music.Errorf(music.EINVALID, "%s: corrupt or truncated stream at frame %d: %v", path, at, err)
}

// guard turns a panic inside a third-party decoder into an EINVALID error,
// because bad input must never crash the process.
func guard(path string, at int64, err *error) {
	if r := recover(); r != nil {
		*err = invalid(path, at, fmt.Errorf("decoder panic: %v", r))
	}
}
