package serving

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// readSeeker is what http.ServeContent reads from.
type readSeeker = io.ReadSeeker

// byteRange is one satisfiable range of an object: length bytes at start.
type byteRange struct{ start, length int64 }

// rangeSeeker presents a remote blob as an io.ReadSeeker for
// http.ServeContent. It opens the store lazily at the current offset and
// asks for exactly the client's range when the offset starts one, so each
// HTTP range becomes one ranged GET to the store (range pass-through)
// rather than a read of the whole object.
type rangeSeeker struct {
	ctx   context.Context // the request's; ends the store read with it
	blobs music.BlobStore
	key   string
	size  int64
	want  []byteRange // the client's ranges, as hints for request sizes
	off   int64
	body  io.ReadCloser
}

func (s *rangeSeeker) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += s.off
	case io.SeekEnd:
		offset += s.size
	}
	if offset < 0 {
		return 0, errors.New("seek before start")
	}
	if offset != s.off {
		s.Close()
		s.off = offset
	}
	return offset, nil
}

func (s *rangeSeeker) Read(p []byte) (int, error) {
	for {
		if s.off >= s.size {
			return 0, io.EOF
		}
		if s.body == nil {
			rc, _, err := s.blobs.GetRange(s.ctx, s.key, s.off, s.lengthAt(s.off))
			if err != nil {
				return 0, err
			}
			s.body = rc
		}
		n, err := s.body.Read(p)
		s.off += int64(n)
		if errors.Is(err, io.EOF) {
			// The hinted range ended; the caller may want more (a failed
			// If-Range turns a range request into a whole-object answer).
			s.Close()
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// lengthAt is how much to ask the store for from off: the client's range
// that starts there, or the rest of the object.
func (s *rangeSeeker) lengthAt(off int64) int64 {
	for _, r := range s.want {
		if r.start == off {
			return r.length
		}
	}
	return -1
}

// Close releases the open store read, if any.
func (s *rangeSeeker) Close() error {
	if s.body == nil {
		return nil
	}
	err := s.body.Close()
	s.body = nil
	return err
}

// requestedRanges parses a Range header ("bytes=0-99,200-,-50") against an
// object of size bytes and returns its satisfiable ranges. Anything it
// cannot parse yields nil; http.ServeContent then gives the real answer
// (416 or the whole object), so this is only a sizing hint.
func requestedRanges(h string, size int64) []byteRange {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return nil
	}
	var out []byteRange
	for _, part := range strings.Split(spec, ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil
		}
		var r byteRange
		if a == "" { // suffix: the last b bytes
			n, err := strconv.ParseInt(b, 10, 64)
			if err != nil || n <= 0 {
				return nil
			}
			n = min(n, size)
			r = byteRange{size - n, n}
		} else {
			start, err := strconv.ParseInt(a, 10, 64)
			if err != nil || start < 0 || start >= size {
				continue
			}
			end := size - 1
			if b != "" {
				e, err := strconv.ParseInt(b, 10, 64)
				if err != nil || e < start {
					return nil
				}
				end = min(e, size-1)
			}
			r = byteRange{start, end - start + 1}
		}
		out = append(out, r)
	}
	return out
}
