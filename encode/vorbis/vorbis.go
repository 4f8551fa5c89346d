// Package vorbis encodes PCM to Ogg Vorbis with libvorbisenc through cgo.
//
// Granule positions are exact: the last page carries the number of
// samples written, so a conforming decoder returns exactly that many
// (gapless playback).
//
// The comment header is written last: an Encoder streams the audio pages
// to its writer, and Finish returns the header pages built with comments
// known only at the end (ReplayGain values). The caller writes the headers
// and then the audio pages. Header pages are a fixed count, so the audio
// pages' sequence numbers stay valid.
package vorbis

/*
#cgo pkg-config: vorbisenc vorbis ogg
#include <stdlib.h>
#include <string.h>
#include <vorbis/vorbisenc.h>

typedef struct {
	vorbis_info vi;
	vorbis_comment vc;
	vorbis_dsp_state vd;
	vorbis_block vb;
	ogg_stream_state os;
	unsigned char *out;
	size_t len, cap;
	int started, eos;
} venc;

static int venc_append(venc *e, const unsigned char *p, long n) {
	if (e->len + n > e->cap) {
		size_t c = e->cap ? e->cap : 65536;
		while (c < e->len + n) c *= 2;
		unsigned char *q = realloc(e->out, c);
		if (!q) return -1;
		e->out = q; e->cap = c;
	}
	memcpy(e->out + e->len, p, n);
	e->len += n;
	return 0;
}

static int venc_page(venc *e, ogg_page *og) {
	if (venc_append(e, og->header, og->header_len)) return -1;
	return venc_append(e, og->body, og->body_len);
}

// mode 0: quality VBR (q); 1: nominal-bitrate VBR (management off);
// 2: managed ABR (average only).
static int venc_init(venc *e, int ch, long rate, int mode, long bitrate, float q) {
	memset(e, 0, sizeof *e);
	vorbis_info_init(&e->vi);
	vorbis_comment_init(&e->vc);
	int r;
	switch (mode) {
	case 0:
		r = vorbis_encode_init_vbr(&e->vi, ch, rate, q);
		break;
	case 1:
		r = vorbis_encode_setup_managed(&e->vi, ch, rate, -1, bitrate, -1);
		if (!r) r = vorbis_encode_ctl(&e->vi, OV_ECTL_RATEMANAGE2_SET, NULL);
		if (!r) r = vorbis_encode_setup_init(&e->vi);
		break;
	default:
		r = vorbis_encode_init(&e->vi, ch, rate, -1, bitrate, -1);
	}
	return r;
}

static int venc_start(venc *e, int serial) {
	ogg_packet h, hc, hcode;
	ogg_page og;
	if (vorbis_analysis_init(&e->vd, &e->vi)) return -1;
	vorbis_block_init(&e->vd, &e->vb);
	ogg_stream_init(&e->os, serial);
	vorbis_analysis_headerout(&e->vd, &e->vc, &h, &hc, &hcode);
	ogg_stream_packetin(&e->os, &h);
	ogg_stream_packetin(&e->os, &hc);
	ogg_stream_packetin(&e->os, &hcode);
	int pages = 0;
	while (ogg_stream_flush(&e->os, &og)) pages++;
	e->started = 1;
	return pages;
}

// venc_headers appends header pages carrying the current comments, built
// on a separate stream with the same serial; returns the page count.
static int venc_headers(venc *e, int serial) {
	ogg_packet h, hc, hcode;
	ogg_page og;
	ogg_stream_state os;
	ogg_stream_init(&os, serial);
	vorbis_analysis_headerout(&e->vd, &e->vc, &h, &hc, &hcode);
	ogg_stream_packetin(&os, &h);
	ogg_stream_packetin(&os, &hc);
	ogg_stream_packetin(&os, &hcode);
	int pages = 0;
	while (ogg_stream_flush(&os, &og)) {
		if (venc_page(e, &og)) { ogg_stream_clear(&os); return -1; }
		pages++;
	}
	ogg_stream_clear(&os);
	return pages;
}

static int venc_drain(venc *e) {
	ogg_packet op;
	ogg_page og;
	while (vorbis_analysis_blockout(&e->vd, &e->vb) == 1) {
		vorbis_analysis(&e->vb, NULL);
		vorbis_bitrate_addblock(&e->vb);
		while (vorbis_bitrate_flushpacket(&e->vd, &op)) {
			ogg_stream_packetin(&e->os, &op);
			while (!e->eos && ogg_stream_pageout(&e->os, &og)) {
				if (venc_page(e, &og)) return -1;
				if (ogg_page_eos(&og)) e->eos = 1;
			}
		}
	}
	return 0;
}

// venc_write takes interleaved float frames; frames == 0 ends the stream.
static int venc_write(venc *e, const float *pcm, int frames, int ch) {
	if (frames == 0) {
		vorbis_analysis_wrote(&e->vd, 0);
		return venc_drain(e);
	}
	float **buf = vorbis_analysis_buffer(&e->vd, frames);
	for (int c = 0; c < ch; c++) {
		float *d = buf[c];
		const float *s = pcm + c;
		for (int i = 0; i < frames; i++) d[i] = s[i * ch];
	}
	vorbis_analysis_wrote(&e->vd, frames);
	return venc_drain(e);
}

static void venc_free(venc *e) {
	if (e->started) {
		ogg_stream_clear(&e->os);
		vorbis_block_clear(&e->vb);
		vorbis_dsp_clear(&e->vd);
	}
	vorbis_comment_clear(&e->vc);
	vorbis_info_clear(&e->vi);
	free(e->out);
	e->out = NULL;
}
*/
import "C"

