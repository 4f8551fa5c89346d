package serving

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// MaxRanges is the most byte ranges one audio request may ask for. Every
// distinct range costs a ranged GET on a proxied store, so a request with
// hundreds of tiny ranges would turn one signed URL into hundreds of store
// requests. Players ask for one; eight leaves room for probing tools.
const MaxRanges = 8

// rangeParts counts the comma-separated parts of a bytes= Range header
// without parsing them, so a flood is refused before the store is asked
// anything.
func rangeParts(h string) int {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return 0
	}
	return strings.Count(spec, ",") + 1
}

// tooManyRanges is the answer to a Range header over MaxRanges.
func tooManyRanges(n int) error {
	return music.Errorf(music.ERANGE, "Range header asks for %d ranges; at most %d are served per request", n, MaxRanges)
}

// coalesceRanges merges overlapping and adjacent ranges (in offset order),
// so each byte is read from the store once and each remaining range is
// one ranged GET.
func coalesceRanges(rs []byteRange) []byteRange {
	if len(rs) < 2 {
		return rs
	}
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b byteRange) int { return compareInt64(a.start, b.start) })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if end := last.start + last.length; r.start <= end {
			last.length = max(end, r.start+r.length) - last.start
			continue
		}
		out = append(out, r)
	}
	return out
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// limitRanges checks r's Range header against an object of size bytes
// and rewrites it to its coalesced form, so http.ServeContent serves (and
// the store is asked for) each merged range once. A header that does not
// parse is left for ServeContent to judge (416 or the whole object).
func limitRanges(r *http.Request, size int64) ([]byteRange, error) {
	h := r.Header.Get("Range")
	if h == "" {
		return nil, nil
	}
	if n := rangeParts(h); n > MaxRanges {
		return nil, tooManyRanges(n)
	}
	rs := coalesceRanges(requestedRanges(h, size))
	if len(rs) == 0 {
		return nil, nil
	}
	parts := make([]string, len(rs))
	for i, br := range rs {
		parts[i] = strconv.FormatInt(br.start, 10) + "-" + strconv.FormatInt(br.start+br.length-1, 10)
	}
	r.Header.Set("Range", "bytes="+strings.Join(parts, ","))
	return rs, nil
}
