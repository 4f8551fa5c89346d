package capacity

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Decimal units throughout, as the design notes use them: 1 TB = 10¹² bytes,
// 1 Tbps = 10¹² bits per second.
var countSuffixes = []struct {
	suffix string
	scale  float64
}{{"T", 1e12}, {"B", 1e9}, {"M", 1e6}, {"k", 1e3}}

var siPrefixes = []struct {
	prefix string
	scale  float64
}{{"E", 1e18}, {"P", 1e15}, {"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}}

// Count prints a count as the design notes do: 500M, 2B, 23.1k.
func Count(v float64) string {
	for _, s := range countSuffixes {
		if math.Abs(v) >= s.scale {
			return trim(v/s.scale) + s.suffix
		}
	}
	return trim(v)
}

// si prints v with an SI prefix before unit: 500 TB, 12.8 Tbps.
func si(v float64, unit string) string {
	for _, p := range siPrefixes {
		if math.Abs(v) >= p.scale {
			return trim(v/p.scale) + " " + p.prefix + unit
		}
	}
	return trim(v) + " " + unit
}

func bytesOf(v float64) string { return si(v, "B") }
func bits(v float64) string    { return si(v, "bps") }
func dollars(v float64) string { return "$" + Count(v) }

// trim prints short values exactly (156.25) and others to three
// significant figures without trailing zeros.
func trim(v float64) string {
	if exact := strconv.FormatFloat(v, 'f', -1, 64); len(exact) <= 6 {
		return exact
	}
	digits := 2 - int(math.Floor(math.Log10(math.Abs(v))))
	if digits < 0 {
		digits = 0
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Quantity is a flag value that takes 200M, 1.5B, 100k or 2e8.
type Quantity float64

func (q *Quantity) String() string { return Count(float64(*q)) }
func (q *Quantity) Type() string   { return "count" }

func (q *Quantity) Set(s string) error {
	scale, num := 1.0, s
	for _, suf := range countSuffixes {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(suf.suffix)) {
			scale, num = suf.scale, s[:len(s)-1]
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number (200M, 1.5B, 100k and 2e8 are)", s)
	}
	*q = Quantity(v * scale)
	return nil
}
