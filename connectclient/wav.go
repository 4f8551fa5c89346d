package connectclient

import (
	"encoding/binary"
	"io"
	"math"
)

// wavSink writes 16-bit PCM WAV at the format of the first audio it
// gets; later audio of another rate or channel count is converted
// (nearest sample), so one file holds a whole listening session. The
// header's sizes say "unknown" (streaming); Finish fixes them when the
// writer can seek.
type wavSink struct {
	w        io.Writer
	rate, ch int
	bytes    int64
	buf      []byte
}

func (s *wavSink) header() error {
	h := make([]byte, 44)
	copy(h, "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 0xFFFFFFFF)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], uint16(s.ch))
	binary.LittleEndian.PutUint32(h[24:], uint32(s.rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(s.rate*s.ch*2))
	binary.LittleEndian.PutUint16(h[32:], uint16(s.ch*2))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], 0xFFFFFFFF)
	_, err := s.w.Write(h)
	return err
}

// Write takes interleaved samples at rate/ch.
func (s *wavSink) Write(pcm []float32, rate, ch int) error {
	if s.rate == 0 {
		s.rate, s.ch = rate, ch
		if err := s.header(); err != nil {
			return err
		}
	}
	frames := len(pcm) / ch
	outFrames := frames
	if rate != s.rate {
		outFrames = int(int64(frames) * int64(s.rate) / int64(rate))
	}
	s.buf = s.buf[:0]
	for f := range outFrames {
		src := f
		if rate != s.rate {
			src = int(int64(f) * int64(rate) / int64(s.rate))
		}
		for c := range s.ch {
			v := pcm[src*ch+min(c, ch-1)]
			s.buf = binary.LittleEndian.AppendUint16(s.buf, uint16(int16(math.Round(float64(max(-1, min(1, v)))*32767))))
		}
	}
	n, err := s.w.Write(s.buf)
	s.bytes += int64(n)
	return err
}

// Finish writes the real sizes into the header when the writer seeks.
func (s *wavSink) Finish() error {
	ws, ok := s.w.(io.WriteSeeker)
	if !ok || s.rate == 0 {
		return nil
	}
	var b [4]byte
	for _, f := range []struct {
		off int64
		v   uint32
	}{{4, uint32(36 + s.bytes)}, {40, uint32(s.bytes)}} {
		binary.LittleEndian.PutUint32(b[:], f.v)
		if _, err := ws.Seek(f.off, io.SeekStart); err != nil {
			return err
		}
		if _, err := ws.Write(b[:]); err != nil {
			return err
		}
	}
	_, err := ws.Seek(0, io.SeekEnd)
	return err
}
