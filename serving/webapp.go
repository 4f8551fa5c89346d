package serving

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	music "github.com/openmusic/music"
)

// webAsset is one file of the web player, read once at start.
type webAsset struct {
	body  []byte
	ctype string
	etag  string
}

// HandleWebApp serves the web player in app (webapp.Files): index.html
// at "/" and its assets under "/app/". Every answer carries a strict
// Content-Security-Policy (scripts and styles from this origin only, no
// inline script) and revalidates by ETag, so a new binary's files are
// seen at once. Call it after Signer is set: a CDN base URL is allowed
// as a media source.
func (s *Server) HandleWebApp(app fs.FS) error {
	assets := map[string]webAsset{}
	err := fs.WalkDir(app, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(app, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = http.DetectContentType(b)
		}
		assets["/"+p] = webAsset{body: b, ctype: ctype, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		return music.Errorf(music.EINTERNAL, "web player files: %v", err)
	}
	if _, ok := assets["/index.html"]; !ok {
		return music.Errorf(music.EINVALID, "web player files: no index.html")
	}
	csp := s.webAppCSP()
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		a, ok := assets[name]
		if !ok {
			writeError(w, music.Errorf(music.ENOTFOUND, "no file %s in the web player", name))
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer") // stream URLs carry signatures
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", a.ctype)
		h.Set("ETag", a.etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
	}
	s.mux.Handle("GET /{$}", s.instrument("GET /", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "/index.html")
	})))
	s.mux.Handle("GET /app/", s.instrument("GET /app/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, r.URL.Path)
	})))
	return nil
}

// webAppCSP is the player's Content-Security-Policy: nothing inline,
// nothing from elsewhere but the audio CDN when there is one.
func (s *Server) webAppCSP() string {
	media := "'self'"
	if s.Signer != nil && s.Signer.BaseURL != "" {
		media += " " + s.Signer.BaseURL // prefetches fetch() from it too
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"media-src " + media,
		"connect-src " + media,
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}
