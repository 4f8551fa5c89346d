package fingerprint

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	music "github.com/openmusic/music"
)

// IndexFile is the name of the index's file inside its data directory.
const IndexFile = "fingerprint.idx"

// The index file is an append-only log of records, each
//
//	length uint32 LE | crc32c(payload) uint32 LE | payload
//
// with payload op byte, uvarint id length, id, and for an add the 32-byte
// PCM hash, a uvarint item count and the items as uint32 LE. A record is fsynced
// before Add or Remove returns, so an acknowledged change survives a
// crash; a torn record at the tail (a crash mid-write) fails its length or
// checksum and is cut off when the file is next opened.
const (
	opAdd    = 1
	opRemove = 2
	recHead  = 8
	// maxRecord bounds one record (an 8-hour fingerprint is 1 MB).
	maxRecord = 16 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// logRecord is one decoded record; itemsAt is the file offset of the
// items of an add.
type logRecord struct {
	op      byte
	id      string
	hash    [32]byte
	items   []uint32
	itemsAt int64
}

// encodeRecord builds the bytes of one record and the offset of its items
// within them.
func encodeRecord(op byte, id string, hash [32]byte, items []uint32) ([]byte, int) {
	p := make([]byte, recHead, recHead+1+binary.MaxVarintLen64*2+len(id)+32+4*len(items))
	p = append(p, op)
	p = binary.AppendUvarint(p, uint64(len(id)))
	p = append(p, id...)
	itemsAt := 0
	if op == opAdd {
		p = append(p, hash[:]...)
		p = binary.AppendUvarint(p, uint64(len(items)))
		itemsAt = len(p)
		for _, v := range items {
			p = binary.LittleEndian.AppendUint32(p, v)
		}
	}
	binary.LittleEndian.PutUint32(p[0:], uint32(len(p)-recHead))
	binary.LittleEndian.PutUint32(p[4:], crc32.Checksum(p[recHead:], castagnoli))
	return p, itemsAt
}

// decodePayload parses a record payload read at file offset base.
func decodePayload(p []byte, base int64) (logRecord, error) {
	var r logRecord
	if len(p) < 1 {
		return r, errors.New("empty record")
	}
	r.op = p[0]
	n, k := binary.Uvarint(p[1:])
	if k <= 0 || n > uint64(len(p)) {
		return r, errors.New("bad id length")
	}
	at := 1 + k
	if at+int(n) > len(p) {
		return r, errors.New("id runs past the record")
	}
	r.id = string(p[at : at+int(n)])
	at += int(n)
	switch r.op {
	case opRemove:
		return r, nil
	case opAdd:
		if at+32 > len(p) {
			return r, errors.New("hash runs past the record")
		}
		copy(r.hash[:], p[at:])
		at += 32
		c, k := binary.Uvarint(p[at:])
		if k <= 0 || c*4 != uint64(len(p)-at-k) {
			return r, errors.New("bad item count")
		}
		at += k
		r.itemsAt = base + int64(at)
		r.items = make([]uint32, c)
		for i := range r.items {
			r.items[i] = binary.LittleEndian.Uint32(p[at+4*i:])
		}
		return r, nil
	default:
		return r, fmt.Errorf("unknown op %d", r.op)
	}
}

// replayLog reads every intact record of f in order, calls fn for each,
// and returns the length of the intact prefix.
func replayLog(f *os.File, fn func(logRecord) error) (int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	var off int64
	var head [recHead]byte
	buf := make([]byte, 0, 1<<16)
	for {
		if _, err := io.ReadFull(br, head[:]); err != nil {
			return off, nil // clean end or torn header
		}
		n := binary.LittleEndian.Uint32(head[0:])
		if n == 0 || n > maxRecord {
			return off, nil
		}
		buf = append(buf[:0], make([]byte, n)...)
		if _, err := io.ReadFull(br, buf); err != nil {
			return off, nil
		}
		if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(head[4:]) {
			return off, nil
		}
		rec, err := decodePayload(buf, off+recHead)
		if err != nil {
			return off, music.Errorf(music.EINVALID, "%s: record at byte %d: %v", f.Name(), off, err)
		}
		if err := fn(rec); err != nil {
			return off, err
		}
		off += recHead + int64(n)
	}
}

func indexPath(dir string) string { return filepath.Join(dir, IndexFile) }
