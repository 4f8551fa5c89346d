package ingest

import (
	"fmt"
	"strings"
)

// NormalizeISRC upper-cases an ISRC and drops the hyphens of its printed
// form (CC-XXX-YY-NNNNN), then checks its structure: two letters (country
// or agency prefix), three letters or digits (registrant), two digits
// (year) and five digits (designation). ISRC has no check digit.
func NormalizeISRC(s string) (string, error) {
	n := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	if len(n) != 12 {
		return "", fmt.Errorf("invalid ISRC %q: want 12 characters CC XXX YY NNNNN, got %d", s, len(n))
	}
	for i := 0; i < 12; i++ {
		c := n[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		switch {
		case i < 2 && !letter:
			return "", fmt.Errorf("invalid ISRC %q: country code (characters 1-2) must be letters", s)
		case i >= 2 && i < 5 && !letter && !digit:
			return "", fmt.Errorf("invalid ISRC %q: registrant code (characters 3-5) must be letters or digits", s)
		case i >= 5 && !digit:
			return "", fmt.Errorf("invalid ISRC %q: year and designation (characters 6-12) must be digits", s)
		}
	}
	return n, nil
}

// ValidISRC reports whether s is a well-formed ISRC, hyphenated or not.
func ValidISRC(s string) bool {
	_, err := NormalizeISRC(s)
	return err == nil
}

// NormalizeICPN checks a UPC/EAN release code (GTIN-12, -13 or -14) and
// its GS1 mod-10 check digit, and returns it as a 14-digit GTIN so that
// the same product sent as UPC-A, EAN-13 or zero-padded GTIN-14 compares
// equal.
func NormalizeICPN(s string) (string, error) {
	n := strings.TrimSpace(s)
	switch len(n) {
	case 12, 13, 14:
	default:
		return "", fmt.Errorf("invalid ICPN %q: want a 12-digit UPC, 13-digit EAN or 14-digit GTIN, got %d characters", s, len(n))
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return "", fmt.Errorf("invalid ICPN %q: only digits are allowed", s)
		}
	}
	want := gtinCheckDigit(n[:len(n)-1])
	if got := n[len(n)-1]; got != want {
		return "", fmt.Errorf("invalid ICPN %q: check digit is %c, expected %c", s, got, want)
	}
	return strings.Repeat("0", 14-len(n)) + n, nil
}

// ValidICPN reports whether s is a GTIN-12/13/14 with a correct check digit.
func ValidICPN(s string) bool {
	_, err := NormalizeICPN(s)
	return err == nil
}

// gtinCheckDigit computes the GS1 check digit of the digits before it:
// weights 3 and 1 alternate from the rightmost digit.
func gtinCheckDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
