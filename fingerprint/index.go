package fingerprint

import (
	"context"
	"encoding/binary"
	"fmt"
	"github.com/openmusic/music/internal/durable"
	"os"
	"sort"
	"sync"

	music "github.com/openmusic/music"
)

// Index is an inverted index from sampled sub-fingerprint values to
// tracks, for finding duplicates at ingest and identifying clips. It lives
// in one append-only file under its directory; the fingerprints stay in
// that file and are read back only to verify candidates, so memory holds
// just the postings (8 bytes per indexed item, half of the distinct
// items of a track) and a small entry per track.
//
// An Index is safe for concurrent use.
type Index struct {
	mu     sync.RWMutex
	dir    string
	f      *os.File
	size   int64 // end of the intact log
	tracks []trackEntry
	slotOf map[string]uint32
	hashOf map[[32]byte]uint32
	post   postings
	dead   int // removed or replaced slots still in postings
}

// trackEntry is the in-memory record of one indexed track.
type trackEntry struct {
	id      string
	itemsAt int64
	n       int32
	alive   bool
	hash    [32]byte
}

// Entry is what the index stores about a track.
type Entry struct {
	Items []uint32 // raw fingerprint (whole track, or fpcalc's 120 s)
	// PCMHash is Result.PCMHash, for exact-duplicate detection; zero if
	// unknown.
	PCMHash [32]byte
}

// OpenIndex opens (or creates) the index in dir. A torn record left by a
// crash at the end of the file is cut off.
func OpenIndex(ctx context.Context, dir string) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("fingerprint index: %w", err)
	}
	f, err := os.OpenFile(indexPath(dir), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("fingerprint index: %w", err)
	}
	ix := &Index{dir: dir, f: f, slotOf: map[string]uint32{}, hashOf: map[[32]byte]uint32{}}
	var entries []uint64
	n, err := replayLog(f, func(r logRecord) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries = ix.apply(r, entries)
		return nil
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	ix.post.bulk(entries)
	if st, err := f.Stat(); err == nil && st.Size() > n {
		// Cut a torn tail so new records follow intact ones.
		if err := f.Truncate(n); err != nil {
			f.Close()
			return nil, fmt.Errorf("fingerprint index: cut torn tail: %w", err)
		}
	}
	ix.size = n
	if err := durable.SyncDir(dir); err != nil {
		f.Close()
		return nil, fmt.Errorf("fingerprint index: %w", err)
	}
	return ix, nil
}

// apply updates memory for one record, appending new postings to entries.
func (ix *Index) apply(r logRecord, entries []uint64) []uint64 {
	if old, ok := ix.slotOf[r.id]; ok {
		ix.tracks[old].alive = false
		if ix.hashOf[ix.tracks[old].hash] == old {
			delete(ix.hashOf, ix.tracks[old].hash)
		}
		delete(ix.slotOf, r.id)
		ix.dead++
	}
	if r.op != opAdd {
		return entries
	}
	slot := uint32(len(ix.tracks))
	ix.tracks = append(ix.tracks, trackEntry{id: r.id, itemsAt: r.itemsAt, n: int32(len(r.items)), alive: true, hash: r.hash})
	ix.slotOf[r.id] = slot
	if r.hash != ([32]byte{}) {
		ix.hashOf[r.hash] = slot
	}
	for _, k := range indexKeys(r.items) {
		entries = append(entries, uint64(k)<<32|uint64(slot))
	}
	return entries
}

// Close releases the file.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.f.Close()
}

// Len is the number of indexed tracks.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.slotOf)
}

// Contains reports whether id is indexed.
func (ix *Index) Contains(id string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.slotOf[id]
	return ok
}

// Add indexes a track, replacing an earlier entry with the same id. When
// Add returns nil the entry is on disk (fsynced).
func (ix *Index) Add(ctx context.Context, id string, e Entry) error {
	if id == "" {
		return music.Errorf(music.EINVALID, "fingerprint index: empty track id")
	}
	if len(e.Items) == 0 {
		return music.Errorf(music.EINVALID, "fingerprint index: track %s has an empty fingerprint", id)
	}
	if 4*len(e.Items)+len(id)+64 > maxRecord {
		return music.Errorf(music.EINVALID, "fingerprint index: fingerprint of %s is too long (%d items)", id, len(e.Items))
	}
	return ix.write(ctx, opAdd, id, e)
}

