package rss

import (
	"errors"
	"io/fs"
	"net/url"
	"os"

	music "github.com/openmusic/music"
)

// FeedURLFor is the URL a show is registered by, given either that URL or
// the path of a copy of its feed. An http or https argument is returned
// as it is (the server checks it). Anything else is a path: the file is
// read and checked as a poll reads a feed, and the show is registered by
// the feed's self link, so every poll, the first included, fetches it over
// HTTP like any other show's. A locked feed is refused here, as a poll
// would refuse it, so nothing is registered that could never publish.
func FeedURLFor(urlOrPath string) (string, error) {
	if u, err := url.Parse(urlOrPath); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return urlOrPath, nil
	}
	feed, err := ReadFile(urlOrPath)
	if err != nil {
		return "", err
	}
	if feed.Show.Locked {
		return "", music.Errorf(music.EFORBIDDEN, "%s: the feed is locked (podcast:locked yes): its owner does not allow other platforms to import it", urlOrPath)
	}
	self, err := feed.SelfURL()
	if err != nil {
		return "", music.Errorf(music.EINVALID, "%s: %v", urlOrPath, err)
	}
	return self, nil
}

// ReadFile parses the feed in a local file under the same rules as a
// fetched one (size cap, no DTDs, RSS 2.0). Its errors name the file.
func ReadFile(path string) (*Feed, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, music.Errorf(music.ENOTFOUND, "%s: no such file (a feed URL starts with http:// or https://)", path)
	}
	if err != nil {
		return nil, music.Errorf(music.EINVALID, "%s: %v", path, err)
	}
	defer f.Close()
	feed, err := Parse(f)
	if err != nil {
		// A read error (a directory, say) is the caller's input too.
		code := music.ErrorCode(err)
		if code == music.EINTERNAL {
			code = music.EINVALID
		}
		return nil, music.Errorf(code, "%s: %v", path, err)
	}
	return feed, nil
}
