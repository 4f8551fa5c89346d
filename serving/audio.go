package serving

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/blobkey"
	"github.com/openmusic/music/internal/blobcheck"
)

// immutableCache is the Cache-Control of every rendition: a rendition's
// bytes never change (a new encoding is a new track or a new digest).
const immutableCache = "public, max-age=31536000, immutable"

// FileOpener is a blob store that can hand out an object as a plain file
// (filestore does), so audio goes out through sendfile.
type FileOpener interface {
	OpenFile(ctx context.Context, key string) (*os.File, music.BlobInfo, error)
}

// Presigner is a blob store that can mint short-lived direct URLs (s3
// does), for AudioOptions.Redirect.
type Presigner interface {
	PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error)
}

// AudioOptions choose how HandleAudio delivers objects that are not local
// files.
type AudioOptions struct {
	// Redirect answers 302 to a presigned URL of the store, valid for
	// PresignTTL, instead of proxying the bytes. Only stores that are
	// Presigners honour it; the others are proxied.
	Redirect   bool
	PresignTTL time.Duration // default 5 minutes
}

// audioFiles maps the file names under /audio/{track_id}/ to their
// content types. The names are also the blob names under audio/{track_id}/.
var audioFiles = map[string]string{
	music.Rung24 + ".ogg":      "audio/ogg",
	music.Rung96 + ".ogg":      "audio/ogg",
	music.Rung160 + ".ogg":     "audio/ogg",
	music.Rung320 + ".ogg":     "audio/ogg",
	music.RungPreview + ".mp3": "audio/mpeg",
}

// AudioPath is the server path of one rendition file, the part of a
// stream URL that StreamSigner signs.
func AudioPath(trackID, file string) string {
	return "/audio/" + url.PathEscape(trackID) + "/" + file
}

// HandleAudio routes GET and HEAD /audio/{track_id}/{version}/{file} and
// /audio/{track_id}/{file}, where file is 24.ogg, 96.ogg, 160.ogg, 320.ogg
// or preview.mp3: the renditions at blob key audio/{track_id}/{version}/
// {file} (blobkey.Rendition; the version names the content, so a URL's
// bytes never change) or, stored before keys were versioned,
// audio/{track_id}/{file}. The catalog hands out the URL of each
// rendition's key. Requests need a signature from s.Signer (no bearer
// token, so a CDN can fetch them). Answers support Range (single and
// multiple ranges, 416 past the end), If-Range, If-None-Match and
// If-Match against a strong ETag that is the object's SHA-256, and are
// cacheable for a year.
//
// Local files (FileOpener) are served from the *os.File, so net/http uses
// sendfile. Other stores are proxied with each byte range passed through
// to the store, or redirected when opts.Redirect is set and the store is a
// Presigner. The catalog is not consulted: the signature is the grant, and
// it was issued only for a track the caller could see. A podcast
// episode's audio is the exception: it stops within cacheTTL of the
// episode no longer being published (its show taken down), see
// episodeAudioGone.
func (s *Server) HandleAudio(blobs music.BlobStore, opts AudioOptions) {
	if opts.PresignTTL <= 0 {
		opts.PresignTTL = 5 * time.Minute
	}
	s.handleKind(routeStream, "GET /audio/{track_id}/{file}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveAudio(w, r, blobs, opts, "")
	}))
	s.handleKind(routeStream, "GET /audio/{track_id}/{version}/{file}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.PathValue("version")
		if !blobkey.IsRenditionVersion(v) {
			writeError(w, music.Errorf(music.ENOTFOUND, "no audio version %q: want %d hex digits", v, blobkey.RenditionVersionLen))
			return
		}
		s.serveAudio(w, r, blobs, opts, v+"/")
	}))
}

