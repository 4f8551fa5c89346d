package fingerprint

import "slices"

// postings maps index keys to track slots. Each entry is key<<32 | slot in
// a sorted slice: 8 bytes per posting, no per-key overhead. New entries
// go to a small sorted delta that is merged into the main slice when it
// grows, so adds stay cheap without a pointer-heavy map.
type postings struct {
	main  []uint64
	delta []uint64
}

// add inserts entries (any order).
func (p *postings) add(entries []uint64) {
	slices.Sort(entries)
	p.delta = mergeSorted(nil, p.delta, entries)
	if len(p.delta) > max(1<<16, len(p.main)/8) {
		p.main = mergeSorted(make([]uint64, 0, len(p.main)+len(p.delta)), p.main, p.delta)
		p.delta = nil
	}
}

// bulk replaces the contents with entries (any order); used when loading.
func (p *postings) bulk(entries []uint64) {
	slices.Sort(entries)
	p.main, p.delta = entries, nil
}

// each calls fn with the slots posted under key.
func (p *postings) each(key uint32, fn func(slot uint32)) {
	for _, s := range [2][]uint64{p.main, p.delta} {
		lo := uint64(key) << 32
		i, _ := slices.BinarySearch(s, lo)
		for ; i < len(s) && s[i]>>32 == uint64(key); i++ {
			fn(uint32(s[i]))
		}
	}
}

// count returns how many slots are posted under key.
func (p *postings) count(key uint32) int {
	n := 0
	for _, s := range [2][]uint64{p.main, p.delta} {
		i, _ := slices.BinarySearch(s, uint64(key)<<32)
		j := len(s)
		if key != ^uint32(0) {
			j, _ = slices.BinarySearch(s, uint64(key+1)<<32)
		}
		n += j - i
	}
	return n
}

func (p *postings) len() int { return len(p.main) + len(p.delta) }

// mergeSorted appends the merge of sorted a and b to dst.
func mergeSorted(dst, a, b []uint64) []uint64 {
	for len(a) > 0 && len(b) > 0 {
		if a[0] <= b[0] {
			dst, a = append(dst, a[0]), a[1:]
		} else {
			dst, b = append(dst, b[0]), b[1:]
		}
	}
	dst = append(dst, a...)
	return append(dst, b...)
}

// keySampleBits selects which items are indexed: an item is a key when
// the top keySampleBits bits of its multiplicative hash are zero, so a
// clip and the track it comes from select the same items wherever the
// clip starts. 1 keeps half of the items.
const keySampleBits = 1

// isKey reports whether item v is indexed.
func isKey(v uint32) bool {
	return v != SilenceItem && (v*0x9E3779B1)>>(32-keySampleBits) == 0
}

// indexKeys returns the distinct sampled keys of a fingerprint.
func indexKeys(items []uint32) []uint32 {
	keys := make([]uint32, 0, len(items)>>keySampleBits+8)
	for _, v := range items {
		if isKey(v) {
			keys = append(keys, v)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// flipBits are the least stable bits of an item (the low Gray-code bits of
// classifiers 14, 10, 8, 4, 11, 12 and the high bits of 10 and 14, as
// measured on 10 s clips of real music). A query also probes each item
// with one of them flipped, which recovers matches that a single bit error
// would lose, at no cost in index memory.
var flipBits = [...]uint{4, 12, 16, 24, 10, 13, 5, 8}

// probeKeys returns the distinct keys a query looks up for a fingerprint:
// its sampled items and their one-bit variants.
func probeKeys(items []uint32) []uint32 {
	keys := make([]uint32, 0, len(items)*(len(flipBits)+1)>>keySampleBits+8)
	for _, v := range items {
		if v == SilenceItem {
			continue
		}
		if isKey(v) {
			keys = append(keys, v)
		}
		for _, b := range flipBits {
			if w := v ^ 1<<b; isKey(w) {
				keys = append(keys, w)
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
