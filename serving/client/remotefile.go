package client

import (
	"context"
	"io"
)

// remoteFile is one rendition read through range GETs of ChunkSize, each
// measured into the bandwidth estimate. It keeps the spans it fetched
// (the last few, plus the start, where the headers are), so the decoder's
// small reads and a splice's header reads cost no extra requests.
type remoteFile struct {
	ctx     context.Context
	c       *Client
	url     string
	size    int64 // -1 until the first fetch
	spans   []span
	fetches int // range GETs made; the player switches rung only after one

	trackID, rung string      // what the fallback is asked for
	local         io.ReaderAt // the offline copy, once the network failed
}

type span struct {
	off  int64
	data []byte
}

// keptSpans bounds memory: the start of the file and the recent chunks.
const keptSpans = 4

func (c *Client) remoteFile(ctx context.Context, url, trackID, rung string) *remoteFile {
	f := &remoteFile{ctx: ctx, c: c, url: url, size: -1, trackID: trackID, rung: rung}
	if b := c.takePrefetched(url); len(b) > 0 {
		f.spans = append(f.spans, span{0, b})
	}
	return f
}

// ReadAt fills p from the spans, fetching a chunk at the first byte
// missing. The first fetch of a file's start is small (StartChunkSize),
// so playback starts sooner.
func (f *remoteFile) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		at := off + int64(n)
		if f.size >= 0 && at >= f.size {
			return n, io.EOF
		}
		if s, ok := f.find(at); ok {
			n += copy(p[n:], s.data[at-s.off:])
			continue
		}
		if f.local != nil {
			m, err := f.readLocal(p[n:], at, nil)
			return n + m, err
		}
		want := f.c.ChunkSize
		if at == 0 {
			want = min(want, StartChunkSize)
		}
		b, size, err := f.c.fetch(f.ctx, f.url, at, want)
		if err != nil {
			m, err := f.readLocal(p[n:], at, err)
			return n + m, err
		}
		f.size = size
		f.fetches++
		f.keep(span{at, b})
	}
	return n, nil
}

func (f *remoteFile) find(at int64) (span, bool) {
	for _, s := range f.spans {
		if at >= s.off && at < s.off+int64(len(s.data)) {
			return s, true
		}
	}
	return span{}, false
}

// keep adds s, dropping the oldest span that is not the file's start.
func (f *remoteFile) keep(s span) {
	f.spans = append(f.spans, s)
	if len(f.spans) <= keptSpans {
		return
	}
	for i, old := range f.spans {
		if old.off != 0 {
			f.spans = append(f.spans[:i], f.spans[i+1:]...)
			return
		}
	}
}

// Size is the object's size, fetching its first chunk if none was.
func (f *remoteFile) Size() (int64, error) {
	if f.size < 0 {
		var b [1]byte
		if _, err := f.ReadAt(b[:], 0); err != nil && err != io.EOF {
			return 0, err
		}
	}
	return f.size, nil
}

// readEnd is the end of the furthest span read, where the decoder is.
func (f *remoteFile) readEnd() int64 {
	var end int64
	for _, s := range f.spans {
		end = max(end, s.off+int64(len(s.data)))
	}
	return end
}

// seqReader reads a file front to back. It is not an io.Seeker on
// purpose: the decoder then does not fetch the file's tail to learn its
// length before the first sample.
type seqReader struct {
	f   io.ReaderAt
	off int64
}

func (r *seqReader) Read(p []byte) (int, error) {
	n, err := r.f.ReadAt(p, r.off)
	r.off += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

// splice is a rendition as its decoder sees it after a rung switch: the
// header pages, then the pages from a page boundary just before the switch
// point. The decoder's own seek then scans a few pages, not the file.
//
// Until the seek is done the splice ends early, after the first page past
// the switch point: the decoder reads the stream's end to learn its
// length, and on a slow link fetching the real tail would stall the
// switch. Every page the seek looks at is before that end.
type splice struct {
	f     *remoteFile
	head  int64 // header bytes, [0, head) of the file
	from  int64 // file offset of the first audio page kept
	until int64 // while seeking: file offset where the splice ends; 0 after
	off   int64 // read position in the splice
}

func (s *splice) size() int64 {
	if s.until > 0 {
		return s.head + s.until - s.from
	}
	return s.head + s.f.size - s.from
}

func (s *splice) Read(p []byte) (int, error) {
	if s.off >= s.size() {
		return 0, io.EOF
	}
	at := s.off
	if at < s.head {
		p = p[:min(int64(len(p)), s.head-at)]
	} else {
		at += s.from - s.head
	}
	n, err := s.f.ReadAt(p, at)
	s.off += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}

func (s *splice) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += s.off
	case io.SeekEnd:
		offset += s.size()
	}
	if offset < 0 {
		return s.off, io.ErrUnexpectedEOF
	}
	s.off = offset
	return offset, nil
}
