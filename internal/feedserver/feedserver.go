// Package feedserver is a podcast host for tests: it serves an RSS feed
// whose episodes are real speech (espeak-ng, encoded by lame), honours
// conditional GETs the way a CDN does, and logs every request so a test
// can see what the poller asked for.
package feedserver

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Item is one episode of the served feed.
type Item struct {
	GUID, Title string
	Published   time.Time
	// Audio is the path of the enclosure's file; Path is where it is
	// served ("/audio/{guid}.mp3" when empty).
	Audio, Path string
	Type        string // enclosure type; "audio/mpeg" when empty
	// Chapters and Transcript, when they have a body, are linked with
	// podcast:chapters and podcast:transcript and served at
	// /side/{guid}/chapters and /side/{guid}/transcript.
	Chapters, Transcript SideFile
}

// SideFile is a chapters or transcript file of an item.
type SideFile struct {
	Type string
	Body []byte
}

// Request is one logged request.
type Request struct {
	Path        string
	IfNoneMatch string
	Status      int
}

// Server is a running feed host.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	title string
	items []Item
	log   []Request
	// Raw, when set, is served as the feed instead of the items.
	raw []byte
	// locked marks the channel podcast:locked yes.
	locked bool
	// overrides answer their paths instead of the feed and the items.
	overrides map[string]http.HandlerFunc
}

// Override answers requests for path with h (a redirect loop, a huge
// body, a page that is not audio).
func (s *Server) Override(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.overrides == nil {
		s.overrides = map[string]http.HandlerFunc{}
	}
	s.overrides[path] = h
}

// Start serves a feed titled title with items, newest first as given.
func Start(t testing.TB, title string, items ...Item) *Server {
	s := &Server{title: title, items: items}
	// Set s.Server before serving: the handlers read s.URL, and a request
	// from another process (musicctl up) orders nothing for the race
	// detector, so only starting after the write does.
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// FeedURL is the feed's address.
func (s *Server) FeedURL() string { return s.URL + "/feed.xml" }

// SetItems replaces the feed's items.
func (s *Server) SetItems(items ...Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items, s.raw = items, nil
}

// SetLocked marks the feed podcast:locked yes (or no longer).
func (s *Server) SetLocked(locked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.locked = locked
}

// SetRaw serves b as the feed.
func (s *Server) SetRaw(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw = b
}

// Requests returns the log so far and clears it.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log
	s.log = nil
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := Request{Path: r.URL.Path, IfNoneMatch: r.Header.Get("If-None-Match")}
	defer func() { s.log = append(s.log, rec) }()
	if h, ok := s.overrides[r.URL.Path]; ok {
		h(w, r)
		return
	}
	if r.URL.Path == "/feed.xml" {
		body := s.raw
		if body == nil {
			body = s.feed()
		}
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if rec.IfNoneMatch == etag {
			rec.Status = http.StatusNotModified
			w.WriteHeader(rec.Status)
			return
		}
		rec.Status = http.StatusOK
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
		return
	}
	for _, it := range s.items {
		for kind, f := range map[string]SideFile{"chapters": it.Chapters, "transcript": it.Transcript} {
			if f.Body != nil && r.URL.Path == "/side/"+it.GUID+"/"+kind {
				rec.Status = http.StatusOK
				w.Header().Set("Content-Type", f.Type)
				w.Write(f.Body)
				return
			}
		}
		if it.path() == r.URL.Path {
			rec.Status = http.StatusOK
			w.Header().Set("Content-Type", it.ctype())
			http.ServeFile(w, r, it.Audio)
			return
		}
	}
	rec.Status = http.StatusNotFound
	http.NotFound(w, r)
}

func (it Item) path() string {
	if it.Path != "" {
		return it.Path
	}
	return "/audio/" + it.GUID + ".mp3"
}

func (it Item) ctype() string {
	if it.Type != "" {
		return it.Type
	}
	return "audio/mpeg"
}

// feed renders the items as RSS 2.0 with the iTunes namespace.
func (s *Server) feed() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>` + html.EscapeString(s.title) + `</title><itunes:author>Test Host</itunes:author>
<description>Speech for tests.</description><language>en</language>
`)
	if s.locked {
		b.WriteString("<podcast:locked>yes</podcast:locked>\n")
	}
	for _, it := range s.items {
		size := int64(0)
		if fi, err := os.Stat(it.Audio); err == nil {
			size = fi.Size()
		}
		fmt.Fprintf(&b, `<item><title>%s</title><guid isPermaLink="false">%s</guid><pubDate>%s</pubDate>
<enclosure url="%s%s" length="%d" type="%s"/>`, html.EscapeString(it.Title), html.EscapeString(it.GUID),
			it.Published.UTC().Format(time.RFC1123Z), s.URL, it.path(), size, it.ctype())
		for kind, f := range map[string]SideFile{"chapters": it.Chapters, "transcript": it.Transcript} {
			if f.Body != nil {
				fmt.Fprintf(&b, `<podcast:%s url="%s/side/%s/%s" type="%s"/>`, kind, s.URL, html.EscapeString(it.GUID), kind, html.EscapeString(f.Type))
			}
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// Speech synthesises text with espeak-ng and encodes it with lame to an
// MP3 in dir, as a podcast enclosure. It fails the test when either tool
// is missing (`make deps` installs them).
func Speech(t testing.TB, dir, name, text string) string {
	t.Helper()
	wav, mp3 := filepath.Join(dir, name+".wav"), filepath.Join(dir, name+".mp3")
	for _, cmd := range [][]string{{"espeak-ng", "-w", wav, text}, {"lame", "--quiet", "-b", "64", wav, mp3}} {
		if out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s (make deps installs espeak-ng and lame)", cmd, err, out)
		}
	}
	return mp3
}
