// Package mp3 encodes PCM to MP3 with libmp3lame through cgo.
package mp3

/*
#cgo LDFLAGS: -lmp3lame
#include <stdlib.h>
#include <lame/lame.h>
*/
import "C"

import (
	"fmt"
	"io"
	"unsafe"

	music "github.com/openmusic/music"
)

// Encoder writes a constant-bitrate MP3 stream to an io.Writer.
type Encoder struct {
	gf     C.lame_t
	w      io.Writer
	ch     int
	buf    []byte
	closed bool
}

// New returns an encoder for rate Hz, ch (1 or 2) channels at kbps.
func New(w io.Writer, rate, ch, kbps int) (*Encoder, error) {
	if ch < 1 || ch > 2 {
		return nil, music.Errorf(music.EINVALID, "mp3: %d channels (1 or 2)", ch)
	}
	gf := C.lame_init()
	if gf == nil {
		return nil, fmt.Errorf("mp3: lame_init failed")
	}
	C.lame_set_in_samplerate(gf, C.int(rate))
	C.lame_set_out_samplerate(gf, C.int(rate))
	C.lame_set_num_channels(gf, C.int(ch))
	if ch == 1 {
		C.lame_set_mode(gf, C.MONO)
	} else {
		C.lame_set_mode(gf, C.JOINT_STEREO)
	}
	C.lame_set_brate(gf, C.int(kbps))
	C.lame_set_quality(gf, 3) // the lame command line default
	C.lame_set_bWriteVbrTag(gf, 0)
	if C.lame_init_params(gf) < 0 {
		C.lame_close(gf)
		return nil, music.Errorf(music.EUNSUPPORTED, "mp3: lame refuses %d kbps at %d Hz, %d channels", kbps, rate, ch)
	}
	return &Encoder{gf: gf, w: w, ch: ch}, nil
}

// Write encodes interleaved float32 frames in [-1, 1].
func (e *Encoder) Write(pcm []float32) error {
	frames := len(pcm) / e.ch
	for frames > 0 {
		n := min(frames, 4096)
		need := 5*n/4 + 7200 // lame's documented worst case
		if cap(e.buf) < need {
			e.buf = make([]byte, need)
		}
		var r C.int
		if e.ch == 2 {
			r = C.lame_encode_buffer_interleaved_ieee_float(e.gf, (*C.float)(unsafe.Pointer(&pcm[0])), C.int(n),
				(*C.uchar)(unsafe.Pointer(&e.buf[0])), C.int(need))
		} else {
			r = C.lame_encode_buffer_ieee_float(e.gf, (*C.float)(unsafe.Pointer(&pcm[0])), (*C.float)(unsafe.Pointer(&pcm[0])), C.int(n),
				(*C.uchar)(unsafe.Pointer(&e.buf[0])), C.int(need))
		}
		if r < 0 {
			return fmt.Errorf("mp3: lame error %d", int(r))
		}
		if _, err := e.w.Write(e.buf[:r]); err != nil {
			return err
		}
		pcm = pcm[n*e.ch:]
		frames -= n
	}
	return nil
}

// Close flushes the last frames and frees lame.
func (e *Encoder) Close() error {
	if e.closed {
		return nil
	}
	e.closed = true
	defer C.lame_close(e.gf)
	buf := make([]byte, 7200)
	r := C.lame_encode_flush(e.gf, (*C.uchar)(unsafe.Pointer(&buf[0])), C.int(len(buf)))
	if r < 0 {
		return fmt.Errorf("mp3: lame flush error %d", int(r))
	}
	_, err := e.w.Write(buf[:r])
	return err
}
