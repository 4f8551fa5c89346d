// Package durable holds the one file-system step that crash-safe writers
// share: making a rename or a new file durable by syncing its directory.
package durable

import "os"

// SyncDir fsyncs dir, so that entries created or renamed into it survive
// a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
