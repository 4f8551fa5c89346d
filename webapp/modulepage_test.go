package webapp

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/openmusic/music/internal/browsertest"
)

// modulePage opens a blank page on a test server that serves the app's
// modules under /app/ and the extra routes, so a test can import one
// module and drive it; it returns the page and the server's base URL.
func modulePage(t *testing.T, browser *browsertest.Browser, extra map[string]http.HandlerFunc) (*browsertest.Page, string) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/app/", http.FileServerFS(Files()))
	for path, h := range extra {
		mux.HandleFunc(path, h)
	}
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!doctype html><title>module test</title>"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p := browser.NewPage()
	p.Do(chromedp.Navigate(srv.URL + "/"))
	return p, srv.URL
}
