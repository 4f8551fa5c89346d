package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses an ISO 8601 duration as DDEX uses it for track
// lengths: PnDTnHnMnS with an optional fraction on the last field, e.g.
// PT4M23.583S, PT1H2M21S or PT1M. Years and months are rejected because
// they have no fixed length.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	bad := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("invalid ISO 8601 duration %q: %s", orig, why)
	}
	if !strings.HasPrefix(s, "P") {
		return bad("must start with P")
	}
	s = s[1:]
	if s == "" || s == "T" {
		return bad("no fields")
	}
	var total float64 // seconds
	inTime := false
	sawField := false
	fraction := false
	last := math.Inf(1) // unit of the previous field: units must decrease
	for len(s) > 0 {
		if s[0] == 'T' {
			if inTime {
				return bad("second T")
			}
			inTime = true
			s = s[1:]
			if s == "" {
				return bad("nothing after T")
			}
			continue
		}
		if fraction {
			return bad("only the last field may have a fraction")
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return bad("expected a number followed by a designator")
		}
		num := strings.Replace(s[:i], ",", ".", 1)
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || num[0] == '.' || num[len(num)-1] == '.' {
			return bad("bad number " + s[:i])
		}
		fraction = strings.Contains(num, ".")
		var unit float64
		switch d := s[i]; {
		case !inTime && d == 'D':
			unit = 86400
		case !inTime && d == 'W':
			unit = 7 * 86400
		case inTime && d == 'H':
			unit = 3600
		case inTime && d == 'M':
			unit = 60
		case inTime && d == 'S':
			unit = 1
		default:
			return bad(fmt.Sprintf("unexpected designator %q", d))
		}
		if unit >= last {
			return bad("fields out of order or repeated")
		}
		last = unit
		total += v * unit
		sawField = true
		s = s[i+1:]
	}
	if !sawField {
		return bad("no fields")
	}
	// Nothing we ingest is longer than a few days; refuse values that would
	// overflow time.Duration.
	if total > float64(math.MaxInt64/int64(time.Second)) {
		return bad("too long")
	}
	return time.Duration(math.Round(total * float64(time.Second))), nil
}

// parseSeconds parses a ClipDetails StartPoint: DDEX gives it as a decimal
// number of seconds ("45.0"), some senders as an ISO duration.
func parseSeconds(s string) (time.Duration, error) {
	if strings.HasPrefix(s, "P") {
		return ParseDuration(s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || v > 1e6 {
		return 0, fmt.Errorf("invalid start point %q: want seconds, e.g. 45.0", s)
	}
	return time.Duration(math.Round(v * float64(time.Second))), nil
}
