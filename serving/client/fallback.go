package client

import (
	"fmt"
	"io"
)

// Fallback holds renditions on the device (the offline store does): when
// the network or the CDN fails mid-track, the Player goes on from the
// local copy of the same rung, which has the same bytes at the same
// offsets, so the decoder never notices.
type Fallback interface {
	// Rendition opens the local copy of track's rung and its size, or
	// fails when there is none. If the copy is an io.Closer, the Player's
	// Close closes it.
	Rendition(trackID, rung string) (io.ReaderAt, int64, error)
}

// readLocal serves ReadAt from the fallback once the network failed with
// netErr; without a local copy the network's error stands.
func (f *remoteFile) readLocal(p []byte, off int64, netErr error) (int, error) {
	if f.local == nil {
		if f.c.Fallback == nil || f.trackID == "" {
			return 0, netErr
		}
		ra, size, err := f.c.Fallback.Rendition(f.trackID, f.rung)
		if err != nil {
			return 0, fmt.Errorf("%w (and no offline copy: %v)", netErr, err)
		}
		if f.size >= 0 && size != f.size {
			return 0, fmt.Errorf("%w (the offline copy is %d bytes, the stream %d)", netErr, size, f.size)
		}
		f.local, f.size = ra, size
	}
	if off >= f.size {
		return 0, io.EOF
	}
	n, err := f.local.ReadAt(p[:min(int64(len(p)), f.size-off)], off)
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}

// close releases the offline copy, if one was opened.
func (f *remoteFile) close() error {
	if c, ok := f.local.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
