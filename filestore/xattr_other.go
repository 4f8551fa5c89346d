//go:build !linux

package filestore

import (
	"errors"
	"os"
)

// The file store keeps digests in Linux extended attributes; elsewhere
// Open fails with a clear error instead of storing unverifiable objects.
var errNoXattr = errors.New("filestore needs Linux user extended attributes")

func setMeta(*os.File, string, string) error   { return errNoXattr }
func getMeta(*os.File) (string, string, error) { return "", "", errNoXattr }
func probeXattr(string) error                  { return errNoXattr }
func lockTemp(*os.File) (bool, error)          { return false, errNoXattr }
func removeIfAbandoned(string) (bool, error)   { return false, errNoXattr }
