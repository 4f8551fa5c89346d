package browsertest

import (
	"sync/atomic"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// Refuse answers the nth request (from 1) whose URL matches pattern (the
// DevTools wildcard syntax: * is any run of characters) with status
// instead of sending it, as a server refusing an expired signed URL
// would; the other matching requests go on untouched. The returned
// channel closes once the refusal has been sent.
func (p *Page) Refuse(pattern string, nth int, status int64) (refused <-chan struct{}) {
	p.t.Helper()
	var seen atomic.Int64
	done := make(chan struct{})
	err := chromedp.Listen(p.ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		refuse := seen.Add(1) == int64(nth)
		// Commands may not run inside a listener: answer from a goroutine.
		go func() {
			var err error
			if refuse {
				_, err = chromedp.Call(p.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: status,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}}, Body: []byte(`{"error":{"code":"refused_by_test"}}`)})
				if err == nil {
					close(done)
				}
			} else {
				_, err = chromedp.Call(p.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
			}
			if err != nil && p.ctx.Err() == nil {
				p.t.Errorf("answer the paused request %s: %v", e.Request.URL, err)
			}
		}()
	})
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}}); err != nil {
		p.t.Fatal(err)
	}
	return done
}
