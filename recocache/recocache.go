// Package recocache holds what the recommendation cache's two
// implementations (redis and sqlstore) share of music.RecoCache: the key
// a list is kept under and the check a write passes first.
package recocache

import music "github.com/openmusic/music"

// Key is the cache key of a user's list.
func Key(userID, list string) string { return "reco:" + userID + ":" + list }

// Check rejects lists no reader could use, before any is written.
func Check(lists []music.RecoList) error {
	for _, l := range lists {
		if l.UserID == "" || l.List == "" || len(l.TrackIDs) > music.RecoCacheSize {
			return music.Errorf(music.EINVALID, "reco list %q of user %q: needs a user, a name and at most %d tracks (has %d)",
				l.List, l.UserID, music.RecoCacheSize, len(l.TrackIDs))
		}
	}
	return nil
}
