package connectclient

import "strings"

// DefaultDeviceID is the ID a command-line device named name takes when
// it is given none: "cli-" and the name with every character other than
// an ASCII letter, digit or '-' made a '-', so it is safe in a URL.
func DefaultDeviceID(name string) string {
	return "cli-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, name)
}
