// Package blobkey lays out the keys under which the platform stores audio
// in the blob store: a track's renditions, versioned by their content, and
// the encrypted copies made for offline play. The writers (workflows) and
// the readers (serving) build and parse keys here, so they cannot drift.
package blobkey

// RenditionVersionLen is how many hex digits of a rendition's SHA-256 its
// blob key carries.
const RenditionVersionLen = 12

// Rendition is the blob key of a rendition: audio/{track}/{version}/
// {file}, where version is the start of the file's SHA-256. Renditions
// are served as immutable, so new audio for a track must land at a new
// key (and so a new URL), never over bytes a cache or a published release
// still holds. Keys without the version (audio/{track}/{file}) are from
// before versioning and stay valid.
func Rendition(trackID, sha256Hex, file string) string {
	return "audio/" + trackID + "/" + sha256Hex[:RenditionVersionLen] + "/" + file
}

// IsRenditionVersion says whether v is a version segment of a rendition
// key: RenditionVersionLen lowercase hex digits.
func IsRenditionVersion(v string) bool {
	if len(v) != RenditionVersionLen {
		return false
	}
	for _, c := range v {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Offline is the blob key of one encrypted copy of a track's rung:
// offline/{track}/{keyID}/{rung}.mofl. keyID is random per copy, so the
// key is as immutable (and as cacheable) as a rendition's, new audio gets
// a new copy at a new key, and two servers racing to make a copy write
// under different keys, neither overwriting the other's bytes.
func Offline(trackID, keyID, rung string) string {
	return "offline/" + trackID + "/" + keyID + "/" + rung + ".mofl"
}

// OfflineEpisode is the blob key of one encrypted copy of a podcast
// episode's rung: offline/episodes/{episode}/{keyID}/{rung}.mofl, under
// the same rules as Offline. The episodes/ segment keeps the kind in the
// key and the URL, so the two kinds never share a prefix.
func OfflineEpisode(episodeID, keyID, rung string) string {
	return "offline/episodes/" + episodeID + "/" + keyID + "/" + rung + ".mofl"
}