// AddMany indexes several tracks with one fsync, for bulk loads. ids and
// entries pair up; on error none of them may be acknowledged.
func (ix *Index) AddMany(ctx context.Context, ids []string, entries []Entry) error {
	if len(ids) != len(entries) {
		return music.Errorf(music.EINVALID, "fingerprint index: %d ids for %d entries", len(ids), len(entries))
	}
	var buf []byte
	recs := make([]logRecord, len(ids))
	for i, id := range ids {
		e := entries[i]
		if id == "" || len(e.Items) == 0 || 4*len(e.Items)+len(id)+64 > maxRecord {
			return music.Errorf(music.EINVALID, "fingerprint index: entry %d (%q) has an empty id or a bad fingerprint", i, id)
		}
		rec, itemsAt := encodeRecord(opAdd, id, e.PCMHash, e.Items)
		recs[i] = logRecord{op: opAdd, id: id, hash: e.PCMHash, items: e.Items, itemsAt: int64(len(buf) + itemsAt)}
		buf = append(buf, rec...)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, err := ix.f.WriteAt(buf, ix.size); err != nil {
		return fmt.Errorf("fingerprint index: append: %w", err)
	}
	if err := ix.f.Sync(); err != nil {
		return fmt.Errorf("fingerprint index: sync: %w", err)
	}
	var entriesOut []uint64
	for _, r := range recs {
		r.itemsAt += ix.size
		entriesOut = ix.apply(r, entriesOut)
	}
	ix.size += int64(len(buf))
	ix.post.add(entriesOut)
	return nil
}

// Remove drops a track; ENOTFOUND if it is not indexed.
func (ix *Index) Remove(ctx context.Context, id string) error {
	ix.mu.RLock()
	_, ok := ix.slotOf[id]
	ix.mu.RUnlock()
	if !ok {
		return music.Errorf(music.ENOTFOUND, "fingerprint index: track %s is not indexed", id)
	}
	return ix.write(ctx, opRemove, id, Entry{})
}

// write appends and fsyncs one record, then applies it in memory.
func (ix *Index) write(ctx context.Context, op byte, id string, e Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec, itemsAt := encodeRecord(op, id, e.PCMHash, e.Items)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, err := ix.f.WriteAt(rec, ix.size); err != nil {
		return fmt.Errorf("fingerprint index: append: %w", err)
	}
	if err := ix.f.Sync(); err != nil {
		return fmt.Errorf("fingerprint index: sync: %w", err)
	}
	r := logRecord{op: op, id: id, hash: e.PCMHash, items: e.Items, itemsAt: ix.size + int64(itemsAt)}
	ix.size += int64(len(rec))
	if entries := ix.apply(r, nil); len(entries) > 0 {
		ix.post.add(entries)
	}
	return nil
}

// items reads a track's fingerprint back from the file.
func (ix *Index) items(t trackEntry) ([]uint32, error) {
	b := make([]byte, 4*int(t.n))
	if _, err := ix.f.ReadAt(b, t.itemsAt); err != nil {
		return nil, fmt.Errorf("fingerprint index: read %s: %w", t.id, err)
	}
	out := make([]uint32, t.n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out, nil
}

// Hit is one track found by a query, with its alignment.
type Hit struct {
	TrackID string
	Match
}

// stopKeyPostings skips keys shared by this many tracks: they are common
// patterns (near silence, drones) that say nothing about identity.
const stopKeyPostings = 4096

// Query returns up to limit indexed tracks that best match the
// fingerprint, best (lowest bit-error rate) first. Candidates are the
// tracks sharing the most sampled items with it; each is verified with
// Compare, searching offsets up to maxOffset items (0: any).
func (ix *Index) Query(ctx context.Context, items []uint32, limit, maxOffset int) ([]Hit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	votes := map[uint32]int{}
	for _, k := range probeKeys(items) {
		if ix.post.count(k) > stopKeyPostings {
			continue
		}
		ix.post.each(k, func(slot uint32) {
			if ix.tracks[slot].alive {
				votes[slot]++
			}
		})
	}
	type cand struct {
		slot  uint32
		votes int
	}
	cands := make([]cand, 0, len(votes))
	for s, v := range votes {
		cands = append(cands, cand{s, v})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].votes != cands[j].votes {
			return cands[i].votes > cands[j].votes
		}
		return cands[i].slot < cands[j].slot
	})
	verify := max(limit, candidatesVerified)
	var hits []Hit
	for i := 0; i < len(cands) && i < verify; i++ {
		// Once a clear match is in hand, weakly voted candidates cannot
		// beat it.
		if len(hits) >= limit && hits[0].BitErrorRate <= 0.1 && 2*cands[i].votes < cands[0].votes {
			break
		}
		t := ix.tracks[cands[i].slot]
		ref, err := ix.items(t)
		if err != nil {
			return nil, err
		}
		m := Compare(ref, items, maxOffset)
		if m.Overlap == 0 {
			continue
		}
		hits = append(hits, Hit{TrackID: t.id, Match: m})
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].BitErrorRate < hits[j].BitErrorRate })
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].BitErrorRate < hits[j].BitErrorRate })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// candidatesVerified is how many top-voted tracks a query verifies.
const candidatesVerified = 16

// trackByHash returns the id of a live track with this PCM hash.
func (ix *Index) trackByHash(h [32]byte) (string, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.hashOf[h]
	if !ok || !ix.tracks[s].alive {
		return "", false
	}
	return ix.tracks[s].id, true
}
