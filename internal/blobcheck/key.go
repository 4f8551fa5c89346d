// Package blobcheck holds the checks every blob store applies the same way:
// which keys are valid, what a SHA-256 digest looks like, and a reader that
// verifies a digest while an object streams past.
package blobcheck

import (
	"strings"
	"unicode/utf8"

	"github.com/openmusic/music"
)

// Limits on keys. S3 allows 1024 bytes per key; most file systems allow
// 255 bytes per path element.
const (
	MaxKeyLen     = 1024
	MaxSegmentLen = 255
)

// Key returns an EINVALID error naming the key when it is not a valid blob
// key. A valid key is non-empty UTF-8 of slash-separated segments, with no
// leading or trailing slash, no empty segment, no backslash and no control
// character. A segment never starts with "." (so "." and ".." are out, and
// stores may keep their own files, such as temp files, under dot names).
func Key(key string) error {
	if reason := keyProblem(key); reason != "" {
		return music.Errorf(music.EINVALID, "blob key %s: %s", quote(key), reason)
	}
	return nil
}

// Prefix checks a List prefix: empty, or a valid key optionally followed
// by one slash.
func Prefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if reason := keyProblem(strings.TrimSuffix(prefix, "/")); reason != "" {
		return music.Errorf(music.EINVALID, "blob prefix %s: %s", quote(prefix), reason)
	}
	return nil
}

func keyProblem(key string) string {
	switch {
	case key == "":
		return "empty"
	case len(key) > MaxKeyLen:
		return "longer than 1024 bytes"
	case !utf8.ValidString(key):
		return "not valid UTF-8"
	case strings.HasPrefix(key, "/"):
		return "absolute (starts with /)"
	case strings.ContainsRune(key, '\\'):
		return "contains a backslash"
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return "contains a control character"
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return "has an empty segment"
		case seg == "." || seg == "..":
			return "has a " + seg + " segment"
		case seg[0] == '.':
			return "has a segment starting with ."
		case len(seg) > MaxSegmentLen:
			return "has a segment longer than 255 bytes"
		}
	}
	return ""
}

// quote keeps error messages on one line and short.
func quote(s string) string {
	const max = 120
	if len(s) > max {
		return strings.ToValidUTF8(string([]byte(s)[:max]), "") + "…"
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\n", `\n`), "\r", `\r`)
}
