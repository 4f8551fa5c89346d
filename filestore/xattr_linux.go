package filestore

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// Extended attribute names holding an object's metadata.
const (
	xattrSHA256 = "user.music.sha256"
	xattrType   = "user.music.content_type"
)

// setMeta records the digest and content type on the (temp) file.
func setMeta(f *os.File, sha, contentType string) error {
	fd := int(f.Fd())
	if err := unix.Fsetxattr(fd, xattrSHA256, []byte(sha), 0); err != nil {
		return &os.PathError{Op: "setxattr", Path: f.Name(), Err: err}
	}
	if contentType != "" {
		if err := unix.Fsetxattr(fd, xattrType, []byte(contentType), 0); err != nil {
			return &os.PathError{Op: "setxattr", Path: f.Name(), Err: err}
		}
	}
	return nil
}

// getMeta reads the digest and content type of an open object; sha is ""
// when the file carries none.
func getMeta(f *os.File) (sha, contentType string, err error) {
	fd := int(f.Fd())
	buf := make([]byte, 256)
	n, err := unix.Fgetxattr(fd, xattrSHA256, buf)
	switch {
	case errors.Is(err, unix.ENODATA):
		return "", "", nil
	case err != nil:
		return "", "", &os.PathError{Op: "getxattr", Path: f.Name(), Err: err}
	}
	sha = string(buf[:n])
	n, err = unix.Fgetxattr(fd, xattrType, buf)
	switch {
	case errors.Is(err, unix.ENODATA):
		return sha, "", nil
	case errors.Is(err, unix.ERANGE):
		return sha, "", nil // longer than any type we write; ignore
	case err != nil:
		return "", "", &os.PathError{Op: "getxattr", Path: f.Name(), Err: err}
	}
	return sha, string(buf[:n]), nil
}

// probeXattr checks that files in dir can carry user xattrs.
func probeXattr(dir string) error {
	f, err := os.CreateTemp(dir, "probe-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	return unix.Fsetxattr(int(f.Fd()), xattrSHA256, []byte("probe"), 0)
}

// lockTemp takes the writer's exclusive flock on its temp file and reports
// whether the file is still linked (Cleanup may have removed it just
// before the lock was taken).
func lockTemp(f *os.File) (bool, error) {
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		return false, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return false, err
	}
	return st.Nlink > 0, nil
}

// removeIfAbandoned removes a temp file when no writer holds its lock.
func removeIfAbandoned(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return false, nil // a live writer
	}
	if err != nil {
		return false, err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	return true, nil
}