import (
	"fmt"
	"io"
	"unsafe"

	music "github.com/openmusic/music"
)

// Mode selects libvorbisenc's bitrate strategy.
type Mode int

const (
	// Quality is VBR at Options.Quality (-0.1 … 1.0), as `oggenc -q`.
	Quality Mode = iota
	// Nominal is VBR at the quality libvorbisenc maps the nominal bitrate
	// to, with the bitrate manager off (as `oggenc -b` without --managed).
	Nominal
	// Managed is average-bitrate management (`oggenc --managed -b`):
	// accurate, several times slower.
	Managed
)

// Options configures an Encoder.
type Options struct {
	Rate, Channels int
	Mode           Mode
	Bitrate        int     // bits per second, for Nominal and Managed
	Quality        float32 // for Quality
	Serial         int32   // Ogg stream serial number
}

// Encoder writes one Ogg Vorbis stream's audio pages to an io.Writer. It
// is not safe for concurrent use; run one per goroutine.
type Encoder struct {
	e           *C.venc
	w           io.Writer
	ch          int
	serial      int32
	headerPages int
	frames      int64
	closed      bool
}

// New sets up an encoder and writes the three Vorbis header packets.
func New(w io.Writer, o Options) (*Encoder, error) {
	if o.Channels < 1 || o.Channels > 8 || o.Rate < 8000 {
		return nil, music.Errorf(music.EINVALID, "vorbis: %d channels at %d Hz", o.Channels, o.Rate)
	}
	e := (*C.venc)(C.calloc(1, C.size_t(unsafe.Sizeof(C.venc{}))))
	if r := C.venc_init(e, C.int(o.Channels), C.long(o.Rate), C.int(o.Mode), C.long(o.Bitrate), C.float(o.Quality)); r != 0 {
		C.venc_free(e)
		C.free(unsafe.Pointer(e))
		return nil, music.Errorf(music.EUNSUPPORTED, "vorbis: libvorbisenc refuses %d kbps at %d Hz, %d channels (mode %d, error %d)", o.Bitrate/1000, o.Rate, o.Channels, o.Mode, int(r))
	}
	enc := &Encoder{e: e, w: w, ch: o.Channels, serial: o.Serial}
	pages := C.venc_start(e, C.int(o.Serial))
	if pages <= 0 {
		enc.free()
		return nil, fmt.Errorf("vorbis: start failed")
	}
	enc.headerPages = int(pages)
	return enc, nil
}

// Write encodes interleaved float32 frames in [-1, 1].
func (e *Encoder) Write(pcm []float32) error {
	if e.closed {
		return fmt.Errorf("vorbis: write after close")
	}
	frames := len(pcm) / e.ch
	for frames > 0 {
		n := min(frames, 8192) // bound libvorbis' internal buffer growth
		if C.venc_write(e.e, (*C.float)(unsafe.Pointer(&pcm[0])), C.int(n), C.int(e.ch)) != 0 {
			return fmt.Errorf("vorbis: out of memory")
		}
		e.frames += int64(n)
		pcm = pcm[n*e.ch:]
		frames -= n
		if err := e.flush(); err != nil {
			return err
		}
	}
	return nil
}

// Frames is the number of frames written so far.
func (e *Encoder) Frames() int64 { return e.frames }

// Finish ends the stream (last page granule = frames written), writes
// the remaining audio pages, frees libvorbis state and returns the header
// pages with the given "KEY=value" comments, to be written before the
// audio pages.
func (e *Encoder) Finish(comments []string) ([]byte, error) {
	if e.closed {
		return nil, fmt.Errorf("vorbis: finish after close")
	}
	defer e.free()
	if C.venc_write(e.e, nil, 0, C.int(e.ch)) != 0 {
		return nil, fmt.Errorf("vorbis: out of memory")
	}
	if err := e.flush(); err != nil {
		return nil, err
	}
	for _, kv := range comments {
		cs := C.CString(kv)
		C.vorbis_comment_add(&e.e.vc, cs)
		C.free(unsafe.Pointer(cs))
	}
	pages := int(C.venc_headers(e.e, C.int(e.serial)))
	if pages != e.headerPages {
		return nil, music.Errorf(music.EINVALID, "vorbis: comments too large (%d header pages instead of %d)", pages, e.headerPages)
	}
	h := C.GoBytes(unsafe.Pointer(e.e.out), C.int(e.e.len))
	e.e.len = 0
	return h, nil
}

// Abort frees the encoder without finishing the stream.
func (e *Encoder) Abort() {
	if !e.closed {
		e.free()
	}
}

func (e *Encoder) free() {
	e.closed = true
	C.venc_free(e.e)
	C.free(unsafe.Pointer(e.e))
	e.e = nil
}

func (e *Encoder) flush() error {
	if e.e.len == 0 {
		return nil
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(e.e.out)), int(e.e.len))
	_, err := e.w.Write(b)
	e.e.len = 0
	return err
}
