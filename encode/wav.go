package encode

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"unsafe"

	music "github.com/openmusic/music"
)

// wavDecoder parses RIFF/WAVE itself: go-audio/wav v1.1.0 does not convert
// IEEE float samples, and streaming the data chunk is all we need.
type wavDecoder struct {
	f       *os.File
	r       *bufio.Reader
	path    string
	format  Format
	float   bool
	bytesPS int   // bytes per sample
	remain  int64 // data bytes left; -1 when the size is unknown (read to EOF)
	pos     int64 // frames delivered
	raw     []byte
}

const (
	wavePCM        = 1
	waveFloat      = 3
	waveExtensible = 0xFFFE
)

func newWAV(f *os.File, path string) (*wavDecoder, error) {
	d := &wavDecoder{f: f, r: bufio.NewReaderSize(f, 64<<10), path: path}
	bad := func(format string, args ...any) error {
		return music.Errorf(music.EINVALID, "%s: WAV: "+format, append([]any{path}, args...)...)
	}
	var hdr [12]byte
	if _, err := io.ReadFull(d.r, hdr[:]); err != nil {
		return nil, bad("short RIFF header")
	}
	haveFmt := false
	var fileSize int64 = -1
	if st, err := f.Stat(); err == nil {
		fileSize = st.Size()
	}
	offset := int64(12)
	for {
		var ch [8]byte
		if _, err := io.ReadFull(d.r, ch[:]); err != nil {
			return nil, bad("no data chunk")
		}
		offset += 8
		id := string(ch[0:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if size < 16 || size > 1<<16 {
				return nil, bad("fmt chunk size %d", size)
			}
			b := make([]byte, size+size&1)
			if _, err := io.ReadFull(d.r, b); err != nil {
				return nil, bad("short fmt chunk")
			}
			if err := d.parseFmt(b[:size]); err != nil {
				return nil, bad("%v", err)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, bad("data chunk before fmt chunk")
			}
			d.remain = size
			// Streaming writers put 0 or 0xFFFFFFFF here: read to EOF.
			if size == 0xFFFFFFFF || size == 0 && fileSize > offset {
				d.remain = -1
			}
			if d.remain >= 0 && fileSize >= 0 && offset+d.remain > fileSize {
				return nil, bad("data chunk declares %d bytes but the file holds only %d after the header (truncated or lying size)", d.remain, fileSize-offset)
			}
			block := int64(d.bytesPS * d.format.Channels)
			d.format.Frames = -1
			if d.remain >= 0 {
				d.format.Frames = d.remain / block
			}
			return d, nil
		default:
			if _, err := d.r.Discard(int(size + size&1)); err != nil {
				return nil, bad("truncated %q chunk", id)
			}
		}
		offset += size + size&1
	}
}

func (d *wavDecoder) parseFmt(b []byte) error {
	tag := binary.LittleEndian.Uint16(b[0:2])
	ch := int(binary.LittleEndian.Uint16(b[2:4]))
	rate := int(binary.LittleEndian.Uint32(b[4:8]))
	bits := int(binary.LittleEndian.Uint16(b[14:16]))
	if tag == waveExtensible {
		if len(b) < 40 {
			return errors.New("extensible fmt chunk too short")
		}
		tag = binary.LittleEndian.Uint16(b[24:26]) // SubFormat GUID's first two bytes
	}
	switch {
	case ch < 1 || ch > maxChannels:
		return fmt.Errorf("%d channels", ch)
	case rate < 1000 || rate > 768000:
		return fmt.Errorf("sample rate %d", rate)
	case tag == wavePCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32):
	case tag == waveFloat && (bits == 32 || bits == 64):
		d.float = true
	default:
		return music.Errorf(music.EUNSUPPORTED, "format tag %d with %d bits per sample", tag, bits)
	}
	d.bytesPS = bits / 8
	d.format = Format{Codec: "wav", SampleRate: rate, Channels: ch, BitsPerSample: bits}
	return nil
}

func (d *wavDecoder) Format() Format { return d.format }

func (d *wavDecoder) Read(dst []float32) (int, error) {
	raw, err := d.readRaw(len(dst)/d.format.Channels, nil)
	if err != nil {
		return 0, err
	}
	ns := len(raw) / d.bytesPS
	d.convert(dst[:ns], raw)
	return ns, nil
}

// ReadInt16 is Read for 16-bit integer PCM, delivering the samples as
// stored (see Int16Reader). On a little-endian host the file's bytes are
// read straight into dst.
func (d *wavDecoder) ReadInt16(dst []int16) (int, error) {
	frames := len(dst) / d.format.Channels
	var into []byte
	if littleEndianHost && len(dst) > 0 {
		into = unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), 2*len(dst))
	}
	raw, err := d.readRaw(frames, into)
	if err != nil {
		return 0, err
	}
	ns := len(raw) / 2
	if !littleEndianHost {
		for i := range dst[:ns] {
			dst[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
		}
	}
	return ns, nil
}

// littleEndianHost is whether int16s in memory have WAV's byte order.
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// readRaw reads up to frames whole frames of the data chunk into into,
// or into the decoder's own buffer when into is nil.
func (d *wavDecoder) readRaw(frames int, into []byte) ([]byte, error) {
	block := d.bytesPS * d.format.Channels
	want := int64(frames * block)
	if d.remain >= 0 && want > d.remain {
		want = d.remain - d.remain%int64(block)
	}
	if want == 0 {
		if d.remain > 0 {
			return nil, invalid(d.path, d.pos, fmt.Errorf("%d trailing bytes are not a whole frame", d.remain))
		}
		return nil, io.EOF
	}
	if into == nil {
		if cap(d.raw) < int(want) {
			d.raw = make([]byte, want)
		}
		into = d.raw
	}
	raw := into[:want]
	n, err := io.ReadFull(d.r, raw)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		if d.remain >= 0 {
			return nil, invalid(d.path, d.pos, fmt.Errorf("data ends %d bytes early", d.remain-int64(n)))
		}
		if n%block != 0 {
			return nil, invalid(d.path, d.pos, fmt.Errorf("%d trailing bytes are not a whole frame", n%block))
		}
		if n == 0 {
			return nil, io.EOF
		}
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.path, err)
	}
	if d.remain >= 0 {
		d.remain -= int64(n)
	}
	d.pos += int64(n / block)
	return raw[:n], nil
}

// convert maps little-endian samples to float32 in [-1, 1).
func (d *wavDecoder) convert(dst []float32, raw []byte) {
	switch {
	case d.float && d.bytesPS == 4:
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	case d.float:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:])))
		}
	case d.bytesPS == 1:
		for i := range dst {
			dst[i] = float32(int(raw[i])-128) / 128
		}
	case d.bytesPS == 2:
		for i := range dst {
			dst[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / (1 << 15)
		}
	case d.bytesPS == 3:
		for i := range dst {
			b := raw[3*i:]
			v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
			dst[i] = float32(v) / (1 << 23)
		}
	default:
		for i := range dst {
			dst[i] = float32(float64(int32(binary.LittleEndian.Uint32(raw[4*i:]))) / (1 << 31))
		}
	}
}

func (d *wavDecoder) Close() error { return d.f.Close() }
