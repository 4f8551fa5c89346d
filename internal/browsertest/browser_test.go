package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const testPage = `<!doctype html><title>t</title>
<label for=n>Your name</label><input id=n>
<button aria-label="Say hello" id=b>👋</button><p id=out></p>
<script src=/t.js></script>`

const testScript = `document.getElementById('b').addEventListener('click', () => {
  document.getElementById('out').textContent = 'hello ' + document.getElementById('n').value; });`

// TestFindsControlsByName: a control is found, typed into and clicked
// by its accessible name, and a key press reaches the focused field.
func TestFindsControlsByName(t *testing.T) {
	b := Start(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/t.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(testScript))
			return
		}
		w.Write([]byte(testPage))
	}))
	defer srv.Close()
	p := b.NewPage()
	p.Do(chromedp.Navigate(srv.URL))
	p.Type("textbox", "Your name", "Ada")
	p.Press(kb.End + "!")
	p.Click("button", "Say hello")
	p.WaitUntil("greeted", `document.getElementById('out').textContent === 'hello Ada!'`)
	if p.Has("button", "Say goodbye") {
		t.Fatal("found a control that does not exist")
	}
}