// serveAudio answers one audio request; version is "" or "{version}/".
func (s *Server) serveAudio(w http.ResponseWriter, r *http.Request, blobs music.BlobStore, opts AudioOptions, version string) {
	w = s.timeFirstByte(w, r)
	id, file := r.PathValue("track_id"), r.PathValue("file")
	ctype, ok := audioFiles[file]
	if !ok || strings.Contains(id, "/") {
		writeError(w, music.Errorf(music.ENOTFOUND, "no audio file %q: want 24.ogg, 96.ogg, 160.ogg, 320.ogg or preview.mp3", file))
		return
	}
	if s.Signer == nil {
		writeError(w, music.Errorf(music.EUNAVAILABLE, "audio delivery has no signing key configured"))
		return
	}
	territory, err := s.Signer.Verify(AudioPath(id, version+file), r.URL.Query())
	if err != nil {
		writeError(w, err)
		return
	}
	if err := s.checkGeo(r, territory); err != nil {
		writeError(w, err)
		return
	}
	// Per signed URL: a leaked URL is throttled wherever it is used from.
	if err := s.spend(r.Context(), LimitAudio, "sig:"+r.URL.Query().Get("sig")); err != nil {
		writeLimited(w, err)
		return
	}
	if err := s.episodeAudioGone(r.Context(), id); err != nil {
		writeError(w, err)
		return
	}
	key := "audio/" + id + "/" + version + file
	if blobcheck.Key(key) != nil {
		// "..", ".x", control characters: not a key any track has.
		writeError(w, music.Errorf(music.ENOTFOUND, "no audio for track %q", id))
		return
	}
	s.serveBlob(w, r, blobs, opts, key, ctype)
}

// serveBlob answers a verified request for one immutable object: range
// limits, then a redirect, a local file or ranged store reads.
func (s *Server) serveBlob(w http.ResponseWriter, r *http.Request, blobs music.BlobStore, opts AudioOptions, key, ctype string) {
	if n := rangeParts(r.Header.Get("Range")); n > MaxRanges {
		writeError(w, tooManyRanges(n)) // before any store read
		return
	}
	if p, ok := blobs.(Presigner); ok && opts.Redirect {
		u, err := p.PresignGet(r.Context(), key, opts.PresignTTL)
		if err != nil {
			writeError(w, err)
			return
		}
		// The redirect expires with the presigned URL; never cache it.
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, u, http.StatusFound)
		return
	}
	if fo, ok := blobs.(FileOpener); ok {
		f, info, err := fo.OpenFile(r.Context(), key)
		if err != nil {
			writeError(w, err)
			return
		}
		defer f.Close()
		if _, err := limitRanges(r, info.Size); err != nil {
			writeError(w, err)
			return
		}
		serveRendition(w, r, ctype, info, f)
		return
	}
	info, err := blobs.Stat(r.Context(), key)
	if err != nil {
		writeError(w, err)
		return
	}
	want, err := limitRanges(r, info.Size)
	if err != nil {
		writeError(w, err)
		return
	}
	rs := &rangeSeeker{ctx: r.Context(), blobs: blobs, key: key, size: info.Size, want: want}
	defer rs.Close()
	serveRendition(w, r, ctype, info, rs)
}

// checkGeo refuses a territory-bound URL fetched from another country,
// when a trusted edge tells the client's country in s.GeoHeader.
func (s *Server) checkGeo(r *http.Request, territory string) error {
	if s.GeoHeader == "" || territory == "" {
		return nil
	}
	geo := strings.TrimSpace(r.Header.Get(s.GeoHeader))
	if geo == "" || strings.EqualFold(geo, territory) {
		return nil
	}
	return music.Errorf(music.EFORBIDDEN, "audio URL was issued for territory %s, not %s", territory, geo)
}

// serveRendition sets the immutable-object headers and lets
// http.ServeContent answer ranges and conditions. The modification time is
// left out: the strong ETag is the only validator, so If-Range with a
// date never matches and falls back to the whole object.
func serveRendition(w http.ResponseWriter, r *http.Request, ctype string, info music.BlobInfo, content readSeeker) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", `"`+info.SHA256+`"`)
	h.Set("Cache-Control", immutableCache)
	h.Set("Accept-Ranges", "bytes")
	http.ServeContent(w, r, "", time.Time{}, content)
}
