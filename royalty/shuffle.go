package royalty

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unsafe"
)

// rec is one authenticated report inside the month window, reduced to what
// the rules need. 32 bytes.
type rec struct {
	sess  uint64 // FNV-1a 64 of session_id
	user  uint32 // interned user id
	track uint32 // interned track id
	t     uint32 // ms since the window start (month start − dedup window)
	dur   uint32 // duration listened, ms (clamped)
	terr  uint16 // interned territory
	flags uint16
}

const (
	flagCompleted = 1 << iota
	flagFresh     // played within Rules.FreshAccount of account creation
)

const recSize = int(unsafe.Sizeof(rec{}))

// shuffle holds one scan worker's records routed by user bucket. Each
// bucket buffer may hold budget/buckets bytes; a full buffer is appended
// to that bucket's spill file in dir, so memory stays bounded whatever the
// month's size (buffers never grow past their share). Spill files are raw records: they live only for one run, on one
// machine (at scale the same step writes bucket segments to the blob store).
type shuffle struct {
	dir     string
	worker  int
	bufs    [][]rec
	files   []*os.File
	chunk   int // records per bucket buffer
	spilled int64
}

func newShuffle(dir string, worker, buckets, budgetBytes int) *shuffle {
	return &shuffle{dir: dir, worker: worker, bufs: make([][]rec, buckets), files: make([]*os.File, buckets), chunk: max(budgetBytes/recSize/buckets, 16)}
}

func (s *shuffle) add(b int, r rec) error {
	buf := s.bufs[b]
	if len(buf) == cap(buf) {
		if len(buf) >= s.chunk {
			if err := s.spill(b); err != nil {
				return err
			}
			buf = s.bufs[b]
		} else {
			nb := make([]rec, len(buf), min(max(2*cap(buf), 64), s.chunk))
			copy(nb, buf)
			buf = nb
		}
	}
	s.bufs[b] = append(buf, r)
	return nil
}

// spill appends bucket b's buffer to its file and empties it.
func (s *shuffle) spill(b int) error {
	buf := s.bufs[b]
	if s.files[b] == nil {
		f, err := os.Create(filepath.Join(s.dir, fmt.Sprintf("w%d-b%05d.rec", s.worker, b)))
		if err != nil {
			return fmt.Errorf("royalty shuffle: %w", err)
		}
		s.files[b] = f
	}
	if _, err := s.files[b].Write(recBytes(buf)); err != nil {
		return fmt.Errorf("royalty shuffle: spill bucket %d: %w", b, err)
	}
	s.spilled += int64(len(buf))
	s.bufs[b] = buf[:0]
	return nil
}

// appendBucket appends bucket b's records (spilled, then in memory) to dst.
func (s *shuffle) appendBucket(dst []rec, b int) ([]rec, error) {
	if f := s.files[b]; f != nil {
		st, err := f.Stat()
		if err != nil {
			return dst, fmt.Errorf("royalty shuffle: %w", err)
		}
		n := int(st.Size()) / recSize
		start := len(dst)
		dst = growRecs(dst, n)
		if _, err := f.ReadAt(recBytes(dst[start:]), 0); err != nil && err != io.EOF {
			return dst, fmt.Errorf("royalty shuffle: read bucket %d: %w", b, err)
		}
	}
	return append(dst, s.bufs[b]...), nil
}

// release drops bucket b's memory and spill file once it is processed.
func (s *shuffle) release(b int) {
	s.bufs[b] = nil
	if f := s.files[b]; f != nil {
		f.Close()
		os.Remove(f.Name())
		s.files[b] = nil
	}
}

func (s *shuffle) close() {
	for b := range s.bufs {
		s.release(b)
	}
}

func growRecs(dst []rec, n int) []rec {
	if cap(dst)-len(dst) < n {
		nd := make([]rec, len(dst), len(dst)+n+len(dst)/4)
		copy(nd, dst)
		dst = nd
	}
	return dst[:len(dst)+n]
}

func recBytes(r []rec) []byte {
	if len(r) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&r[0])), len(r)*recSize)
}
