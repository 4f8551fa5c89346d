package search

import (
	"unicode/utf8"

	"github.com/openmusic/music"
)

// docTypeNames is the list error messages give.
const docTypeNames = "track, artist, album, podcast or episode"

// CheckDoc reports the first field that makes d unindexable; both engines
// check every document with it before writing.
func CheckDoc(d music.SearchDoc) error {
	switch {
	case !validType(d.Type):
		return music.Errorf(music.EINVALID, "search doc %q: type %q is not %s", d.ID, d.Type, docTypeNames)
	case d.ID == "" || len(d.ID) > 128 || !utf8.ValidString(d.ID):
		return music.Errorf(music.EINVALID, "search doc: id %q must be 1..128 bytes of UTF-8", d.ID)
	case d.Title == "" || !utf8.ValidString(d.Title):
		return music.Errorf(music.EINVALID, "search doc %s: title must be non-empty UTF-8", d.Key())
	case d.Popularity < 0 || d.Popularity > 100:
		return music.Errorf(music.EINVALID, "search doc %s: popularity %d outside 0..100", d.Key(), d.Popularity)
	}
	return nil
}

// CheckDelete validates the arguments of music.SearchIndex.Delete.
func CheckDelete(t music.DocType, id string) error {
	if !validType(t) {
		return music.Errorf(music.EINVALID, "search delete %q: type %q is not %s", id, t, docTypeNames)
	}
	return nil
}
