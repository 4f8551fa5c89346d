package serving

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// operation is one route of the OpenAPI document. Its operationId (the
// method name a generated client gets) is derived from method and path by
// operationID, so an entry never names one.
type operation struct {
	method, path, summary string
	auth                  string   // "bearer", "session" (bearer or the session cookie), "optional" (bearer or none), "signed" or "" (public)
	query                 []string // query parameter names
	body                  string   // request schema name in components, or ""
	ok                    int      // success status
	errors                []int
}

// apiOperations lists every route that Handle registers; a test checks
// the list against the server's real routes both ways. After adding or
// changing an entry:
//   - run `make openapi`: it rewrites serving/apiclient/openapi.json and
//     the Go client oapi-codegen generates from it (tests fail until then);
//   - add a call of the new client method to the end-to-end test in
//     apiclient_e2e_test.go (it fails for an operation it does not call);
//   - `make openapi-lint` must stay clean: every operation needs a 4xx.
var apiOperations = []operation{
	{"get", "/api/v1/tracks/{id}", "A track with signed stream URLs", "bearer", nil, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/tracks", "The track with an ISRC", "bearer", []string{"isrc"}, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/albums/{id}", "An album with its tracks in disc/track order", "bearer", nil, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/artists/{id}", "An artist with the albums the caller may see", "bearer", nil, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/browse/new-releases", "Albums with a deal in force in the caller's territory, newest first by release date", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 429}},
	{"get", "/api/v1/search", "Search tracks, albums and artists licensed in the caller's territory, and public playlists with type=playlist (bearer token optional)", "", []string{"q", "type", "limit"}, "", 200, []int{400, 401, 503}},
	{"get", "/api/v1/search/suggest", "Autocomplete over what the caller's territory may see (bearer token optional)", "", []string{"q", "limit"}, "", 200, []int{400, 401, 503}},
	{"get", "/audio/{track_id}/{version}/{file}", "A rendition (24/96/160/320.ogg, preview.mp3) at a content version; Range, If-Range, If-None-Match", "signed", []string{"exp", "t", "sig"}, "", 200, []int{206, 304, 401, 403, 404, 416}},
	{"get", "/audio/{track_id}/{file}", "A rendition stored before versioned keys", "signed", []string{"exp", "t", "sig"}, "", 200, []int{206, 304, 401, 403, 404, 416}},
	{"post", "/api/v1/playlists", "Create a playlist (Idempotency-Key honoured)", "bearer", nil, "PlaylistCreate", 201, []int{400, 401, 403, 429}},
	{"get", "/api/v1/me/playlists", "Playlists I own or collaborate on", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"get", "/api/v1/playlists/{id}", "A playlist; ETag is its version", "bearer", nil, "", 200, []int{401, 403, 404, 429}},
	{"patch", "/api/v1/playlists/{id}", "Rename, describe or re-scope (owner; If-Match)", "bearer", nil, "PlaylistUpdate", 200, []int{400, 401, 403, 404, 409, 429}},
	{"delete", "/api/v1/playlists/{id}", "Delete (owner; If-Match)", "bearer", nil, "", 204, []int{400, 401, 403, 404, 409, 429}},
	{"get", "/api/v1/playlists/{id}/tracks", "A page of entries", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 404, 429}},
	{"post", "/api/v1/playlists/{id}/tracks", "Add tracks at a position or after an entry (If-Match)", "bearer", nil, "Place", 201, []int{400, 401, 403, 404, 409, 422, 429}},
	{"delete", "/api/v1/playlists/{id}/tracks", "Remove entries by entry ID (If-Match)", "bearer", nil, "EntryIDs", 200, []int{400, 401, 403, 404, 409, 422, 429}},
	{"post", "/api/v1/playlists/{id}/tracks/move", "Move entries to a position or after an entry (If-Match)", "bearer", nil, "Place", 200, []int{400, 401, 403, 404, 409, 422, 429}},
	{"put", "/api/v1/playlists/{id}/collaborators/{user_id}", "Add a collaborator (owner)", "bearer", nil, "", 200, []int{401, 403, 404, 409, 422, 429}},
	{"delete", "/api/v1/playlists/{id}/collaborators/{user_id}", "Remove a collaborator (owner)", "bearer", nil, "", 200, []int{401, 403, 404, 409, 422, 429}},
	{"get", "/api/v1/playlists/{id}/events", "Live changes as Server-Sent Events", "bearer", []string{"since"}, "", 200, []int{400, 401, 403, 404}},
	{"get", "/api/v1/playlists/{id}/changes", "The changes after version since, oldest first, at most limit, with the current version and whether more remain; 410 when the log no longer reaches back to since", "bearer", []string{"since", "limit"}, "", 200, []int{400, 401, 403, 404, 410, 429}},
	{"get", "/api/v1/me/library/{kind}", "Saved tracks, albums or artists, newest first", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 404, 429}},
	{"put", "/api/v1/me/library/{kind}", "Save items", "bearer", nil, "IDs", 204, []int{400, 401, 403, 404, 422, 429}},
	{"delete", "/api/v1/me/library/{kind}", "Remove items", "bearer", nil, "IDs", 204, []int{400, 401, 403, 404, 429}},
	{"post", "/api/v1/identify", "Identify an audio clip: the body is WAV, FLAC or Ogg Vorbis, at most 16 MB", "bearer", nil, "AudioClip", 200, []int{400, 401, 404, 422, 429, 503}},
	{"post", "/api/v1/playback/report", "Report a play of a track (track_id) or, with kind episode, of a podcast episode (episode_id; kept for the show's statistics, never for royalties or charts); bearer token optional: anonymous plays count for charts only", "optional", nil, "PlaybackReport", 202, []int{400, 401, 422, 503}},
	{"get", "/api/v1/rankings/history", "A daily chart, overall or per genre", "", []string{"category", "date", "limit"}, "", 200, []int{400, 404}},
	{"post", "/api/v1/admin/reindex", "Rebuild the search index and swap it in (ops)", "bearer", nil, "", 202, []int{401, 403, 409}},
	{"get", "/api/v1/admin/reindex", "The running or last rebuild's status (ops)", "bearer", nil, "", 200, []int{401, 403}},
	{"get", "/api/v1/admin/reviews", "Tracks held because another label owns the same audio (ops)", "bearer", []string{"status", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"post", "/api/v1/admin/reviews/{id}", "Accept or reject a held track; accepting the last one publishes its release (ops)", "bearer", nil, "ReviewDecision", 200, []int{400, 401, 403, 404, 409, 429}},
	{"put", "/api/v1/admin/owners/{kind}/{id}", "Transfer a release (with its ISRCs) or an ISRC to a label account (ops)", "bearer", nil, "OwnerTransfer", 200, []int{400, 401, 403, 404, 429}},
	{"get", "/api/v1/me/recommendations", "My cached Discover Weekly, Daily Mix or Release Radar; popularity when the cache has none or is down", "bearer", []string{"list", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"get", "/api/v1/recommendations", "Tracks like the seeds (1 to 5 tracks, artists, genres), online from the model", "bearer", []string{"seed_tracks", "seed_artists", "seed_genres", "limit"}, "", 200, []int{400, 401, 422, 429}},
	{"post", "/api/v1/me/connect/ticket", "A one-time ticket (30 s) to open the device channel from a browser", "bearer", nil, "", 201, []int{401, 403, 429, 503}},
	{"get", "/api/v1/me/connect", "The Connect device channel: a WebSocket (docs/connect.md); bearer token or ?ticket=", "bearer", []string{"ticket"}, "", 101, []int{401, 403, 426, 429}},
	{"get", "/api/v1/me/player", "The player state (204: none yet)", "bearer", nil, "", 200, []int{204, 401, 403, 429, 503}},
	{"put", "/api/v1/me/player", "Transfer playback to a device", "bearer", nil, "PlayerTransfer", 204, []int{400, 401, 403, 404, 429, 503}},
	{"get", "/api/v1/me/player/devices", "The user's live devices", "bearer", nil, "", 200, []int{401, 403, 429, 503}},
	{"put", "/api/v1/me/player/play", "Start a context or tracks, or resume (no body)", "bearer", []string{"device_id"}, "PlayerPlay", 204, []int{400, 401, 403, 404, 422, 429, 503}},
	{"put", "/api/v1/me/player/pause", "Pause", "bearer", []string{"device_id"}, "", 204, []int{401, 403, 404, 429, 503}},
	{"post", "/api/v1/me/player/next", "Skip to the next track", "bearer", nil, "", 204, []int{401, 403, 404, 429, 503}},
	{"post", "/api/v1/me/player/previous", "Back to the previous track (or the start of this one)", "bearer", nil, "", 204, []int{401, 403, 404, 429, 503}},
	{"put", "/api/v1/me/player/seek", "Seek in the current track", "bearer", []string{"position_ms"}, "", 204, []int{400, 401, 403, 404, 422, 429, 503}},
	{"put", "/api/v1/me/player/shuffle", "Dithered shuffle on or off", "bearer", []string{"state"}, "", 204, []int{400, 401, 403, 429, 503}},
	{"put", "/api/v1/me/player/repeat", "Repeat off, context or track", "bearer", []string{"state"}, "", 204, []int{400, 401, 403, 429, 503}},
	{"post", "/api/v1/me/player/queue", "Add a track to the queue", "bearer", []string{"uri"}, "", 204, []int{400, 401, 403, 404, 422, 429, 503}},
	{"get", "/api/v1/me/player/queue", "The current track and the next 20", "bearer", nil, "", 200, []int{401, 403, 429, 503}},
	// social (#17)
	{"get", "/api/v1/me", "My account: id, display name, country, plan and role", "bearer", nil, "", 200, []int{401, 429}},
	{"get", "/api/v1/users/{id}", "A listener's public profile: display name, public playlists, follower count", "bearer", nil, "", 200, []int{401, 404, 429}},
	{"put", "/api/v1/me/following", "Follow artists or users (1 to 50 ids; listeners)", "bearer", []string{"type"}, "IDs", 204, []int{400, 401, 403, 422, 429}},
	{"delete", "/api/v1/me/following", "Unfollow artists or users (1 to 50 ids)", "bearer", []string{"type"}, "IDs", 204, []int{400, 401, 403, 429}},
	{"get", "/api/v1/me/following", "The artists or users I follow, by id, cursor paged", "bearer", []string{"type", "after", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"get", "/api/v1/me/following/contains", "Whether I follow each of 1 to 50 comma-separated ids", "bearer", []string{"type", "ids"}, "", 200, []int{400, 401, 403, 429}},
	{"get", "/api/v1/artists/{id}/followers", "An artist's follower count", "bearer", nil, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/playlists/{id}/followers", "A playlist's follower count (who may read it)", "bearer", nil, "", 200, []int{401, 403, 404, 429}},
	{"put", "/api/v1/playlists/{id}/followers", "Follow a playlist (who may read it)", "bearer", nil, "", 204, []int{401, 403, 404, 429}},
	{"delete", "/api/v1/playlists/{id}/followers", "Unfollow a playlist", "bearer", nil, "", 204, []int{401, 403, 429}},
	{"get", "/api/v1/me/library/playlists", "Saved (followed) playlists, newest first", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"put", "/api/v1/me/library/playlists", "Save (follow) 1 to 50 playlists the caller may read", "bearer", nil, "IDs", 204, []int{400, 401, 403, 422, 429}},
	{"delete", "/api/v1/me/library/playlists", "Remove (unfollow) playlists", "bearer", nil, "IDs", 204, []int{400, 401, 403, 429}},
	{"post", "/api/v1/shares", "Make a share link to a track, album or playlist the caller may see; the token is shown only here", "bearer", nil, "ShareCreate", 201, []int{400, 401, 403, 422, 429}},
	{"post", "/api/v1/playlists/{id}/share", "Make a share link that opens a playlist, private ones too, until revoked (who may read it)", "bearer", nil, "", 201, []int{401, 403, 404, 429}},
	{"get", "/api/v1/me/shares", "My live share links, newest first (without their tokens)", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"delete", "/api/v1/shares/{id}", "Revoke a share link (its creator or the shared playlist's owner)", "bearer", nil, "", 204, []int{401, 403, 404, 429}},
	{"get", "/api/v1/shared/{token}", "What a share link opens: a track or album where the caller may see it, or a playlist with a page of entries", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/me/settings", "My privacy settings: private session, share my listening", "bearer", nil, "", 200, []int{401, 403, 429}},
	{"put", "/api/v1/me/settings", "Change privacy settings; hiding my listening takes it from friends' views at once", "bearer", nil, "Settings", 200, []int{400, 401, 403, 429}},
	{"get", "/api/v1/me/blocks", "The users I blocked, newest first", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"put", "/api/v1/me/blocks", "Block 1 to 50 users: they stop following me and no longer see my profile or activity", "bearer", nil, "IDs", 204, []int{400, 401, 403, 422, 429}},
	{"delete", "/api/v1/me/blocks", "Unblock users", "bearer", nil, "IDs", 204, []int{400, 401, 403, 429}},
	{"get", "/api/v1/me/friends/activity", "What each user I follow plays now or played last, newest first (those who share their listening and have not blocked me)", "bearer", []string{"limit"}, "", 200, []int{400, 401, 403, 429}},
	{"get", "/api/v1/me/friends/activity/events", "Friend activity live as Server-Sent Events: snapshot, play and hide", "bearer", nil, "", 200, []int{401, 403, 429}},
	{"post", "/api/v1/editorial/playlists", "Make an editorial playlist with a cover image URL (ops; labels with only their own recordings)", "bearer", nil, "EditorialPlaylist", 201, []int{400, 401, 403, 422, 429}},
	{"patch", "/api/v1/editorial/playlists/{id}", "Rename, re-describe or re-cover an editorial playlist (ops, or the label that curated it; If-Match)", "bearer", nil, "EditorialPlaylistUpdate", 200, []int{400, 401, 403, 404, 409, 429}},
	{"delete", "/api/v1/editorial/playlists/{id}", "Delete an editorial playlist (ops, or the label that curated it)", "bearer", nil, "", 204, []int{401, 403, 404, 429}},
	{"post", "/api/v1/editorial/playlists/{id}/tracks", "Add tracks to an editorial playlist (ops, or the label that curated it, with its own recordings; If-Match)", "bearer", nil, "Place", 200, []int{400, 401, 403, 404, 409, 422, 429}},
	{"delete", "/api/v1/editorial/playlists/{id}/tracks", "Remove entries from an editorial playlist (ops, or the label that curated it; If-Match)", "bearer", nil, "EntryIDs", 200, []int{400, 401, 403, 404, 409, 422, 429}},
	{"get", "/api/v1/browse/featured-playlists", "Editorial playlists, newest first", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 429}},
	// web player (#18)
	{"post", "/api/v1/auth/login", "Sign in with a name and password: sets the music_session cookie, answers the user and the CSRF token (rate-limited per client address)", "", nil, "Credentials", 200, []int{400, 401, 403, 429}},
	{"post", "/api/v1/auth/signup", "Create a listener account with a password and sign it in (only with --open-signup)", "", nil, "Signup", 201, []int{400, 403, 409, 429}},
	{"get", "/api/v1/auth/session", "The signed-in user and, for a session cookie, its CSRF token", "session", nil, "", 200, []int{401, 403, 429}},
	{"post", "/api/v1/auth/logout", "End the session of the music_session cookie (X-CSRF-Token)", "session", nil, "", 204, []int{400, 401, 403, 429}},
	// podcasts (#16)
	{"post", "/api/v1/podcasts", "Register a show by its feed URL and poll it now (ops, label); 200 when the feed is known, 409 when its show was taken down", "bearer", nil, "PodcastAdd", 201, []int{400, 401, 403, 409, 429, 503}},
	{"delete", "/api/v1/podcasts/{id}", "Take a show down (ops): no longer polled, 404 with its episodes, out of search and follows, its stream URLs stop, offline renewal deletes it; nothing is deleted. Idempotent", "bearer", nil, "", 204, []int{401, 403, 404, 429, 503}},
	{"post", "/api/v1/podcasts/{id}/restore", "Undo a show's takedown (ops): polled and shown again. Idempotent", "bearer", nil, "", 204, []int{401, 403, 404, 429, 503}},
	{"post", "/api/v1/podcasts/{id}/refresh", "Poll a show's feed now, past any backoff (ops, label)", "bearer", nil, "", 202, []int{401, 403, 404, 429, 503}},
	{"get", "/api/v1/podcasts/{id}", "A show and its feed's state", "bearer", nil, "", 200, []int{401, 404, 429}},
	{"get", "/api/v1/podcasts/{id}/stats", "A show's plays per UTC day, from and to inclusive (default: the last 30 days) (ops, label)", "bearer", []string{"from", "to"}, "", 200, []int{400, 401, 403, 404, 429}},
	{"get", "/api/v1/podcasts/{id}/episodes", "A show's published episodes, newest first", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 404, 429}},
	{"get", "/api/v1/episodes/{id}", "A published episode with signed stream URLs, a download URL and the caller's resume point", "bearer", nil, "", 200, []int{401, 404, 429}},
	{"get", "/api/v1/episodes/{id}/chapters", "The episode's chapters file (Podcasting 2.0 JSON chapters), as fetched with its audio", "bearer", nil, "", 200, []int{304, 401, 404, 429}},
	{"get", "/api/v1/episodes/{id}/transcript", "The episode's transcript (WebVTT, SubRip, JSON, HTML or text, as the feed declares), as fetched with its audio", "bearer", nil, "", 200, []int{304, 401, 404, 429}},
	{"put", "/api/v1/me/podcasts/{id}", "Follow a show", "bearer", nil, "", 204, []int{401, 403, 404, 429}},
	{"delete", "/api/v1/me/podcasts/{id}", "Unfollow a show", "bearer", nil, "", 204, []int{401, 403, 429}},
	{"get", "/api/v1/me/podcasts", "Followed shows, newest follow first, with their unplayed episode counts", "bearer", []string{"offset", "limit"}, "", 200, []int{400, 401, 403, 429}},
	{"put", "/api/v1/me/episodes/{id}/position", "Store my resume point in an episode; near the end marks it played", "bearer", nil, "EpisodePosition", 204, []int{400, 401, 403, 404, 429}},
	{"get", "/api/v1/openapi.json", "This document", "", nil, "", 200, nil},
	// offline downloads (#15)
	{"post", "/api/v1/me/offline/devices", "Enrol a device for offline play with its X25519 public key (listeners; at most 5)", "bearer", nil, "OfflineDevice", 201, []int{400, 401, 403, 422, 429}},
	{"get", "/api/v1/me/offline/devices", "My offline devices", "bearer", nil, "", 200, []int{401, 403, 429}},
	{"delete", "/api/v1/me/offline/devices/{id}", "Revoke an offline device: no licence is renewed for it again", "bearer", nil, "", 204, []int{401, 403, 404, 429}},
	{"post", "/api/v1/me/offline/downloads", "A download manifest for tracks, podcast episodes, a playlist or an album: encrypted object URLs, keys wrapped to the device, 30-day licences", "bearer", nil, "OfflineDownload", 200, []int{400, 401, 403, 404, 422, 429}},
	{"delete", "/api/v1/me/offline/downloads", "Forget tracks and episodes a device deleted", "bearer", nil, "OfflineForget", 204, []int{400, 401, 403, 404, 429}},
	{"post", "/api/v1/me/offline/licences/renew", "Renew licences: per track or episode renewed, delete (taken down, unlicensed, dropped from its feed, not held) or replayed", "bearer", nil, "OfflineRenew", 200, []int{400, 401, 403, 404, 429}},
	{"get", "/offline/{track_id}/{version}/{file}", "A track's encrypted offline object ({rung}.mofl); Range, If-None-Match", "signed", []string{"exp", "t", "sig"}, "", 200, []int{206, 304, 401, 403, 404, 416}},
	{"get", "/offline/episodes/{episode_id}/{version}/{file}", "A podcast episode's encrypted offline object ({rung}.mofl); Range, If-None-Match", "signed", []string{"exp", "t", "sig"}, "", 200, []int{206, 304, 401, 403, 404, 416}},
}

// openAPIOptionalBodies are request bodies a route also takes absent.
var openAPIOptionalBodies = map[string]bool{"PlayerPlay": true}

// openAPIBodyTypes are the request bodies that are not JSON.
var openAPIBodyTypes = map[string]string{"AudioClip": "application/octet-stream"}

// openAPISchemas are the request bodies and the error body.
var openAPISchemas = map[string]any{
	"Error": obj(map[string]any{"error": obj(map[string]any{
		"code": str(), "message": str(), "current_version": map[string]any{"type": "integer"},
	}, "code", "message")}, "error"),
	"PlaylistCreate": obj(map[string]any{"name": str(), "description": str(), "public": map[string]any{"type": "boolean"}}, "name"),
	"PlaylistUpdate": obj(map[string]any{"name": str(), "description": str(), "public": map[string]any{"type": "boolean"}}),
	"Place": obj(map[string]any{"track_ids": strs(), "entry_ids": strs(), "position": map[string]any{"type": "integer", "minimum": 0},
		"after": str()}),
	"EntryIDs": obj(map[string]any{"entry_ids": strs()}, "entry_ids"),
	"IDs":      obj(map[string]any{"ids": strs()}, "ids"),
	"PlaybackReport": obj(map[string]any{"event_id": str(), "track_id": str(), "session_id": str(), "device_id": str(),
		"played_at": map[string]any{"type": "string", "format": "date-time"}, "duration_listened_ms": map[string]any{"type": "integer", "minimum": 0},
		"completed": map[string]any{"type": "boolean"}, "quality": map[string]any{"type": "string", "enum": []string{"24kbps", "96kbps", "160kbps", "320kbps"}},
		"kind": map[string]any{"type": "string", "enum": []string{"track", "episode"}}, "episode_id": str()},
		"event_id", "session_id", "device_id", "played_at", "duration_listened_ms", "quality"),
	"AudioClip":       map[string]any{"type": "string", "format": "binary"},
	"ReviewDecision":  obj(map[string]any{"decision": map[string]any{"type": "string", "enum": []string{"accept", "reject"}}, "note": str()}, "decision"),
	"EpisodePosition": obj(map[string]any{"position_ms": map[string]any{"type": "integer", "minimum": 0}}, "position_ms"),
	"PodcastAdd":      obj(map[string]any{"feed_url": map[string]any{"type": "string", "format": "uri", "maxLength": maxFeedURL}}, "feed_url"),
	"ShareCreate":     obj(map[string]any{"type": map[string]any{"type": "string", "enum": []string{"track", "album", "playlist"}}, "id": str()}, "type", "id"),
	"EditorialPlaylist": obj(map[string]any{"name": str(), "description": str(), "cover_url": map[string]any{"type": "string", "format": "uri"},
		"track_ids": map[string]any{"type": "array", "items": str(), "maxItems": 500}}, "name", "cover_url"),
	"EditorialPlaylistUpdate": obj(map[string]any{"name": str(), "description": str(), "cover_url": map[string]any{"type": "string", "format": "uri"}}),
	"Settings":                obj(map[string]any{"private_session": map[string]any{"type": "boolean"}, "share_activity": map[string]any{"type": "boolean"}}),
	"OwnerTransfer":           obj(map[string]any{"owner_id": str()}, "owner_id"),
	"Credentials":             obj(map[string]any{"name": str(), "password": str()}, "name", "password"),
	"Signup":                  obj(map[string]any{"name": str(), "password": map[string]any{"type": "string", "minLength": 8}, "country": str()}, "name", "password"),
	"PlayerTransfer": obj(map[string]any{"device_ids": map[string]any{"type": "array", "items": str(), "minItems": 1, "maxItems": 1},
		"play": map[string]any{"type": "boolean"}}, "device_ids"),
	"OfflineDevice": obj(map[string]any{"name": str(), "public_key": str()}, "name", "public_key"),
	"OfflineDownload": obj(map[string]any{"device_id": str(), "track_ids": map[string]any{"type": "array", "items": str(), "maxItems": MaxOfflineBatch},
		"episode_ids": map[string]any{"type": "array", "items": str(), "maxItems": MaxOfflineBatch},
		"playlist_id": str(), "album_id": str(), "quality": map[string]any{"type": "string", "enum": []string{"24", "96", "160", "320"}}}, "device_id"),
	"OfflineForget": obj(map[string]any{"device_id": str(), "track_ids": map[string]any{"type": "array", "items": str(), "maxItems": MaxOfflineBatch},
		"episode_ids": map[string]any{"type": "array", "items": str(), "maxItems": MaxOfflineBatch}}, "device_id"),
	"OfflineRenew": obj(map[string]any{"device_id": str(), "licences": map[string]any{"type": "array", "items": str(), "minItems": 1, "maxItems": MaxOfflineBatch}}, "device_id", "licences"),
	"PlayerPlay": obj(map[string]any{"context_uri": str(), "uris": map[string]any{"type": "array", "items": str(), "maxItems": 1000},
		"offset":      obj(map[string]any{"position": map[string]any{"type": "integer", "minimum": 0}, "uri": str()}),
		"position_ms": map[string]any{"type": "integer", "minimum": 0}}),
}

func str() map[string]any  { return map[string]any{"type": "string"} }
func strs() map[string]any { return map[string]any{"type": "array", "items": str()} }
func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// openAPIDocument builds the OpenAPI 3 document of apiOperations.
func openAPIDocument() map[string]any {
	paths := map[string]any{}
	for _, op := range apiOperations {
		item, _ := paths[op.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		var params []any
		for _, seg := range strings.Split(op.path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": str()})
			}
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": str()})
		}
		responses := map[string]any{itoa(op.ok): map[string]any{"description": "success"}}
		for _, code := range op.errors {
			responses[itoa(code)] = map[string]any{"description": http.StatusText(code),
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
		}
		o := map[string]any{"operationId": operationID(op.method, op.path), "summary": op.summary, "responses": responses}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.body != "" {
			ctype := openAPIBodyTypes[op.body]
			if ctype == "" {
				ctype = "application/json"
			}
			o["requestBody"] = map[string]any{"required": !openAPIOptionalBodies[op.body], "content": map[string]any{ctype: map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/" + op.body}}}}
		}
		// Every operation states its security, so a public one says [].
		// Signed audio URLs carry their credential in exp and sig.
		switch op.auth {
		case "bearer":
			o["security"] = []any{map[string]any{"bearer": []any{}}}
		case "session":
			o["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
		case "optional":
			o["security"] = []any{map[string]any{}, map[string]any{"bearer": []any{}}}
		default:
			o["security"] = []any{}
		}
		item[op.method] = o
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "music platform API", "version": "1"},
		// Relative: the API is served from the host that serves this document.
		"servers": []any{map[string]any{"url": "/", "description": "the server that serves this document"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": openAPISchemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie,
					"description": "the web player's session (POST /api/v1/auth/login); writes also need X-CSRF-Token"}},
		},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// operationID names an operation after its method and path, the way a
// generated client names the method: "get /api/v1/playlists/{id}/tracks"
// becomes getPlaylistsByIdTracks. The /api/v1 prefix is dropped, a
// literal segment is capitalised and a {param} becomes By<Param>.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/api/v1"), "/") {
		if strings.HasPrefix(seg, "{") {
			b.WriteString("By")
			seg = strings.Trim(seg, "{}")
		}
		for _, word := range strings.FieldsFunc(seg, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

// openAPIJSON is the OpenAPI 3 document of every API route, indented.
func openAPIJSON() ([]byte, error) {
	doc, err := json.MarshalIndent(openAPIDocument(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(doc, '\n'), nil
}

// HandleOpenAPI serves the OpenAPI 3 document at /api/v1/openapi.json.
func (s *Server) HandleOpenAPI() {
	doc, err := openAPIJSON()
	if err != nil {
		panic(err) // a static document; a failure is a programming error
	}
	s.Handle("GET /api/v1/openapi.json", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	}))
}
