package music

// RenditionVersionLen is how many hex digits of a rendition's SHA-256 its
// blob key carries.
const RenditionVersionLen = 12

// RenditionKey is the blob key of a rendition: audio/{track}/{version}/
// {file}, where version is the start of the file's SHA-256. Renditions
// are served as immutable, so new audio for a track must land at a new
// key (and so a new URL), never over bytes a cache or a published release
// still holds. Keys without the version (audio/{track}/{file}) are from
// before versioning and stay valid.
func RenditionKey(trackID, sha256Hex, file string) string {
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
