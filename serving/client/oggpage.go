package client

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The few facts of the Ogg framing (RFC 3533) the player needs to splice
// a rendition at a page boundary: where pages start, their granule
// position, and where the three Vorbis header packets end.

const (
	oggHeaderLen  = 27
	oggMaxPageLen = oggHeaderLen + 255 + 255*255
)

// oggPage is one page's header facts.
type oggPage struct {
	Granule int64 // -1: no packet ends on this page
	Len     int   // header, segment table and body
	Ended   int   // packets that end on this page
}

// oggCRC is the Ogg checksum table: CRC-32, polynomial 0x04c11db7, MSB
// first, initial value 0, no final XOR.
var oggCRC = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

var errNotPage = errors.New("ogg: not a page")

// readPage reads the page at off of r. With verify, the whole page is read
// and its checksum checked, so a capture pattern inside audio data is not
// mistaken for a page.
func readPage(r io.ReaderAt, off int64, verify bool) (oggPage, error) {
	var h [oggHeaderLen + 255]byte
	n, err := r.ReadAt(h[:], off)
	if n < oggHeaderLen {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return oggPage{}, err
	}
	if string(h[:4]) != "OggS" || h[4] != 0 {
		return oggPage{}, errNotPage
	}
	segs := int(h[26])
	if n < oggHeaderLen+segs {
		return oggPage{}, io.ErrUnexpectedEOF
	}
	p := oggPage{Granule: int64(binary.LittleEndian.Uint64(h[6:14])), Len: oggHeaderLen + segs}
	for _, s := range h[oggHeaderLen : oggHeaderLen+segs] {
		p.Len += int(s)
		if s < 255 {
			p.Ended++
		}
	}
	if !verify {
		return p, nil
	}
	page := make([]byte, p.Len)
	if _, err := r.ReadAt(page, off); err != nil && !(err == io.EOF && len(page) == p.Len) {
		return oggPage{}, err
	}
	want := binary.LittleEndian.Uint32(page[22:26])
	clear(page[22:26])
	var crc uint32
	for _, b := range page {
		crc = crc<<8 ^ oggCRC[byte(crc>>24)^b]
	}
	if crc != want {
		return oggPage{}, errNotPage
	}
	return p, nil
}

// vorbisHeaders reads the start of a Vorbis rendition: the byte offset
// where its three header packets end (audio pages follow) and the stream's
// sample rate and channels from the identification header.
func vorbisHeaders(r io.ReaderAt) (end int64, rate, channels int, err error) {
	var id [oggHeaderLen + 1 + 16]byte
	if _, err := r.ReadAt(id[:oggHeaderLen], 0); err != nil {
		return 0, 0, 0, err
	}
	first := int64(oggHeaderLen + int(id[26]))
	if _, err := r.ReadAt(id[:16], first); err != nil {
		return 0, 0, 0, err
	}
	if id[0] != 1 || string(id[1:7]) != "vorbis" {
		return 0, 0, 0, fmt.Errorf("ogg: first packet is not a Vorbis identification header")
	}
	channels, rate = int(id[11]), int(binary.LittleEndian.Uint32(id[12:16]))
	packets := 0
	for off := int64(0); packets < 3; {
		p, err := readPage(r, off, true)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("ogg: reading the Vorbis headers at byte %d: %w", off, err)
		}
		off += int64(p.Len)
		packets += p.Ended
		end = off
	}
	return end, rate, channels, nil
}
