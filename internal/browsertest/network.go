package browsertest

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Response is what the browser received for one request.
type Response struct {
	URL      string
	Status   int64
	MimeType string
	Bytes    float64 // encoded bytes on the wire, once loading finished
}

// Traffic records the tab's responses, from when it is made.
type Traffic struct {
	mu   sync.Mutex
	resp []Response
	byID map[network.RequestID]int
}

// Watch starts recording the page's responses.
func Watch(t testing.TB, p *Page) *Traffic {
	t.Helper()
	tr := &Traffic{byID: map[network.RequestID]int{}}
	err := chromedp.Listen(p.ctx, func(ev any) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventResponseReceived:
			tr.byID[e.RequestID] = len(tr.resp)
			tr.resp = append(tr.resp, Response{URL: e.Response.URL, Status: e.Response.Status, MimeType: e.Response.MimeType})
		case *network.EventLoadingFinished:
			if i, ok := tr.byID[e.RequestID]; ok {
				tr.resp[i].Bytes = e.EncodedDataLength
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// Matching returns the responses whose URL contains part, in order.
func (tr *Traffic) Matching(part string) []Response {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var out []Response
	for _, r := range tr.resp {
		if strings.Contains(r.URL, part) {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets what was recorded.
func (tr *Traffic) Reset() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.resp, tr.byID = nil, map[network.RequestID]int{}
}

// Total is the bytes on the wire of every finished response so far.
func (tr *Traffic) Total() int64 {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var n float64
	for _, r := range tr.resp {
		n += r.Bytes
	}
	return int64(n)
}
