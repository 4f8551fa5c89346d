package filestore

import (
	"context"
	"fmt"
	"github.com/openmusic/music/internal/durable"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/openmusic/music"
	"github.com/openmusic/music/internal/blobcheck"
)

// Delete removes the object and prunes directories it leaves empty.
// Deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := checkKey("delete", key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	p := s.path(key)
	st, err := os.Lstat(p)
	if notFound(err) || (err == nil && st.IsDir()) {
		return nil // no object by that name (a directory is only a prefix)
	}
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if err := os.Remove(p); err != nil && !notFound(err) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if err := durable.SyncDir(filepath.Dir(p)); err != nil && !notFound(err) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	s.prune(filepath.Dir(p))
	return nil
}

// prune removes empty directories from dir up to the root. rmdir fails on
// a non-empty directory, which ends the walk; that is the normal case.
func (s *Store) prune(dir string) {
	for dir != s.root && strings.HasPrefix(dir, s.root+string(filepath.Separator)) {
		if err := syscall.Rmdir(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// List calls fn for every object whose key starts with prefix, in byte
// order of the keys.
func (s *Store) List(ctx context.Context, prefix string, fn func(music.BlobInfo) error) error {
	if err := blobcheck.Prefix(prefix); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	// Start in the directory the prefix names completely; filter its
	// entries by the rest.
	dirPart := prefix[:strings.LastIndex(prefix, "/")+1]
	return s.walk(ctx, dirPart, prefix[len(dirPart):], fn)
}

// walk lists the directory for key prefix rel (empty or ending in "/"),
// keeping only entries whose names start with match.
func (s *Store) walk(ctx context.Context, rel, match string, fn func(music.BlobInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(s.root, filepath.FromSlash(rel)))
	if notFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", rel, err)
	}
	// A directory's keys all continue with "/", so it sorts as name+"/".
	type entry struct {
		sortKey string
		name    string
		dir     bool
	}
	var list []entry
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasPrefix(name, match) {
			continue // dot names are the store's own (.tmp) or not objects
		}
		if e.IsDir() {
			list = append(list, entry{name + "/", name, true})
		} else if e.Type().IsRegular() {
			list = append(list, entry{name, name, false})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].sortKey < list[j].sortKey })
	for _, e := range list {
		key := rel + e.name
		if e.dir {
			if err := s.walk(ctx, key+"/", "", fn); err != nil {
				return err
			}
			continue
		}
		if blobcheck.Key(key) != nil {
			continue // a stray file no Put could have written
		}
		info, err := s.Stat(ctx, key)
		if music.ErrorCode(err) == music.ENOTFOUND {
			continue // deleted while we listed
		}
		if err != nil {
			return err
		}
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}
