package browsertest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Page is one browser tab. Its methods fail the test on error.
type Page struct {
	t   testing.TB
	ctx context.Context
}

// Context is the tab's chromedp context, for actions the helpers lack.
func (p *Page) Context() context.Context { return p.ctx }

// Do runs chromedp actions.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 2*Wait)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// Eval evaluates a JavaScript expression (promises are awaited).
func Eval[T any](p *Page, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// WaitUntil polls a JavaScript expression until it is true.
func (p *Page) WaitUntil(what, js string) {
	p.t.Helper()
	deadline := time.Now().Add(Wait)
	for {
		if Eval[bool](p, "!!("+js+")") {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("after %s still not %s (%s)", Wait, what, js)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Find waits for the one shown element with this role and accessible
// name (as Chromium computes them for screen readers).
func (p *Page) Find(role, name string) cdp.BackendNodeID {
	p.t.Helper()
	return p.FindWithin(0, role, name)
}

// FindWithin is Find among the descendants of the element within (0:
// the whole document), such as a region Find returned.
func (p *Page) FindWithin(within cdp.BackendNodeID, role, name string) cdp.BackendNodeID {
	p.t.Helper()
	deadline := time.Now().Add(Wait)
	var found []string
	for {
		ids, names, err := p.query(within, role, name)
		if err == nil && len(ids) == 1 {
			return ids[0]
		}
		found = names
		if time.Now().After(deadline) {
			text, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 2000)`))
			p.t.Fatalf("no single %s named %q after %s (err %v, matches %q); the page says:\n%s", role, name, Wait, err, found, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Has reports whether an element with this role and name is shown now.
func (p *Page) Has(role, name string) bool {
	ids, _, err := p.query(0, role, name)
	return err == nil && len(ids) > 0
}

// query finds the shown elements with role and name under within, or
// under the whole document when within is 0.
func (p *Page) query(within cdp.BackendNodeID, role, name string) ([]cdp.BackendNodeID, []string, error) {
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	doc, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		return nil, nil, err
	}
	params := accessibility.QueryAXTreeParams{BackendNodeID: within, AccessibleName: name, Role: role}
	if within == 0 {
		params.NodeID = doc.Root.NodeID
	}
	res, err := chromedp.Call(ctx, accessibility.QueryAXTree, params)
	if err != nil {
		return nil, nil, err
	}
	var ids []cdp.BackendNodeID
	var names []string
	for _, n := range res.Nodes {
		if !n.Ignored && n.BackendDOMNodeID != 0 {
			ids = append(ids, n.BackendDOMNodeID)
			names = append(names, fmt.Sprint(n.Name.Value))
		}
	}
	return ids, names, nil
}

// Click clicks the middle of the control with a real mouse event, so
// the page sees a user gesture. A control that is re-rendered or covered
// (a closing dialog) is tried again until Wait has passed.
func (p *Page) Click(role, name string) {
	p.t.Helper()
	deadline := time.Now().Add(Wait)
	for {
		err := p.clickOnce(p.Find(role, name))
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("click %s %q: %v", role, name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *Page) clickOnce(id cdp.BackendNodeID) error {
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	if _, err := chromedp.Call(ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: id}); err != nil {
		return err
	}
	box, err := chromedp.Call(ctx, dom.GetBoxModel, dom.GetBoxModelParams{BackendNodeID: id})
	if err != nil {
		return err
	}
	q := box.Model.Content
	x, y := (q[0]+q[2]+q[4]+q[6])/4, (q[1]+q[3]+q[5]+q[7])/4
	// A person could not click a control something else covers.
	obj, err := chromedp.Call(ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: id})
	if err != nil {
		return err
	}
	byValue := true
	hit, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{ObjectID: obj.Object.ObjectID, ReturnByValue: &byValue,
		FunctionDeclaration: fmt.Sprintf(`function() { const e = document.elementFromPoint(%f, %f); return this.contains(e) ? '' : (e ? e.outerHTML.slice(0, 120) : 'nothing'); }`, x, y)})
	if err != nil {
		return err
	}
	if s := string(hit.Result.Value); s != `""` {
		return fmt.Errorf("covered by %s", s)
	}
	return chromedp.Do(ctx, chromedp.MouseClickXY(x, y))
}

// Focus moves the keyboard focus to a control.
func (p *Page) Focus(role, name string) {
	p.t.Helper()
	id := p.Find(role, name)
	if _, err := chromedp.Call(p.ctx, dom.Focus, dom.FocusParams{BackendNodeID: id}); err != nil {
		p.t.Fatalf("focus %s %q: %v", role, name, err)
	}
}

// Type focuses a text field and types text into it, replacing what it
// held.
func (p *Page) Type(role, name, text string) {
	p.t.Helper()
	p.Focus(role, name)
	p.Do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void]("document.activeElement.select && document.activeElement.select()")); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}))
}

// Press sends keys to the focused element (chromedp/kb names, e.g.
// kb.Enter).
func (p *Page) Press(keys string) {
	p.t.Helper()
	p.Do(chromedp.KeyEvent(keys))
}

// Screenshot saves the visible page as a PNG when MUSIC_SCREENSHOTS=1
// (the docs' pictures); otherwise it does nothing.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	if os.Getenv("MUSIC_SCREENSHOTS") != "1" {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, Wait)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(path, b, 0o644)
	}
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", path, err)
	}
	p.t.Logf("screenshot %s", strings.TrimPrefix(path, "../../"))
}
