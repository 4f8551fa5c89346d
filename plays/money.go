package plays

import (
	"fmt"
	"strconv"
	"strings"

	music "github.com/openmusic/music"
)

// Micros is an amount of money in millionths of the currency unit. Money
// is never a float.
type Micros int64

// String formats m as a decimal with six places, e.g. "12.500000".
func (m Micros) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%06d", sign, int64(m)/1_000_000, int64(m)%1_000_000)
}

// ParseMicros parses a non-negative decimal amount ("1234.56") exactly.
func ParseMicros(s string) (Micros, error) {
	bad := music.Errorf(music.EINVALID, "amount %q: want a non-negative decimal with at most 6 decimal places", s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 6 || strings.HasPrefix(whole, "+") || strings.HasPrefix(whole, "-") {
		return 0, bad
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > (1<<63-1)/1_000_000-1 {
		return 0, bad
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64); err != nil || f < 0 || strings.ContainsAny(frac, "+-") {
			return 0, bad
		}
	}
	return Micros(w*1_000_000 + f), nil
}
