package royalty

import "sync"

// interner maps strings to dense uint32 ids. Scans look up whole
// dictionaries under one lock, so contention is per row group, not per row.
type interner struct {
	mu   sync.Mutex
	ids  map[string]uint32
	strs []string
}

func newInterner() *interner { return &interner{ids: map[string]uint32{}} }

// idLocked returns b's id, adding it if new. Hold mu.
func (in *interner) idLocked(b []byte) uint32 {
	if id, ok := in.ids[string(b)]; ok {
		return id
	}
	s := string(b)
	id := uint32(len(in.strs))
	in.ids[s] = id
	in.strs = append(in.strs, s)
	return id
}

// str returns the string of id; call only after scanning finished.
func (in *interner) str(id uint32) string { return in.strs[id] }

func (in *interner) len() int { return len(in.strs) }

// hash64 is FNV-1a 64, stable across processes: session keys and user
// buckets must not depend on a per-process seed.
func hash64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// UserBucket is a listener's user-hash bucket among buckets: the
// partition key every batch over users shares (royalty, charts,
// recommendations), stable across processes.
func UserBucket(userID []byte, buckets int) int { return int(hash64(userID) % uint64(buckets)) }
