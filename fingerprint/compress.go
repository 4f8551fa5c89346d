package fingerprint

import (
	"encoding/base64"
	"math/bits"

	music "github.com/openmusic/music"
)

// Encode returns the compressed, URL-safe base64 form of a raw fingerprint
// (what fpcalc prints and AcoustID accepts). algorithm is Algorithm for
// fingerprints from this package.
func Encode(items []uint32, algorithm int) string {
	return base64.RawURLEncoding.EncodeToString(Compress(items, algorithm))
}

// Compress returns the binary compressed form: a header (algorithm byte,
// 24-bit big-endian item count), then the XOR deltas of consecutive items
// as 3-bit gaps between set bits with a 0 after each item, then 5-bit
// overflow values for gaps of 7 or more. Both streams are packed LSB first.
func Compress(items []uint32, algorithm int) []byte {
	n := len(items)
	normal := make([]byte, 0, n*8)
	var exc []byte
	prev := uint32(0)
	for _, it := range items {
		x := it ^ prev
		prev = it
		last := 0
		for x != 0 {
			b := bits.TrailingZeros32(x) + 1
			gap := b - last
			if gap >= 7 {
				normal = append(normal, 7)
				exc = append(exc, byte(gap-7))
			} else {
				normal = append(normal, byte(gap))
			}
			last = b
			x &= x - 1
		}
		normal = append(normal, 0)
	}
	out := make([]byte, 4, 4+(len(normal)*3+7)/8+(len(exc)*5+7)/8)
	out[0] = byte(algorithm)
	out[1], out[2], out[3] = byte(n>>16), byte(n>>8), byte(n)
	out = packBits(out, normal, 3)
	return packBits(out, exc, 5)
}

// packBits appends width-bit values packed LSB first.
func packBits(dst, vals []byte, width uint) []byte {
	var acc uint32
	var nbits uint
	for _, v := range vals {
		acc |= uint32(v) << nbits
		nbits += width
		for nbits >= 8 {
			dst = append(dst, byte(acc))
			acc >>= 8
			nbits -= 8
		}
	}
	if nbits > 0 {
		dst = append(dst, byte(acc))
	}
	return dst
}

// maxItems bounds what Decompress accepts from the 24-bit count: more than
// about nine hours of audio is not a fingerprint.
const maxItems = 1 << 18

// Decode parses a compressed base64 fingerprint. Malformed input gives an
// EINVALID error that says what is wrong; it never panics.
func Decode(s string) (items []uint32, algorithm int, err error) {
	if s == "" {
		return nil, 0, music.Errorf(music.EINVALID, "fingerprint: empty fingerprint string")
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, 0, music.Errorf(music.EINVALID, "fingerprint: not URL-safe base64: %v", err)
	}
	return Decompress(raw)
}

// Decompress parses the binary compressed form (see Compress).
func Decompress(b []byte) (items []uint32, algorithm int, err error) {
	if len(b) < 4 {
		return nil, 0, music.Errorf(music.EINVALID, "fingerprint: %d bytes is shorter than the 4-byte header", len(b))
	}
	algorithm = int(b[0])
	n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	if n > maxItems {
		return nil, 0, music.Errorf(music.EINVALID, "fingerprint: header claims %d items, more than the limit %d", n, maxItems)
	}
	body := b[4:]
	// Read 3-bit values until n zeros (item ends) are seen.
	normal := make([]byte, 0, n*6)
	found, exceptions := 0, 0
	for i := 0; found < n; i++ {
		bit := i * 3
		if bit+3 > len(body)*8 {
			return nil, 0, music.Errorf(music.EINVALID, "fingerprint: truncated: %d of %d items present", found, n)
		}
		v := byte(readBits(body, bit, 3))
		normal = append(normal, v)
		switch v {
		case 0:
			found++
		case 7:
			exceptions++
		}
	}
	off := (len(normal)*3 + 7) / 8
	excBytes := (exceptions*5 + 7) / 8
	if len(body) < off+excBytes {
		return nil, 0, music.Errorf(music.EINVALID, "fingerprint: truncated: missing %d exception bytes", off+excBytes-len(body))
	}
	exc := body[off:]
	items = make([]uint32, n)
	var value, prev uint32
	last, j, k := 0, 0, 0
	for _, v := range normal {
		if v == 0 {
			items[j] = value ^ prev
			prev = items[j]
			value, last = 0, 0
			j++
			continue
		}
		gap := int(v)
		if v == 7 {
			gap += int(readBits(exc, k*5, 5))
			k++
		}
		last += gap
		if last > 32 {
			return nil, 0, music.Errorf(music.EINVALID, "fingerprint: corrupt: bit %d of item %d is out of range", last, j)
		}
		value |= 1 << (last - 1)
	}
	return items, algorithm, nil
}

// readBits reads width bits at bit offset off, LSB first.
func readBits(b []byte, off int, width int) uint32 {
	var v uint32
	for i := 0; i < width; i++ {
		p := off + i
		if b[p/8]>>(p%8)&1 != 0 {
			v |= 1 << i
		}
	}
	return v
}

// SimHash folds a fingerprint into one 32-bit value: bit j is set when
// more than half of the items have bit j set. Similar audio gives hashes
// a few bits apart.
func SimHash(items []uint32) uint32 {
	var v [32]int
	for _, it := range items {
		for j := 0; j < 32; j++ {
			if it>>j&1 != 0 {
				v[j]++
			} else {
				v[j]--
			}
		}
	}
	var h uint32
	for j := 0; j < 32; j++ {
		if v[j] > 0 {
			h |= 1 << j
		}
	}
	return h
}
